"""The data behind the two charts, on either backend (SQLite or PostgreSQL).

- Timeline: events per period and type. The store keeps each event's day; the query counts per
  day and type (the same SQL on both backends) and the periods — day, ISO week from Monday,
  month, year — are made here, so no date function of either dialect is needed. `auto` picks the
  step from the range so that a few years are months, not weekly hairlines.
- Network: actor -> recipient links weighted by the number of events, one node per entity id.
  By default only knowledge-base actors (ids not `x:` and not bare names): the phrases the coder
  could not link ("cases", "His decision to …") are not actors until asked for (`unlinked`).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from claimscope.serve.queries import Database, EventFilter

STEPS = ("day", "week", "month", "year")
# the network's types when the filter names none: who asks, accuses or supports whom
NETWORK_TYPES = ("REQUEST", "ACCUSE", "SUPPORT")


def pick_step(first: str, last: str) -> str:
    """Bars that stay readable: about 12–150 of them over the range."""
    span = (date.fromisoformat(last) - date.fromisoformat(first)).days
    return "day" if span <= 92 else "week" if span <= 2 * 366 else "month" if span <= 12 * 366 else "year"


def period_start(day: date, step: str) -> date:
    if step == "week":
        return day - timedelta(days=day.weekday())
    if step == "month":
        return day.replace(day=1)
    if step == "year":
        return day.replace(month=1, day=1)
    return day


def _parse_day(day: str) -> date | None:
    try:
        return date.fromisoformat(day)
    except ValueError:  # an impossible stored day cannot be placed on the axis
        return None


def timeline(db: Database, f: EventFilter, step: str = "auto") -> dict[str, Any]:
    """Events per period (`step`, or chosen by the range for `auto`) and type, plus the number
    of matching events without a day (the chart's "N undated events not shown")."""
    frm, params = f.sql(db)
    cond = "AND" if " WHERE " in frm else "WHERE"
    sql = (f"SELECT e.day, e.type, count(*) {frm} {cond} e.day IS NOT NULL"
           " GROUP BY e.day, e.type")

    def compute():
        conn = db.conn()
        per_day = [(_parse_day(d), t, n) for d, t, n in conn.execute(sql, params).fetchall()]
        per_day = [row for row in per_day if row[0] is not None]
        undated = conn.execute(f"SELECT count(*) {frm} {cond} e.day IS NULL", params).fetchone()[0]
        first = min((d for d, _, _ in per_day), default=None)
        last = max((d for d, _, _ in per_day), default=None)
        chosen = step if step != "auto" else (pick_step(first.isoformat(), last.isoformat())
                                              if first else "week")
        periods: dict[date, dict[str, int]] = {}
        totals: dict[str, int] = {}
        for day, etype, n in per_day:
            counts = periods.setdefault(period_start(day, chosen), {})
            counts[etype] = counts.get(etype, 0) + n
            totals[etype] = totals.get(etype, 0) + n
        return {"step": chosen, "first": first and first.isoformat(), "last": last and last.isoformat(),
                "periods": [{"start": p.isoformat(), "counts": dict(sorted(c.items())),
                             "total": sum(c.values())} for p, c in sorted(periods.items())],
                "types": sorted(totals, key=lambda t: (-totals[t], t)), "totals": totals,
                "undated": undated}
    return db.cached(("timeline", sql, tuple(params), step), compute)


SOURCE = "coalesce(e.actor_id, 'name:' || e.actor_name)"
TARGET = "coalesce(r.entity_id, 'name:' || r.name)"


def is_kb_id(node_id: str) -> bool:
    """A knowledge-base entity: not an unlinked `x:` entity, not a bare `name:`."""
    return not node_id.startswith(("x:", "name:"))


def network(db: Database, f: EventFilter, max_edges: int = 80, min_weight: int = 1,
            unlinked: bool = False, focus: str | None = None) -> dict[str, Any]:
    """Actor -> recipient edges (weight = number of events, at least `min_weight`) for the
    filtered events (types REQUEST, ACCUSE, SUPPORT unless the filter names types). Nodes are
    knowledge-base entities merged by id unless `unlinked` adds the unlinked entities and bare
    names; `focus` keeps the links touching one actor; self-links are left out."""
    f2 = f if f.types else replace(f, types=NETWORK_TYPES)
    frm, params = f2.sql(db)
    joined = frm.replace("FROM events e", "FROM events e JOIN event_roles r ON r.doc_id = e.doc_id"
                         " AND r.event_id = e.id AND r.role = 'recipient'", 1)
    conds = ["e.actor_name IS NOT NULL", f"{SOURCE} <> {TARGET}"]
    extra: list[Any] = []
    if not unlinked:
        conds += ["e.actor_id IS NOT NULL", "substr(e.actor_id, 1, 2) <> 'x:'",
                  "r.entity_id IS NOT NULL", "substr(r.entity_id, 1, 2) <> 'x:'"]
    if focus:
        conds.append(f"({SOURCE} = ? OR {TARGET} = ?)")
        extra += [focus, focus]
    cond = "AND" if " WHERE " in frm else "WHERE"
    sql = (f"SELECT {SOURCE} AS source, max(e.actor_name), {TARGET} AS target, max(r.name),"
           f" e.type, count(*) AS n {joined} {cond} {' AND '.join(conds)}"
           " GROUP BY 1, 3, e.type HAVING count(*) >= ? ORDER BY n DESC, source, target, e.type LIMIT ?")

    def compute():
        conn = db.conn()
        rows = conn.execute(sql, [*params, *extra, min_weight, max_edges]).fetchall()
        nodes: dict[str, dict[str, Any]] = {}
        edges = []
        for source, sname, target, tname, etype, n in rows:
            for nid, name in ((source, sname), (target, tname)):
                node = nodes.setdefault(nid, {"id": nid, "name": name, "weight": 0,
                                              "linked": is_kb_id(nid)})
                node["weight"] += n
            edges.append({"source": source, "target": target, "type": etype, "weight": n})
        ids = [nid for nid in nodes if not nid.startswith("name:")]
        if ids:  # one name per entity: the name its documents give it most often
            marks = ",".join("?" * len(ids))
            for eid, name, _ in conn.execute(
                    f"SELECT id, name, count(*) FROM entities WHERE id IN ({marks})"
                    " GROUP BY id, name ORDER BY 3, 2 DESC", ids):
                nodes[eid]["name"] = name
        return {"nodes": list(nodes.values()), "edges": edges, "types": list(f2.types),
                "min_weight": min_weight, "unlinked": unlinked, "focus": focus}
    return db.cached(("network", sql, tuple(params), tuple(extra), min_weight, max_edges), compute)
