"""Document <-> the SPEC §4 analysis object (schema `claimscope.analysis/1`)."""
from __future__ import annotations

from dataclasses import fields
from functools import cache
from typing import Any

from claimscope.model import (
    SCHEMA_ID, Document, Entity, Event, Removed, Role, Sentence, Span, TimeExpression,
)


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def asdict(obj: Any) -> Any:
    """dataclasses.asdict without its deep copies (the model's values are str/int/float/None or
    lists of them and of dataclasses): the store serialises every document, so this is hot."""
    if isinstance(obj, (list, tuple)):
        return [asdict(v) for v in obj]
    names = _field_names(type(obj)) if hasattr(obj, "__dataclass_fields__") else None
    if names is None:
        return obj
    return {name: asdict(getattr(obj, name)) for name in names}


def _role(role: Role | None) -> dict[str, Any] | None:
    return None if role is None else asdict(role)


def to_analysis(doc: Document) -> dict[str, Any]:
    return {
        "schema": SCHEMA_ID,
        "document": {
            "id": doc.id,
            "source": doc.source,
            "url": doc.url,
            "title": doc.title,
            "site": doc.site,
            "author": doc.author,
            "published": doc.published,
            "published_from": doc.published_from,
            "language": doc.language,
            "media_type": doc.media_type,
            "text": doc.text,
            "removed": [asdict(r) for r in doc.removed],
        },
        "sentences": [
            {**asdict(s), "text": doc.text[s.start:s.end]} for s in doc.sentences
        ],
        "entities": [asdict(e) for e in doc.entities],
        "events": [
            {
                "id": e.id, "type": e.type, "mode": e.mode, "contexts": list(e.contexts),
                "actor": _role(e.actor), "recipients": [asdict(r) for r in e.recipients],
                "object": _role(e.object), "aux": list(e.aux), "date": e.date,
                "span": asdict(e.span), "trigger": asdict(e.trigger), "sentence": e.sentence,
                "confidence": e.confidence,
            }
            for e in doc.events
        ],
        "times": [asdict(t) for t in doc.times],
    }


def _opt_role(d: dict | None) -> Role | None:
    return None if d is None else Role(d["entity"], d["name"], d["start"], d["end"], d["text"])


def from_analysis(a: dict[str, Any]) -> Document:
    """Rebuild a Document from an analysis (e.g. read back from the store)."""
    d = a["document"]
    doc = Document(
        id=d["id"], source=d["source"], text=d["text"], media_type=d.get("media_type", "text/plain"),
        title=d.get("title"), site=d.get("site"), author=d.get("author"), url=d.get("url"),
        published=d.get("published"), published_from=d.get("published_from", "none"),
        language=d.get("language"), removed=[Removed(**r) for r in d.get("removed", [])],
    )
    doc.sentences = [Sentence(s["id"], s["kind"], s["start"], s["end"], s.get("parent"))
                     for s in a["sentences"]]
    doc.entities = [
        Entity(e["id"], e["name"], e["kind"], e["linked"], list(e.get("aliases", [])),
               e.get("country"), e.get("sector"), [Span(**m) for m in e["mentions"]])
        for e in a["entities"]
    ]
    doc.events = [
        Event(id=e["id"], type=e["type"], mode=e["mode"], span=Span(**e["span"]),
              trigger=Span(**e["trigger"]), sentence=e["sentence"], actor=_opt_role(e["actor"]),
              recipients=[_opt_role(r) for r in e["recipients"]], object=_opt_role(e.get("object")),
              contexts=list(e["contexts"]), aux=list(e["aux"]), date=e["date"],
              confidence=e.get("confidence", 0.5))
        for e in a["events"]
    ]
    doc.times = [TimeExpression(t["start"], t["end"], t["text"], t["value"],
                                t.get("granularity", "unknown")) for t in a["times"]]
    return doc
