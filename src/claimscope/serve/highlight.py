"""Cut a document's text into segments at every span boundary, so the template can wrap each
segment in one escaped <span> whose classes and data attributes say what covers it.

No HTML is produced here: segments are plain strings, escaped by Jinja's autoescape."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Segment:
    text: str
    classes: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)  # entity ids mentioned here
    spans: list[str] = field(default_factory=list)  # event ids whose span covers this
    triggers: list[str] = field(default_factory=list)  # event ids whose trigger covers this
    roles: list[str] = field(default_factory=list)  # event ids with a role (actor/recipient/object) here
    times: list[str] = field(default_factory=list)  # normalised values of time expressions here

    @property
    def plain(self) -> bool:
        return not (self.classes or self.spans or self.roles)


def _clip(start: Any, end: Any, n: int) -> tuple[int, int] | None:
    if not isinstance(start, int) or not isinstance(end, int):
        return None
    start, end = max(0, start), min(n, end)
    return (start, end) if start < end else None


def segments(analysis: dict[str, Any]) -> list[Segment]:
    text: str = analysis["document"]["text"]
    n = len(text)
    marks: list[tuple[int, int, str, str]] = []  # start, end, kind, value

    def add(start, end, kind, value):
        span = _clip(start, end, n)
        if span:
            marks.append((span[0], span[1], kind, value))

    for ent in analysis.get("entities", []):
        for m in ent.get("mentions", []):
            add(m.get("start"), m.get("end"), "entity", str(ent.get("id")))
    for ev in analysis.get("events", []):
        eid = str(ev.get("id"))
        span, trig = ev.get("span") or {}, ev.get("trigger") or {}
        add(span.get("start"), span.get("end"), "span", eid)
        add(trig.get("start"), trig.get("end"), "trigger", eid)
        for role in [ev.get("actor"), ev.get("object"), *ev.get("recipients", [])]:
            if role:
                add(role.get("start"), role.get("end"), "role", eid)
    for t in analysis.get("times", []):
        add(t.get("start"), t.get("end"), "time", str(t.get("value") or ""))

    cuts = sorted({0, n, *(m[0] for m in marks), *(m[1] for m in marks)})
    # sweep: for each elementary interval, the marks covering it
    by_start = sorted(marks)
    out: list[Segment] = []
    active: list[tuple[int, int, str, str]] = []
    j = 0
    for a, b in zip(cuts, cuts[1:]):
        while j < len(by_start) and by_start[j][0] <= a:
            active.append(by_start[j])
            j += 1
        active = [m for m in active if m[1] > a]
        seg = Segment(text[a:b])
        for _, _, kind, value in active:
            getattr(seg, {"entity": "entities", "span": "spans", "trigger": "triggers",
                          "role": "roles", "time": "times"}[kind]).append(value)
        if seg.entities:
            seg.classes.append("hl-actor")
        if seg.triggers:
            seg.classes.append("hl-trigger")
        if seg.times:
            seg.classes.append("hl-time")
        if seg.spans:
            seg.classes.append("in-event")
        if out and out[-1].plain and seg.plain:
            out[-1].text += seg.text
        else:
            out.append(seg)
    return out
