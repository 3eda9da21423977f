"""Review and correction of machine-coded events (issue #11 item 4).

An analyst marks an event wrong, changes its type/mode/actor/recipients/date/aux, or adds an
event the coder missed. Corrections live in their own table (`corrections`, migration in
claimscope.migrations), never in the machine output: each row says who, when, the event before
and after. They are anchored on what survives re-analysis — the document id (a hash of its
text), the event's sentence span and trigger text — not on event ids, which a retrained model
may renumber; the table has no foreign key to the documents, so `analyze --replace` keeps it.
The latest correction of an anchor wins; older ones stay as history.

Applied where events are read as rows (`export.event_rows`: exports, the actor pages, and the
API's event pages and downloads): an edited event carries the new values and `reviewed = true`,
a rejected one is left out, an added one is a row of its own (`event_id` "r<correction id>").
`gold_lines` turns the reviewed documents into SPEC §5 gold lines, so corrections feed
evaluation and training. Works on both backends (claimscope.db.Connection).
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from typing import Any

from claimscope.db import Connection
from claimscope.events.ontology import AUX, MODES

EDITABLE = ("type", "mode", "actor", "recipients", "date", "aux")
_DATE = re.compile(r"^(\d{4}(-\d{2}(-\d{2})?)?|--\d{2}-\d{2})$")


class ReviewError(ValueError):
    """A correction that cannot be stored as given (the message says which field and why)."""


def has_corrections(conn: Connection) -> bool:
    return conn.execute("SELECT 1 FROM corrections LIMIT 1").fetchone() is not None


def validate(fields: dict[str, Any], partial: bool) -> dict[str, Any]:
    """Clean the edited fields; ReviewError naming the field when one is not valid."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ReviewError(f"unknown field(s): {', '.join(sorted(unknown))}; editable: {', '.join(EDITABLE)}")
    out: dict[str, Any] = {}
    if "type" in fields or not partial:
        etype = str(fields.get("type") or "").upper()
        if etype not in MODES:
            raise ReviewError(f"type: {fields.get('type')!r} is not one of {', '.join(sorted(MODES))}")
        out["type"] = etype
    if "mode" in fields:
        out["mode"] = (fields["mode"] or "").strip().lower() or None
    if "actor" in fields:
        out["actor"] = (fields["actor"] or "").strip() or None
    if "recipients" in fields:
        recipients = fields["recipients"] or []
        if isinstance(recipients, str):
            recipients = [r for r in (x.strip() for x in recipients.split(";")) if r]
        if not all(isinstance(r, str) and r.strip() for r in recipients):
            raise ReviewError("recipients: a list of names")
        out["recipients"] = [r.strip() for r in recipients]
    if "date" in fields:
        value = (fields["date"] or "").strip() or None
        if value is not None and not _DATE.match(value):
            raise ReviewError(f"date: {value!r} is not YYYY, YYYY-MM, YYYY-MM-DD or --MM-DD")
        out["date"] = value
    if "aux" in fields:
        aux = fields["aux"] or []
        if isinstance(aux, str):
            aux = [a for a in (x.strip().lower() for x in aux.split(",")) if a]
        bad = [a for a in aux if a not in AUX]
        if bad:
            raise ReviewError(f"aux: {', '.join(bad)} not in {', '.join(sorted(AUX))}")
        out["aux"] = sorted(set(aux))
    return out


def _check_mode(fields: dict[str, Any]) -> None:
    mode, etype = fields.get("mode"), fields.get("type")
    if mode is not None and etype in MODES and mode not in MODES[etype]:
        allowed = ", ".join(sorted(MODES[etype])) or "none"
        raise ReviewError(f"mode: {mode!r} is not a mode of {etype} (modes: {allowed})")


