"""SQL behind the API and the UI. Every user value is a bound parameter; sort keys come from a
whitelist; the flat event row is `claimscope.export.event_rows` (shared with CSV/JSONL export)."""
from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimscope.export import event_rows
from claimscope.store import Store, connect
from claimscope.store import stats as store_stats

# The day an event counts for: its own date when it is a full ISO date, else the document's.
EVENT_DAY = ("(CASE WHEN e.date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' "
             "THEN substr(e.date, 1, 10) ELSE substr(d.published, 1, 10) END)")

EVENT_SORTS = {
    "date": EVENT_DAY,
    "published": "d.published",
    "type": "e.type",
    "actor": "e.actor_name",
    "confidence": "e.confidence",
}
DOCUMENT_SORTS = {"published": "d.published", "title": "d.title", "site": "d.site",
                  "added": "d.added_at"}
ACTOR_SORTS = {"events": "as_actor + as_recipient", "documents": "documents", "name": "name",
               "first_seen": "first_seen", "last_seen": "last_seen", "mentions": "mentions"}

NETWORK_TYPES = ("REQUEST", "ACCUSE", "SUPPORT")


def like_escape(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


_TOKEN = re.compile(r"\w+", re.UNICODE)


def fts_query(text: str) -> str | None:
    """User words -> a safe FTS5 query: every word quoted, all required. None if no words."""
    words = _TOKEN.findall(text)[:20]
    if not words:
        return None
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


# an actor/recipient filter that is a known entity id matches that id only; otherwise a name part
_IS_ID = "EXISTS (SELECT 1 FROM entities WHERE id = ?)"


@dataclass(frozen=True)
class EventFilter:
    types: tuple[str, ...] = ()
    mode: str | None = None
    actor: str | None = None
    recipient: str | None = None
    country: str | None = None
    sector: str | None = None
    aux: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    text: str | None = None
    doc: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if self.types:
            clauses.append(f"e.type IN ({','.join('?' * len(self.types))})")
            params += list(self.types)
        if self.mode:
            clauses.append("e.mode = ?")
            params.append(self.mode)
        if self.actor:
            clauses.append(f"(e.actor_id = ? OR (NOT {_IS_ID} AND e.actor_name LIKE ? ESCAPE '\\'))")
            params += [self.actor, self.actor, like_escape(self.actor)]
        if self.recipient:
            clauses.append("EXISTS (SELECT 1 FROM event_roles r WHERE r.doc_id = e.doc_id AND "
                           "r.event_id = e.id AND r.role = 'recipient' AND "
                           f"(r.entity_id = ? OR (NOT {_IS_ID} AND r.name LIKE ? ESCAPE '\\')))")
            params += [self.recipient, self.recipient, like_escape(self.recipient)]
        for col, value in (("country", self.country), ("sector", self.sector)):
            if value:
                clauses.append(f"EXISTS (SELECT 1 FROM entities en WHERE en.doc_id = e.doc_id "
                               f"AND en.id = e.actor_id AND en.{col} = ?)")
                params.append(value)
        for aux in self.aux:
            clauses.append("EXISTS (SELECT 1 FROM json_each(e.aux) WHERE value = ?)")
            params.append(aux)
        if self.date_from:
            clauses.append(f"{EVENT_DAY} >= ?")
            params.append(self.date_from)
        if self.date_to:
            clauses.append(f"{EVENT_DAY} <= ?")
            params.append(self.date_to)
        if self.text:
            clauses.append("e.span_text LIKE ? ESCAPE '\\'")
            params.append(like_escape(self.text))
        if self.doc:
            clauses.append("e.doc_id = ?")
            params.append(self.doc)
        return " AND ".join(clauses), params

    def is_empty(self) -> bool:
        return not any((self.types, self.mode, self.actor, self.recipient, self.country,
                        self.sector, self.aux, self.date_from, self.date_to, self.text, self.doc))


class Database:
    """Per-thread read connections (read-only unless ingest is allowed), one writer, and a small
    result cache for aggregates that is dropped whenever something is written."""

    def __init__(self, path: str | Path, writable: bool = False, cache_size: int = 512):
        self.path = Path(path)
        self.writable = writable
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._cache: OrderedDict[tuple, Any] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._cache_size = cache_size
        self.generation = 0
        if writable:
            self._store: Store | None = Store(self.path)  # creates the schema if needed
        else:
            if not self.path.exists():
                raise FileNotFoundError(f"no database at {self.path}")
            self._store = None
            connect(self.path, read_only=True).execute("SELECT count(*) FROM documents").fetchone()

    def conn(self) -> sqlite3.Connection:
        c = getattr(self._local, "conn", None)
        if c is None:
            c = connect(self.path, read_only=True)
            c.execute("PRAGMA query_only=ON")
            c.execute("PRAGMA cache_size=-32000")
            c.execute("PRAGMA mmap_size=268435456")
            self._local.conn = c
        return c

    def cached(self, key: tuple, compute):
        key = (self.generation, *key)
        with self._cache_lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        value = compute()
        with self._cache_lock:
            self._cache[key] = value
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return value

    def add(self, doc) -> bool:
        if self._store is None:
            raise PermissionError("the database is open read-only")
        with self._write_lock:
            added = self._store.add(doc)
            self.generation += 1
            with self._cache_lock:
                self._cache.clear()
        return added


# ---------------------------------------------------------------- documents

def search_documents(db: Database, q: str | None = None, site: str | None = None,
                     language: str | None = None, date_from: str | None = None,
                     date_to: str | None = None, sort: str = "published", order: str = "desc",
                     limit: int = 20, offset: int = 0) -> dict[str, Any]:
    clauses: list[str] = []
    params: list[Any] = []
    match = fts_query(q) if q else None
    if q and match is None:
        return {"total": 0, "limit": limit, "offset": offset, "items": []}
    if match:
        clauses.append("d.rowid IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)")
        params.append(match)
    if site:
        clauses.append("d.site = ?")
        params.append(site)
    if language:
        clauses.append("d.language = ?")
        params.append(language)
    if date_from:
        clauses.append("substr(d.published, 1, 10) >= ?")
        params.append(date_from)
    if date_to:
        clauses.append("substr(d.published, 1, 10) <= ?")
        params.append(date_to)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    conn = db.conn()
    total = db.cached(("doc_count", where, tuple(params)), lambda: conn.execute(
        f"SELECT count(*) FROM documents d{where}", params).fetchone()[0])
    col = DOCUMENT_SORTS[sort]
    direction = "DESC" if order == "desc" else "ASC"
    rows = conn.execute(
        "SELECT d.id, d.title, d.site, d.url, d.source, d.published, d.published_from, d.language,"
        " length(d.text) AS characters,"
        " (SELECT count(*) FROM events e WHERE e.doc_id = d.id) AS events,"
        " substr(d.text, 1, 240) AS preview"
        f" FROM documents d{where} ORDER BY {col} {direction} NULLS LAST, d.rowid LIMIT ? OFFSET ?",
        [*params, limit, offset]).fetchall()
    return {"total": total, "limit": limit, "offset": offset, "items": [dict(r) for r in rows]}


def document_id(db: Database, doc_id: str) -> str | None:
    """Exact id, else a unique prefix (at least 6 characters)."""
    conn = db.conn()
    row = conn.execute("SELECT id FROM documents WHERE id = ?", (doc_id,)).fetchone()
    if row:
        return row[0]
    if len(doc_id) < 6:
        return None
    rows = conn.execute("SELECT id FROM documents WHERE substr(id, 1, ?) = ? LIMIT 2",
                        (len(doc_id), doc_id)).fetchall()
    return rows[0][0] if len(rows) == 1 else None


def get_analysis(db: Database, doc_id: str) -> dict[str, Any] | None:
    row = db.conn().execute("SELECT analysis FROM documents WHERE id = ?", (doc_id,)).fetchone()
    return json.loads(row[0]) if row else None


def facets(db: Database) -> dict[str, list]:
    def compute():
        conn = db.conn()
        return {
            "sites": [r[0] for r in conn.execute(
                "SELECT site FROM documents WHERE site IS NOT NULL GROUP BY site ORDER BY count(*) DESC LIMIT 200")],
            "languages": [r[0] for r in conn.execute(
                "SELECT language FROM documents WHERE language IS NOT NULL GROUP BY language ORDER BY count(*) DESC")],
            "modes": [r[0] for r in conn.execute(
                "SELECT DISTINCT mode FROM events WHERE mode IS NOT NULL ORDER BY mode")],
            "countries": [r[0] for r in conn.execute(
                "SELECT DISTINCT country FROM entities WHERE country IS NOT NULL ORDER BY country")],
            "sectors": [r[0] for r in conn.execute(
                "SELECT DISTINCT sector FROM entities WHERE sector IS NOT NULL ORDER BY sector")],
        }
    return db.cached(("facets",), compute)


# ---------------------------------------------------------------- events

def _order(sort: str, order: str) -> str:
    direction = "DESC" if order == "desc" else "ASC"
    return f"{EVENT_SORTS[sort]} {direction} NULLS LAST, e.doc_id, e.span_start"


def count_events(db: Database, f: EventFilter) -> int:
    where, params = f.where()
    sql = ("SELECT count(*) FROM events e JOIN documents d ON d.id = e.doc_id"
           + (f" WHERE {where}" if where else ""))
    return db.cached(("event_count", where, tuple(params)),
                     lambda: db.conn().execute(sql, params).fetchone()[0])


def list_events(db: Database, f: EventFilter, sort: str = "date", order: str = "desc",
                limit: int = 50, offset: int = 0) -> dict[str, Any]:
    where, params = f.where()
    total = count_events(db, f)
    items = list(event_rows(db.conn(), where, [*params, limit, offset],
                            order=_order(sort, order) + " LIMIT ? OFFSET ?"))
    return {"total": total, "limit": limit, "offset": offset, "items": items}


def iter_event_rows(db: Database, f: EventFilter, sort: str = "date", order: str = "desc",
                    max_rows: int | None = None):
    where, params = f.where()
    suffix = ""
    if max_rows is not None:
        suffix = " LIMIT ?"
        params = [*params, max_rows]
    # a connection of its own: the download is consumed while other requests use this thread
    conn = connect(db.path, read_only=True)
    try:
        yield from event_rows(conn, where, params, order=_order(sort, order) + suffix)
    finally:
        conn.close()


def timeline(db: Database, f: EventFilter) -> dict[str, Any]:
    """Events per ISO week (Monday) and type."""
    where, params = f.where()
    week = f"date({EVENT_DAY}, 'weekday 0', '-6 days')"
    sql = (f"SELECT {week} AS week, e.type, count(*) FROM events e JOIN documents d ON d.id = e.doc_id"
           f" WHERE {week} IS NOT NULL" + (f" AND {where}" if where else "")
           + " GROUP BY week, e.type ORDER BY week, e.type")

    def compute():
        rows = db.conn().execute(sql, params).fetchall()
        weeks: dict[str, dict[str, int]] = {}
        types: dict[str, int] = {}
        for week_start, etype, n in rows:
            weeks.setdefault(week_start, {})[etype] = n
            types[etype] = types.get(etype, 0) + n
        return {"weeks": [{"week": w, "counts": c, "total": sum(c.values())} for w, c in weeks.items()],
                "types": sorted(types, key=lambda t: -types[t]), "totals": types}
    return db.cached(("timeline", where, tuple(params)), compute)


def network(db: Database, f: EventFilter, max_edges: int = 80) -> dict[str, Any]:
    """Actor -> recipient edges (weight = number of events) for the filtered events."""
    f2 = f if f.types else EventFilter(**{**f.__dict__, "types": NETWORK_TYPES})
    where, params = f2.where()
    sql = ("SELECT coalesce(e.actor_id, 'name:' || e.actor_name) AS source, e.actor_name,"
           " coalesce(r.entity_id, 'name:' || r.name) AS target, r.name, e.type, count(*) AS n"
           " FROM events e JOIN documents d ON d.id = e.doc_id"
           " JOIN event_roles r ON r.doc_id = e.doc_id AND r.event_id = e.id AND r.role = 'recipient'"
           " WHERE e.actor_name IS NOT NULL" + (f" AND {where}" if where else "")
           + " GROUP BY source, target, e.type ORDER BY n DESC, source, target LIMIT ?")

    def compute():
        rows = db.conn().execute(sql, [*params, max_edges]).fetchall()
        nodes: dict[str, dict[str, Any]] = {}
        edges = []
        for source, sname, target, tname, etype, n in rows:
            for nid, name in ((source, sname), (target, tname)):
                node = nodes.setdefault(nid, {"id": nid, "name": name, "weight": 0,
                                              "linked": not nid.startswith("name:")})
                node["weight"] += n
            edges.append({"source": source, "target": target, "type": etype, "weight": n})
        return {"nodes": list(nodes.values()), "edges": edges, "types": list(f2.types)}
    return db.cached(("network", where, tuple(params), max_edges), compute)


# ---------------------------------------------------------------- actors

ACTORS_SQL = """
WITH ent AS (
  SELECT en.id, max(en.name) AS name, max(en.kind) AS kind, max(en.linked) AS linked,
         max(en.country) AS country, max(en.sector) AS sector, count(*) AS documents,
         min(d.published) AS first_seen, max(d.published) AS last_seen
  FROM entities en JOIN documents d ON d.id = en.doc_id {where} GROUP BY en.id),
roles AS (
  SELECT entity_id, sum(role = 'actor') AS as_actor, sum(role = 'recipient') AS as_recipient
  FROM event_roles WHERE entity_id IS NOT NULL GROUP BY entity_id),
men AS (SELECT entity_id, count(*) AS mentions FROM mentions GROUP BY entity_id)
SELECT ent.*, coalesce(roles.as_actor, 0) AS as_actor, coalesce(roles.as_recipient, 0) AS as_recipient,
       coalesce(men.mentions, 0) AS mentions
FROM ent LEFT JOIN roles ON roles.entity_id = ent.id LEFT JOIN men ON men.entity_id = ent.id
"""


def list_actors(db: Database, q: str | None = None, country: str | None = None,
                sector: str | None = None, linked: bool | None = None, sort: str = "events",
                order: str = "desc", limit: int = 50, offset: int = 0) -> dict[str, Any]:
    clauses, params = [], []
    if q:
        clauses.append("(en.name LIKE ? ESCAPE '\\' OR en.id = ? OR en.aliases LIKE ? ESCAPE '\\')")
        params += [like_escape(q), q, like_escape(q)]
    if country:
        clauses.append("en.country = ?")
        params.append(country)
    if sector:
        clauses.append("en.sector = ?")
        params.append(sector)
    if linked is not None:
        clauses.append("en.linked = ?")
        params.append(int(linked))
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    direction = "DESC" if order == "desc" else "ASC"
    sql = ACTORS_SQL.format(where=where)

    def compute():
        return [dict(r) for r in db.conn().execute(
            sql + f" ORDER BY {ACTOR_SORTS[sort]} {direction} NULLS LAST, ent.id", params)]
    rows = db.cached(("actors", where, tuple(params), sort, direction), compute)
    items = [{**r, "linked": bool(r["linked"])} for r in rows[offset:offset + limit]]
    return {"total": len(rows), "limit": limit, "offset": offset, "items": items}


def get_actor(db: Database, actor_id: str, limit: int = 100) -> dict[str, Any] | None:
    conn = db.conn()
    rows = conn.execute(
        "SELECT en.name, en.kind, en.linked, en.country, en.sector, en.aliases, d.published"
        " FROM entities en JOIN documents d ON d.id = en.doc_id WHERE en.id = ?", (actor_id,)).fetchall()
    if not rows:
        return None
    names: dict[str, int] = {}
    aliases: set[str] = set()
    for r in rows:
        names[r["name"]] = names.get(r["name"], 0) + 1
        try:
            aliases.update(a for a in json.loads(r["aliases"] or "[]") if isinstance(a, str))
        except ValueError:
            pass
    first = rows[0]
    published = [r["published"] for r in rows if r["published"]]
    mentions = [dict(r) for r in conn.execute(
        "SELECT text, count(*) AS count, count(DISTINCT doc_id) AS documents FROM mentions"
        " WHERE entity_id = ? GROUP BY text ORDER BY count DESC, text LIMIT 200", (actor_id,))]
    out: dict[str, Any] = {
        "id": actor_id, "name": max(names, key=lambda n: names[n]), "kind": first["kind"],
        "linked": bool(first["linked"]), "country": first["country"], "sector": first["sector"],
        "names": sorted(names), "aliases": sorted(aliases), "documents": len(rows),
        "first_seen": min(published) if published else None,
        "last_seen": max(published) if published else None, "mentions": mentions,
    }
    for role, key in (("actor", "as_actor"), ("recipient", "as_recipient")):
        where = ("EXISTS (SELECT 1 FROM event_roles r WHERE r.doc_id = e.doc_id AND r.event_id = e.id"
                 " AND r.role = ? AND r.entity_id = ?)")
        total = conn.execute("SELECT count(*) FROM event_roles WHERE role = ? AND entity_id = ?",
                             (role, actor_id)).fetchone()[0]
        items = list(event_rows(conn, where, [role, actor_id, limit],
                                order=_order("date", "desc") + " LIMIT ?"))
        out[key] = {"total": total, "items": items}
    return out


def stats(db: Database) -> dict[str, Any]:
    def compute():
        s = store_stats(db.conn())
        s["sites"] = {r[0]: r[1] for r in db.conn().execute(
            "SELECT site, count(*) FROM documents WHERE site IS NOT NULL GROUP BY site"
            " ORDER BY count(*) DESC LIMIT 50")}
        return s
    return db.cached(("stats",), compute)

