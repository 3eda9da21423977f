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
from claimscope.serve.index import AUX_BITS, ServingIndex
from claimscope.store import Store, connect
from claimscope.store import stats as store_stats

# The day an event counts for: its own date when it is a full ISO date, else the document's.
EVENT_DAY = ("(CASE WHEN e.date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' "
             "THEN substr(e.date, 1, 10) ELSE substr(d.published, 1, 10) END)")

EVENT_SORTS = {"date": "x.day", "published": "x.published", "type": "x.type",
               "actor": "x.actor_name", "confidence": "x.confidence"}
DOCUMENT_SORTS = {"published": "d.published", "title": "d.title", "site": "d.site",
                  "added": "d.added_at"}
ACTOR_SORTS = {"events": "as_actor + as_recipient", "documents": "documents", "name": "name",
               "first_seen": "first_seen", "last_seen": "last_seen", "mentions": "mentions"}

NETWORK_TYPES = ("REQUEST", "ACCUSE", "SUPPORT")
WALK_FACTOR = 3


def like_escape(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


_TOKEN = re.compile(r"\w+", re.UNICODE)


def fts_query(text: str) -> str | None:
    """User words -> a safe FTS5 query: every word quoted, all required. None if no words."""
    words = _TOKEN.findall(text)[:20]
    if not words:
        return None
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def fts_phrase(text: str) -> str | None:
    """Words of a text filter -> an FTS5 phrase query (words in this order, last one a prefix)."""
    words = _TOKEN.findall(text)[:20]
    if not words:
        return None
    return '"' + " ".join(w.replace('"', '""') for w in words) + '" *'


@dataclass(frozen=True)
class EventFilter:
    """Event filters, as SQL over the serving index `idx.ev` (alias x); see serve/index.py."""
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

    def where(self, resolve: Database | None = None, walk: bool = False) -> tuple[str, list[Any]]:
        """SQL conditions and parameters. `walk`: the set-valued filters (recipient, aux, text)
        are written `+x.erowid IN (...)` so SQLite cannot drive the query from the set and walks
        an index in the sort order instead, testing membership (see _page_rowids)."""
        member = "+x.erowid IN" if walk else "x.erowid IN"
        clauses: list[str] = []
        params: list[Any] = []
        if self.types:
            clauses.append(f"x.type IN ({','.join('?' * len(self.types))})")
            params += list(self.types)
        if self.mode:
            clauses.append("x.mode = ?")
            params.append(self.mode)
        # a value that is a known entity id matches that id only; otherwise part of a name
        # (resolved to the matching names first, so the lookup is an index probe)
        if self.actor:
            if resolve is None or resolve.is_id(self.actor):
                clauses.append("x.actor_id = ?")
                params.append(self.actor)
            else:
                names = resolve.names(self.actor)
                clauses.append(f"x.actor_name IN ({','.join('?' * len(names))})" if names else "0")
                params += names
        if self.recipient:
            if resolve is None or resolve.is_id(self.recipient):
                clauses.append(f"{member} (SELECT erowid FROM idx.rec WHERE entity_id = ?)")
                params.append(self.recipient)
            else:
                names = resolve.names(self.recipient)
                clauses.append(f"{member} (SELECT erowid FROM idx.rec WHERE name IN "
                               f"({','.join('?' * len(names))}))" if names else "0")
                params += names
        if self.country:
            clauses.append("x.country = ?")
            params.append(self.country)
        if self.sector:
            clauses.append("x.sector = ?")
            params.append(self.sector)
        for aux in self.aux:
            clauses.append(f"{member} (SELECT erowid FROM idx.aux WHERE bit = ?)")
            params.append(AUX_BITS[aux])
        if self.date_from:
            clauses.append("x.day >= ?")
            params.append(self.date_from)
        if self.date_to:
            clauses.append("x.day <= ?")
            params.append(self.date_to)
        if self.text:
            phrase = fts_phrase(self.text)
            if phrase is None:
                clauses.append("0")
            else:
                clauses.append(f"{member} (SELECT rowid FROM idx.ev_fts WHERE ev_fts MATCH ?)")
                params.append(phrase)
        if self.doc:
            clauses.append("x.doc_id = ?")
            params.append(self.doc)
        return " AND ".join(clauses), params

    @property
    def has_sets(self) -> bool:
        return bool(self.recipient or self.aux or self.text)

    def sql(self, db: Database | None = None, walk: bool = False) -> tuple[str, list[Any]]:
        where, params = self.where(db, walk)
        return "FROM idx.ev x" + (f" WHERE {where}" if where else ""), params


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
        self.index = ServingIndex(self.path)

    def new_conn(self) -> sqlite3.Connection:
        c = connect(self.path, read_only=True)
        c.execute("PRAGMA query_only=ON")
        c.execute("PRAGMA cache_size=-16000")
        c.execute("PRAGMA mmap_size=268435456")
        self.index.attach(c)
        return c

    def conn(self) -> sqlite3.Connection:
        c = getattr(self._local, "conn", None)
        if c is None:
            c = self._local.conn = self.new_conn()
        return c

    def is_id(self, value: str) -> bool:
        return self.cached(("is_id", value), lambda: self.conn().execute(
            "SELECT 1 FROM idx.ids WHERE id = ?", (value,)).fetchone() is not None)

    def names(self, part: str) -> list[str]:
        """Actor/recipient names containing `part` (case-insensitive for ASCII)."""
        return self.cached(("names", part), lambda: [r[0] for r in self.conn().execute(
            "SELECT name FROM idx.names WHERE name LIKE ? ESCAPE '\\' LIMIT 500", (like_escape(part),))])

    def event_count(self) -> int:
        """Events in the serving index (kept by the index itself, not a cached result)."""
        return self.index.events

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
            if added:
                self.index.add_document(doc.id)
            self.generation += 1
            with self._cache_lock:
                self._cache.clear()
        return added


# ---------------------------------------------------------------- documents

def search_documents(db: Database, q: str | None = None, site: str | None = None,
                     language: str | None = None, date_from: str | None = None,
                     date_to: str | None = None, sort: str = "published", order: str = "desc",
                     limit: int = 20, offset: int = 0) -> dict[str, Any]:
    return document_page(db.conn(), q, site, language, date_from, date_to, sort, order, limit,
                         offset, cached=db.cached)


def document_page(conn: sqlite3.Connection, q: str | None = None, site: str | None = None,
                  language: str | None = None, date_from: str | None = None,
                  date_to: str | None = None, sort: str = "published", order: str = "desc",
                  limit: int = 20, offset: int = 0, cached=lambda key, compute: compute()) -> dict[str, Any]:
    """A page of documents over a plain store connection (`claimscope list` and the API)."""
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
    total = cached(("doc_count", where, tuple(params)), lambda: conn.execute(
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
    # the index's rowid is the tie-breaker, so an index on the sort column serves ORDER BY+LIMIT
    direction = "DESC" if order == "desc" else "ASC"
    return f"{EVENT_SORTS[sort]} {direction}, x.erowid {direction}"


def count_events(db: Database, f: EventFilter) -> int:
    frm, params = f.sql(db)
    return db.cached(("event_count", frm, tuple(params)),
                     lambda: db.conn().execute(f"SELECT count(*) {frm}", params).fetchone()[0])


def _json_by_rowid(conn: sqlite3.Connection, rowids: list[int]) -> list[str]:
    """The serialised flat rows (export.event_rows, JSON) of these events, in this order."""
    if not rowids:
        return []
    marks = ",".join("?" * len(rowids))
    found = dict(conn.execute(f"SELECT erowid, json FROM idx.rowjson WHERE erowid IN ({marks})", rowids))
    return [found[r] for r in rowids if r in found]


def _page_rowids(db: Database, f: EventFilter, sort: str, order: str, limit: int, offset: int,
                 total: int | None = None):
    if total is not None and offset >= total:
        return []
    # Set-valued filters (recipient, aux, text) let SQLite start from the set, look every member
    # up and sort them all. When the set is a large share of the events, walking the sort index
    # and testing membership until offset+limit rows are found reads fewer rows: expected walk
    # length = (offset+limit) * events / total. Walk when that is < 3x the set (a walk step is
    # an index-only read plus a membership probe, cheaper than a lookup plus a sort step).
    walk = False
    if total and f.has_sets:
        walk = (offset + limit) * db.event_count() < WALK_FACTOR * total * total
    frm, params = f.sql(db, walk)
    return [r[0] for r in db.conn().execute(
        f"SELECT x.erowid {frm} ORDER BY {_order(sort, order)} LIMIT ? OFFSET ?",
        [*params, limit, offset])]


def list_events_json(db: Database, f: EventFilter, sort: str = "date", order: str = "desc",
                     limit: int = 50, offset: int = 0) -> str:
    """The /api/events page as a JSON string (rows are stored pre-serialised)."""
    total = count_events(db, f)
    items = _json_by_rowid(db.conn(), _page_rowids(db, f, sort, order, limit, offset, total))
    return (f'{{"total":{total},"limit":{limit},"offset":{offset},"items":['
            + ",".join(items) + "]}")


def list_events(db: Database, f: EventFilter, sort: str = "date", order: str = "desc",
                limit: int = 50, offset: int = 0) -> dict[str, Any]:
    total = count_events(db, f)
    items = _json_by_rowid(db.conn(), _page_rowids(db, f, sort, order, limit, offset, total))
    return {"total": total, "limit": limit, "offset": offset, "items": [json.loads(i) for i in items]}


def iter_event_rows(db: Database, f: EventFilter, sort: str = "date", order: str = "desc",
                    max_rows: int | None = None, batch: int = 500):
    """All rows of the filtered set, in order, read in batches (for downloads)."""
    frm, params = f.sql(db)
    limit = f" LIMIT {int(max_rows)}" if max_rows else ""
    # a connection of its own: the download is consumed while other requests use this thread
    conn = db.new_conn()
    try:
        rowids = [r[0] for r in conn.execute(
            f"SELECT x.erowid {frm} ORDER BY {_order(sort, order)}{limit}", params)]
        for i in range(0, len(rowids), batch):
            for item in _json_by_rowid(conn, rowids[i:i + batch]):
                yield json.loads(item)
    finally:
        conn.close()


def timeline(db: Database, f: EventFilter) -> dict[str, Any]:
    """Events per ISO week (Monday) and type."""
    frm, params = f.sql(db)
    sql = (f"SELECT x.week, x.type, count(*) {frm} {'AND' if 'WHERE' in frm else 'WHERE'}"
           " x.week IS NOT NULL GROUP BY x.week, x.type ORDER BY x.week, x.type")

    def compute():
        rows = db.conn().execute(sql, params).fetchall()
        weeks: dict[str, dict[str, int]] = {}
        types: dict[str, int] = {}
        for week_start, etype, n in rows:
            weeks.setdefault(week_start, {})[etype] = n
            types[etype] = types.get(etype, 0) + n
        return {"weeks": [{"week": w, "counts": c, "total": sum(c.values())} for w, c in weeks.items()],
                "types": sorted(types, key=lambda t: -types[t]), "totals": types}
    return db.cached(("timeline", sql, tuple(params)), compute)


def network(db: Database, f: EventFilter, max_edges: int = 80) -> dict[str, Any]:
    """Actor -> recipient edges (weight = number of events) for the filtered events."""
    f2 = f if f.types else EventFilter(**{**f.__dict__, "types": NETWORK_TYPES})
    frm, params = f2.sql(db)
    sql = ("SELECT coalesce(x.actor_id, 'name:' || x.actor_name) AS source, x.actor_name,"
           " coalesce(r.entity_id, 'name:' || r.name) AS target, r.name, x.type, count(*) AS n"
           f" {frm.replace('FROM idx.ev x', 'FROM idx.ev x JOIN idx.rec r ON r.erowid = x.erowid')}"
           f" {'AND' if 'WHERE' in frm else 'WHERE'} x.actor_name IS NOT NULL"
           " GROUP BY source, target, x.type ORDER BY n DESC, source, target LIMIT ?")

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
    return db.cached(("network", sql, tuple(params), max_edges), compute)


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
                                order=f"{EVENT_DAY} DESC, e.rowid DESC LIMIT ?"))
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