def event_fields(row: dict[str, Any]) -> dict[str, Any]:
    """The editable fields of a flat event row."""
    return {"type": row["type"], "mode": row["mode"], "actor": row["actor"],
            "recipients": list(row["recipients"]), "date": row["date"], "aux": list(row["aux"])}


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def record(conn: Connection, doc_id: str, action: str, reviewer: str,
           event: dict[str, Any] | None = None, changes: dict[str, Any] | None = None,
           selection: tuple[int, int] | None = None, note: str | None = None) -> int:
    """Store one correction; returns its id. `event` is the flat row (as shown) of the event
    rejected or edited; `selection` the (start, end) of the text of an added event."""
    reviewer = (reviewer or "").strip()
    if not reviewer:
        raise ReviewError("reviewer: say who you are (a name or initials)")
    if action in ("reject", "edit"):
        if event is None:
            raise ReviewError("event: no such event in this document")
        before = event_fields(event)
        after = None
        if action == "edit":
            after = {**before, **validate(changes or {}, partial=True)}
            if "type" in (changes or {}) and "mode" not in (changes or {}) \
                    and after["mode"] not in MODES[after["type"]]:
                after["mode"] = None  # the old mode means nothing under the new type
            _check_mode(after)
            if after == before:
                raise ReviewError("nothing changed")
        anchor = (event["span_start"], event["span_end"], event["trigger"])
        event_id = event.get("event_id")
    elif action == "add":
        text = conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if text is None:
            raise ReviewError(f"document: no document {doc_id!r}")
        start, end = selection or (None, None)
        if start is None or end is None or not 0 <= start < end <= len(text[0]):
            raise ReviewError("selection: select the words of the missed event in the text")
        before, after = None, validate(changes or {}, partial=False)
        after = {"mode": None, "actor": None, "recipients": [], "date": None, "aux": [], **after}
        _check_mode(after)
        anchor, event_id = (start, end, text[0][start:end]), None
    else:
        raise ReviewError(f"action: {action!r} is not reject, edit or add")
    with conn.transaction():
        row = conn.execute(
            "INSERT INTO corrections (doc_id, event_id, action, anchor_start, anchor_end, anchor_text,"
            " before, after, reviewer, created_at, note) VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
            (doc_id, event_id, action, *anchor, json.dumps(before, ensure_ascii=False) if before else None,
             json.dumps(after, ensure_ascii=False) if after else None, reviewer[:100], _now(),
             (note or "").strip()[:500] or None)).fetchone()
    return row[0]


def history(conn: Connection, doc_id: str | None = None) -> list[dict[str, Any]]:
    """Every correction (of one document), oldest first, with before/after decoded."""
    sql = "SELECT * FROM corrections" + (" WHERE doc_id = ?" if doc_id else "") + " ORDER BY id"
    out = []
    for row in conn.execute(sql, (doc_id,) if doc_id else ()):
        item = dict(row)
        item["before"] = json.loads(item["before"]) if item["before"] else None
        item["after"] = json.loads(item["after"]) if item["after"] else None
        out.append(item)
    return out


def latest(conn: Connection) -> dict[tuple, dict[str, Any]]:
    """The correction in force per anchor: (doc_id, kind, start, end, text) -> correction.
    Edits and rejects share an anchor kind ('event'); adds are their own ('add')."""
    out: dict[tuple, dict[str, Any]] = {}
    for c in history(conn):
        kind = "add" if c["action"] == "add" else "event"
        out[(c["doc_id"], kind, c["anchor_start"], c["anchor_end"], c["anchor_text"])] = c
    return out


def apply(rows: Iterable[dict[str, Any]], conn: Connection, keep_rejected: bool = False,
          added: str | None = None) -> Iterator[dict[str, Any]]:
    """Corrected flat event rows: edits applied (`reviewed` true), rejected rows left out (or,
    with keep_rejected, kept with `rejected` true). `added`: "all" appends every added event
    after the rows (exports), a document id appends that document's (its page); None appends
    none (a filtered query: an added event was not tested against its filter)."""
    if not has_corrections(conn):
        for row in rows:
            yield {**row, "reviewed": False}
        return
    in_force = latest(conn)
    for row in rows:
        c = in_force.get((row["doc_id"], "event", row["span_start"], row["span_end"], row["trigger"]))
        if c is None:
            yield {**row, "reviewed": False}
        elif c["action"] == "reject":
            if keep_rejected:
                yield {**row, "reviewed": True, "rejected": True, "correction": c["id"]}
        else:
            yield {**row, **c["after"], **_roles(conn, row, c["after"]), **_bounds(c["after"]["date"]),
                   "reviewed": True, "correction": c["id"]}
    if added:
        adds = [c for k, c in in_force.items() if k[1] == "add" and added in ("all", c["doc_id"])]
        yield from _added(conn, sorted(adds, key=lambda c: (c["doc_id"], c["anchor_start"])))


def corrected(rows: Iterable[dict[str, Any]], conn: Connection,
              added: str | None = None) -> Iterator[dict[str, Any]]:
    """`apply` for the flat tables (exports, API rows): only the EVENT_TABLE columns."""
    for row in apply(rows, conn, added=added):
        row.pop("correction", None)
        yield row


def _bounds(value: str | None) -> dict[str, str | None]:
    from claimscope.export import date_bounds

    start, end = date_bounds(value)
    return {"date_start": start.isoformat() if start else None,
            "date_end": end.isoformat() if end else None}


