"""Facet counts beside the filters (issue #11 item 3): for every facet, the number of matching
rows per value under all the *other* current filters, so a count says what choosing that value
would give (the usual faceted-search convention). Plain GROUP BY over the store's indexed event
and document columns, the same SQL on SQLite and PostgreSQL; cached by the store's state."""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from claimscope.serve.queries import Database, EventFilter, document_where, list_actors
from claimscope.store import AUX_BITS

WITH_DOCUMENT = " JOIN documents d ON d.id = e.doc_id"
# facet -> (EventFilter field it leaves out, value expression, join)
EVENT_FACETS = {
    "type": ("types", "e.type", ""),
    "mode": ("mode", "e.mode", ""),
    "country": ("country", "e.country", ""),
    "sector": ("sector", "e.sector", ""),
    "year": ("year", "substr(e.day, 1, 4)", ""),
    "site": ("site", "d.site", WITH_DOCUMENT),
    "language": ("language", "d.language", WITH_DOCUMENT),
}
DOCUMENT_FACETS = {"site": "d.site", "language": "d.language", "year": "substr(d.published, 1, 4)"}
MAX_VALUES = 300


def _counted(rows, name: str) -> list[dict[str, Any]]:
    items = [(v, n) for v, n in rows]
    if name == "year":  # newest first, as a year list reads
        items.sort(key=lambda item: item[0], reverse=True)
    return [{"value": v, "count": n} for v, n in items]


def event_facets(db: Database, f: EventFilter) -> dict[str, list[dict[str, Any]]]:
    """Counts per type, mode, country, sector, year, site, language and aux of the events
    matching `f`, each facet ignoring its own filter."""
    def compute():
        conn = db.conn()
        out = {}
        for name, (field, expr, join) in EVENT_FACETS.items():
            frm, params = replace(f, **{field: () if field == "types" else None}).sql(db)
            frm = frm.replace("FROM events e", "FROM events e" + join, 1)
            cond = " AND " if " WHERE " in frm else " WHERE "
            rows = conn.execute(f"SELECT {expr}, count(*) {frm}{cond}{expr} IS NOT NULL GROUP BY 1"
                                f" ORDER BY 2 DESC, 1 LIMIT {MAX_VALUES}", params).fetchall()
            out[name] = _counted(rows, name)
        # aux: every flag is a bit of aux_bits; an event may have several
        frm, params = replace(f, aux=()).sql(db)
        sums = ", ".join("sum(CASE WHEN (e.aux_bits & ?) <> 0 THEN 1 ELSE 0 END)" for _ in AUX_BITS)
        counts = conn.execute(f"SELECT {sums} {frm}", [*AUX_BITS.values(), *params]).fetchone()
        out["aux"] = sorted(({"value": a, "count": n or 0} for a, n in zip(AUX_BITS, counts) if n),
                            key=lambda x: (-x["count"], x["value"]))
        return out
    return db.cached(("event_facets", f), compute)


def document_facets(db: Database, **filters: Any) -> dict[str, list[dict[str, Any]]]:
    """Counts per site, language and year of the documents matching the filters."""
    def compute():
        conn = db.conn()
        out = {}
        for name, expr in DOCUMENT_FACETS.items():
            where, params = document_where(conn, **{**filters, name: None})
            if where is None:
                out[name] = []
                continue
            cond = " AND " if where else " WHERE "
            rows = conn.execute(
                f"SELECT {expr}, count(*) FROM documents d{where}{cond}{expr} IS NOT NULL"
                f" GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT {MAX_VALUES}", params).fetchall()
            out[name] = _counted(rows, name)
        return out
    return db.cached(("document_facets", tuple(sorted(filters.items()))), compute)


def actor_facets(db: Database, **filters: Any) -> dict[str, list[dict[str, Any]]]:
    """Counts per country, sector and knowledge-base link of the actors matching the filters
    (from the actor list itself, which is cached)."""
    out = {}
    for name in ("country", "sector", "linked"):
        rows = list_actors(db, **{**filters, name: None}, limit=10**9)["items"]
        counts: dict[Any, int] = {}
        for r in rows:
            if r[name] is not None:
                counts[r[name]] = counts.get(r[name], 0) + 1
        out[name] = [{"value": v, "count": n}
                     for v, n in sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))]
    return out