def _entity(conn: Connection, doc_id: str, name: str | None) -> tuple:
    """(id, country, sector) of the document's entity of that name, else Nones."""
    if not name:
        return None, None, None
    row = conn.execute("SELECT id, country, sector FROM entities WHERE doc_id = ? AND name = ?"
                       " ORDER BY linked DESC LIMIT 1", (doc_id, name)).fetchone()
    return tuple(row) if row else (None, None, None)


def _roles(conn: Connection, row: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Ids, countries and sectors that follow an edited actor or recipient list: kept where
    the name stayed, looked up among the document's entities where it changed."""
    out: dict[str, Any] = {}
    if after["actor"] != row["actor"]:
        out["actor_id"], out["actor_country"], out["actor_sector"] = _entity(conn, row["doc_id"], after["actor"])
    if after["recipients"] != row["recipients"]:
        old = {n: (i, c, s) for n, i, c, s in zip(row["recipients"], row["recipient_ids"],
                                                  row["recipient_countries"], row["recipient_sectors"])}
        found = [old.get(n) or _entity(conn, row["doc_id"], n) for n in after["recipients"]]
        out["recipient_ids"] = [f[0] for f in found]
        out["recipient_countries"] = [f[1] for f in found]
        out["recipient_sectors"] = [f[2] for f in found]
    return out


def _added(conn: Connection, corrections: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for c in corrections:
        doc = conn.execute("SELECT published, source, url, title, site, language FROM documents"
                           " WHERE id = ?", (c["doc_id"],)).fetchone()
        if doc is None:
            continue
        after = c["after"]
        actor = _entity(conn, c["doc_id"], after["actor"])
        recipients = [_entity(conn, c["doc_id"], n) for n in after["recipients"]]
        yield {"doc_id": c["doc_id"], "event_id": f"r{c['id']}", **dict(doc), **after,
               **_bounds(after.get("date")),
               "actor_id": actor[0], "actor_country": actor[1], "actor_sector": actor[2],
               "recipient_ids": [r[0] for r in recipients],
               "recipient_countries": [r[1] for r in recipients],
               "recipient_sectors": [r[2] for r in recipients],
               "object": None, "contexts": [], "trigger": c["anchor_text"],
               "sentence_text": c["anchor_text"], "span_start": c["anchor_start"],
               "span_end": c["anchor_end"], "confidence": 1.0, "reviewed": True,
               "correction": c["id"]}


def document_rows(conn: Connection, doc_id: str, keep_rejected: bool = False) -> list[dict[str, Any]]:
    """A document's events as corrected, in text order, its added events after them."""
    from claimscope.export import event_rows

    return list(apply(event_rows(conn, "e.doc_id = ?", (doc_id,), order="e.span_start, e.rowid",
                                 corrected=False), conn, keep_rejected=keep_rejected, added=doc_id))


def gold_lines(conn: Connection) -> Iterator[dict[str, Any]]:
    """SPEC §5 gold lines for every document with a correction: all its events as corrected
    (machine events nobody changed included: the reviewer saw them and let them stand)."""
    doc_ids = list(dict.fromkeys(c["doc_id"] for c in history(conn)))
    for doc_id in doc_ids:
        doc = conn.execute("SELECT source FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if doc is None:
            continue  # corrected, then removed from the store
        rows = document_rows(conn, doc_id)
        names = {r["actor"] for r in rows if r["actor"]} | {n for r in rows for n in r["recipients"]}
        actors = []
        for name in sorted(names):
            ent = conn.execute("SELECT name, aliases, country, sector FROM entities WHERE doc_id = ?"
                               " AND name = ? LIMIT 1", (doc_id, name)).fetchone()
            aliases = json.loads(ent["aliases"]) if ent else []
            actors.append({"name": name, "aliases": sorted(set(aliases) - {name}),
                           "country": ent["country"] if ent else None,
                           "sector": ent["sector"] if ent else None})
        # no `published` or `times`: the reviewer checked events, not dates or time expressions,
        # and a gold line without those keys is not scored on them
        yield {"file": doc["source"], "actors": actors,
               "events": [{"where": r["sentence_text"], "type": r["type"], "mode": r["mode"],
                           "actor": r["actor"], "recipients": r["recipients"], "aux": r["aux"],
                           "reviewed": r["reviewed"]} for r in rows]}


def write_gold(conn: Connection, out) -> int:
    n = 0
    for line in gold_lines(conn):
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
        n += 1
    return n
