"""SQL behind the API and the UI, read straight from the store's indexed tables (SQLite or
PostgreSQL): no start-up snapshot, so writes by other processes are seen at once and the server
starts in well under a second. Every user value is a bound parameter; sort keys come from a
whitelist; the flat event row is `claimscope.export.event_rows` (shared with CSV/JSONL export).
Only full-text search is written per backend (FTS5 / tsvector)."""
from __future__ import annotations

import json
import re
import threading
from datetime import date, timedelta
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimscope import review
from claimscope.db import Connection, POSTGRESQL, is_url, pg_error, pg_options
from claimscope.export import EVENT_SELECT, event_json_select, event_rows, flatten
from claimscope.migrations import PG_TS_CONFIG_EXPR, PG_TS_CONFIGS
from claimscope.store import AUX_BITS, Store, load_analysis, open_reader
from claimscope.store import stats as store_stats

EVENT_SORTS = {"date": "e.day", "published": "e.published", "type": "e.type",
               "actor": "e.actor_name", "confidence": "e.confidence"}
DOCUMENT_SORTS = {"published": "d.published", "title": "d.title", "site": "d.site",
                  "added": "d.added_at"}
ACTOR_SORTS = {"events": "a.as_actor + a.as_recipient", "documents": "a.documents", "name": "a.name",
               "first_seen": "a.first_seen", "last_seen": "a.last_seen", "mentions": "a.mentions"}

WALK_FACTOR = 3
# cached counts and aggregates are keyed by the store's state, read at most this often: results
# reflect other processes' writes within this many seconds (uncached queries at once)
FRESH_S = 1.0
# what changes when anything the API shows is written (documents are only added or replaced)
STATE_SQL = ("SELECT (SELECT max(rowid) FROM documents), (SELECT count(*) FROM documents),"
             " (SELECT count(*) FROM failures), (SELECT count(*) FROM corrections)")


def like_escape(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


_TOKEN = re.compile(r"\w+", re.UNICODE)


def _words(text: str) -> list[str]:
    return _TOKEN.findall(text)[:20]


def fts_query(text: str) -> str | None:
    """User words -> a safe FTS5 query: every word quoted, all required. None if no words."""
    words = _words(text)
    if not words:
        return None
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def fts_phrase(text: str) -> str | None:
    """Words of a text filter -> an FTS5 phrase query (words in this order, last one a prefix)."""
    words = _words(text)
    if not words:
        return None
    return '"' + " ".join(w.replace('"', '""') for w in words) + '" *'


def ts_phrase(text: str) -> str | None:
    """The same for PostgreSQL: a tsquery `'w1' <-> 'w2':*` (words are word characters only: no quotes)."""
    words = _words(text)
    if not words:
        return None
    return " <-> ".join(f"'{w}'" for w in words) + ":*"


# a document matches a search when it matches in its own language's configuration
PG_DOC_QUERY = "d.tsv @@ (" + " || ".join(
    f"plainto_tsquery('{cfg}', ?)" for cfg in (*dict.fromkeys(PG_TS_CONFIGS.values()), "simple")) + ")"


def document_match(conn: Connection, q: str) -> tuple[str, list[Any]] | None:
    """The full-text condition on documents `d` for the words of `q` (None: no words)."""
    match = fts_query(q)
    if match is None:
        return None
    if conn.is_pg:
        return PG_DOC_QUERY, [" ".join(_words(q))] * PG_DOC_QUERY.count("?")
    return "d.rowid IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)", [match]


def search_hits(conn: Connection, q: str, limit: int) -> list[dict[str, Any]]:
    """The documents best matching the words of `q`, each with a snippet around them ([…]
    marks the words); [] when `q` has no words. FTS5 `snippet` / PostgreSQL `ts_headline`."""
    match = document_match(conn, q)
    if match is None:
        return []
    if conn.is_pg:
        cond, params = match
        query = cond.split("@@", 1)[1].strip()
        sql = (f"SELECT d.id, d.published, d.title, d.source, ts_headline({PG_TS_CONFIG_EXPR}, d.text,"
               f" {query}, 'StartSel=[, StopSel=], MaxWords=16, MinWords=8') AS snippet"
               f" FROM documents d WHERE {cond} ORDER BY ts_rank(d.tsv, {query}) DESC, d.rowid LIMIT ?")
        return [dict(r) for r in conn.execute(sql, [*params, *params, *params, limit])]
    return [dict(r) for r in conn.execute(
        "SELECT d.id, d.published, d.title, d.source,"
        " snippet(documents_fts, 1, '[', ']', '…', 16) AS snippet"
        " FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid"
        " WHERE documents_fts MATCH ? ORDER BY rank LIMIT ?", (match[1][0], limit))]


@dataclass(frozen=True)
class EventFilter:
    """Event filters, as SQL over the store's `events` (alias e): every filter and sort column
    is a column of that table with an index (claimscope.migrations, version 2)."""
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
    include_duplicates: bool = False  # else a story republished elsewhere counts once
    site: str | None = None  # of the document
    language: str | None = None  # of the document
    year: str | None = None  # of the event's day

    def where(self, resolve: Database | None = None, walk: bool = False) -> tuple[str, list[Any]]:
        """SQL conditions and parameters. `walk` (SQLite): the set-valued filters (recipient,
        aux, text) are written so that SQLite cannot drive the query from the set and walks an
        index in the sort order instead, testing membership (see _page_rowids)."""
        pg = resolve is not None and resolve.is_pg
        key = "+e.rowid" if walk else "e.rowid"
        clauses: list[str] = []
        params: list[Any] = []
        if self.types:
            clauses.append(f"e.type IN ({','.join('?' * len(self.types))})")
            params += list(self.types)
        if self.mode:
            clauses.append("e.mode = ?")
            params.append(self.mode)
        # a value that is a known entity id matches that id only; otherwise part of a name
        # (resolved to the matching names first, so the lookup is an index probe)
        if self.actor:
            if resolve is None or resolve.is_id(self.actor):
                clauses.append("e.actor_id = ?")
                params.append(self.actor)
            else:
                names = resolve.names(self.actor)
                clauses.append(f"e.actor_name IN ({','.join('?' * len(names))})" if names else "1 = 0")
                params += names
        if self.recipient:
            roles = f"{key} IN (SELECT r.event_rowid FROM event_roles r WHERE r.role = 'recipient' AND"
            if resolve is None or resolve.is_id(self.recipient):
                clauses.append(f"{roles} r.entity_id = ?)")
                params.append(self.recipient)
            else:
                names = resolve.names(self.recipient)
                clauses.append(f"{roles} r.name IN ({','.join('?' * len(names))}))" if names else "1 = 0")
                params += names
        if self.country:
            clauses.append("e.country = ?")
            params.append(self.country)
        if self.sector:
            clauses.append("e.sector = ?")
            params.append(self.sector)
        for aux in self.aux:  # the flag's bit is a constant (AUX_BITS): its partial indexes match
            clauses.append(f"(e.aux_bits & {AUX_BITS[aux]:d}) <> 0")
        if not self.include_duplicates and (resolve is None or resolve.has_duplicates()):
            clauses.append("e.doc_id NOT IN (SELECT id FROM documents WHERE duplicate_of IS NOT NULL)")
        if self.date_from:
            clauses.append("e.day >= ?")
            params.append(self.date_from)
        if self.date_to:
            clauses.append("e.day <= ?")
            params.append(self.date_to)
        if self.text:  # from the sentence full-text index straight to the events
            sentence = "+e.sentence_rowid" if walk else "e.sentence_rowid"
            phrase = ts_phrase(self.text) if pg else fts_phrase(self.text)
            if phrase is None:
                clauses.append("1 = 0")
            elif pg:
                clauses.append(f"{sentence} IN (SELECT s.rowid FROM sentences s"
                               " WHERE s.tsv @@ to_tsquery('simple', ?))")
                params.append(phrase)
            else:
                clauses.append(f"{sentence} IN (SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ?)")
                params.append(phrase)
        if self.doc:
            clauses.append("e.doc_id = ?")
            params.append(self.doc)
        for column in ("site", "language"):  # indexed document columns
            if getattr(self, column):
                clauses.append(f"e.doc_id IN (SELECT id FROM documents WHERE {column} = ?)")
                params.append(getattr(self, column))
        if self.year:  # the day index serves a year as a range
            clauses.append("e.day >= ? AND e.day <= ?")
            params += [f"{self.year}-01-01", f"{self.year}-12-31"]
        return " AND ".join(clauses), params

    @property
    def has_sets(self) -> bool:
        return bool(self.recipient or self.text)

    def sql(self, db: Database | None = None, walk: bool = False) -> tuple[str, list[Any]]:
        where, params = self.where(db, walk)
        return "FROM events e" + (f" WHERE {where}" if where else ""), params


class Database:
    """Read connections (one per server thread; read-only sessions: `serve` works with a
    read-only database role), a writer for ingest, and a small result cache for aggregates keyed
    by the store's state (STATE_SQL), so writes by any process invalidate it."""

    def __init__(self, target: str | Path, writable: bool = False, cache_size: int = 512,
                 pool_size: int = 8):
        self.target = str(target)
        self.path = None if is_url(self.target) else Path(self.target)
        self.is_pg = is_url(self.target)
        self.writable = writable
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._cache: OrderedDict[tuple, Any] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._cache_size = cache_size
        self._state: tuple = ()
        self._state_at = float("-inf")
        self._store: Store | None = Store(self.target) if writable else None  # creates/upgrades
        probe = open_reader(self.target)  # refuses a missing, older or newer database
        self.dialect = probe.dialect
        probe.close()
        self._pool = None
        if self.is_pg:
            from psycopg_pool import ConnectionPool

            self._pool = ConnectionPool(self.target, min_size=1, max_size=pool_size, open=False,
                                        kwargs=pg_options(read_only=True), timeout=30,
                                        name="claimscope-serve")
            try:
                self._pool.open(wait=True, timeout=30)
            except Exception as exc:
                raise pg_error(self.target, exc) from None

    def new_conn(self) -> Connection:
        if self._pool is not None:
            raw = self._pool.getconn()
            return Connection(raw, POSTGRESQL, self.target)
        c = open_reader(self.target)
        c.execute("PRAGMA query_only=ON")
        c.execute("PRAGMA cache_size=-16000")
        c.execute("PRAGMA mmap_size=268435456")
        return c

    def release(self, conn: Connection) -> None:
        if self._pool is not None:
            self._pool.putconn(conn.raw)
        else:
            conn.close()

    def conn(self) -> Connection:
        """This thread's read connection (a broken PostgreSQL one is replaced from the pool)."""
        c = getattr(self._local, "conn", None)
        if c is not None and self._pool is not None and (c.raw.closed or c.raw.broken):
            self.release(c)
            c = None
        if c is None:
            c = self._local.conn = self.new_conn()
        return c

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
        if self._store is not None:
            self._store.close()

    def has_duplicates(self) -> bool:
        """Whether any stored document is a near-duplicate (only then are copies filtered out)."""
        return self.cached(("has_duplicates",), lambda: self.conn().execute(
            "SELECT 1 FROM documents WHERE duplicate_of IS NOT NULL LIMIT 1").fetchone() is not None)

    def is_id(self, value: str) -> bool:
        return self.cached(("is_id", value), lambda: self.conn().execute(
            "SELECT 1 FROM entities WHERE id = ? LIMIT 1", (value,)).fetchone() is not None)

    def names(self, part: str) -> list[str]:
        """Actor/recipient names containing `part` (case-insensitive for ASCII)."""
        return self.cached(("names", part), lambda: [r[0] for r in self.conn().execute(
            f"SELECT name FROM entity_names WHERE name {self.dialect.like} ? ESCAPE '\\' LIMIT 500",
            (like_escape(part),))])

    def event_count(self) -> int:
        return self.cached(("event_count",), lambda: self.conn().execute(
            "SELECT count(*) FROM events").fetchone()[0])

    def state(self) -> tuple:
        """The store's state (STATE_SQL), re-read at most every FRESH_S seconds."""
        now = time.monotonic()
        if now - self._state_at >= FRESH_S:
            self._state = tuple(self.conn().execute(STATE_SQL).fetchone())
            self._state_at = now
        return self._state

    def cached(self, key: tuple, compute):
        if self._cache_size <= 0:
            return compute()
        key = (self.state(), *key)
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

    def correct(self, write):
        """Run `write(connection)` (an analyst's correction, claimscope.review) on the writer."""
        if self._store is None:
            raise PermissionError("the database is open read-only")
        with self._write_lock:
            result = write(self._store.conn)
        self._state_at = float("-inf")  # our own write: seen by the next request
        return result

    def add(self, doc) -> bool:
        if self._store is None:
            raise PermissionError("the database is open read-only")
        with self._write_lock:
            added = self._store.add(doc)
        self._state_at = float("-inf")  # our own write: seen by the next request
        return added


# ---------------------------------------------------------------- documents

def search_documents(db: Database, q: str | None = None, site: str | None = None,
                     language: str | None = None, date_from: str | None = None,
                     date_to: str | None = None, sort: str = "published", order: str = "desc",
                     limit: int = 20, offset: int = 0, year: str | None = None) -> dict[str, Any]:
    return document_page(db.conn(), q, site, language, date_from, date_to, sort, order, limit,
                         offset, cached=db.cached, year=year)


def document_where(conn: Connection, q: str | None = None, site: str | None = None,
                   language: str | None = None, date_from: str | None = None,
                   date_to: str | None = None, year: str | None = None) -> tuple[str | None, list[Any]]:
    """(" WHERE …" or "", parameters) over `documents d`; (None, []) when `q` has no words."""
    clauses: list[str] = []
    params: list[Any] = []
    match = document_match(conn, q) if q else None
    if q and match is None:
        return None, []
    if match:
        clauses.append(match[0])
        params += match[1]
    if site:
        clauses.append("d.site = ?")
        params.append(site)
    if language:
        clauses.append("d.language = ?")
        params.append(language)
    if date_from:
        # ISO strings: "its day >= D" is "published >= D" and "its day <= D" is "published <
        # the day after D", so the published index serves both
        clauses.append("d.published >= ?")
        params.append(date_from)
    if date_to:
        try:
            params.append((date.fromisoformat(date_to) + timedelta(days=1)).isoformat())
            clauses.append("d.published < ?")
        except ValueError:  # not a calendar date (the API refuses those; `list` checks the form)
            params.append(date_to)
            clauses.append("substr(d.published, 1, 10) <= ?")
    if year:  # "YYYY…" strings from the year on: the published index serves it
        clauses.append("d.published >= ? AND d.published < ?")
        params += [year, str(int(year) + 1)]
    return ((" WHERE " + " AND ".join(clauses)) if clauses else ""), params


def document_page(conn: Connection, q: str | None = None, site: str | None = None,
                  language: str | None = None, date_from: str | None = None,
                  date_to: str | None = None, sort: str = "published", order: str = "desc",
                  limit: int = 20, offset: int = 0, cached=lambda key, compute: compute(),
                  year: str | None = None) -> dict[str, Any]:
    """A page of documents over a plain store connection (`claimscope list` and the API)."""
    where, params = document_where(conn, q, site, language, date_from, date_to, year)
    if where is None:
        return {"total": 0, "limit": limit, "offset": offset, "items": []}
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
    row = db.conn().execute("SELECT analysis, text FROM documents WHERE id = ?", (doc_id,)).fetchone()
    return load_analysis(row[0], row[1]) if row else None


# ---------------------------------------------------------------- events

# the same sort keys in a form no index can serve: the page is then read from the filter's set
# and sorted (PostgreSQL's planner, misjudging how many events a set filter matches, would walk
# the whole sort index)
UNINDEXED_SORTS = {k: (f"{v} + 0" if k == "confidence" else f"({v} || '')") for k, v in EVENT_SORTS.items()}


def _order(sort: str, order: str, by_index: bool = True) -> str:
    # the rowid is the tie-breaker and the last column of every sort index, so an index on the
    # sort column serves ORDER BY+LIMIT
    # blanks (undated events) last: SQLite puts NULL first in ASC (and last in DESC)
    direction = "DESC" if order == "desc" else "ASC"
    key = EVENT_SORTS[sort] if by_index else UNINDEXED_SORTS[sort]
    return f"{key} {direction}{' NULLS LAST' if direction == 'ASC' else ''}, e.rowid {direction}"


def count_events(db: Database, f: EventFilter) -> int:
    frm, params = f.sql(db)
    return db.cached(("event_count", frm, tuple(params)),
                     lambda: db.conn().execute(f"SELECT count(*) {frm}", params).fetchone()[0])


def _rows_by_rowid(conn: Connection, rowids: list[int]) -> list[dict[str, Any]]:
    """The flat rows (export.event_rows) of these events, in this order."""
    if not rowids:
        return []
    sql = (EVENT_SELECT.replace("SELECT ", "SELECT e.rowid AS _rowid, ", 1)
           + f" WHERE e.rowid IN ({','.join('?' * len(rowids))})")
    found = {}
    for row in map(flatten, conn.execute(sql, rowids)):
        found[row.pop("_rowid")] = row
    # analysts' corrections (claimscope.review): values and `reviewed`; rejected events left out
    return list(review.corrected((found[r] for r in rowids if r in found), conn))


def _json_rows_by_rowid(conn: Connection, rowids: list[int]) -> list[str]:
    """The same rows as JSON object texts, rendered by the database; a page with an event of a
    document that analysts corrected goes through claimscope.review instead."""
    if not rowids:
        return []
    sql = (event_json_select(conn).replace("SELECT ", "SELECT e.rowid, e.doc_id, ", 1)
           + f" WHERE e.rowid IN ({','.join('?' * len(rowids))})")
    rows = conn.execute(sql, rowids).fetchall()
    docs = list({r[1] for r in rows})
    if docs and conn.execute(f"SELECT 1 FROM corrections WHERE doc_id IN ({','.join('?' * len(docs))})"
                             " LIMIT 1", docs).fetchone():
        return [json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in _rows_by_rowid(conn, rowids)]
    found = {r[0]: r[2] for r in rows}
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
    # SQLite is steered by how the set filter is written, PostgreSQL by how the sort key is.
    walk = False
    if total and f.has_sets:
        walk = (offset + limit) * db.event_count() < WALK_FACTOR * total * total
    frm, params = f.sql(db, walk and not db.is_pg)
    by_index = walk or not f.has_sets or not db.is_pg
    return [r[0] for r in db.conn().execute(
        f"SELECT e.rowid {frm} ORDER BY {_order(sort, order, by_index)} LIMIT ? OFFSET ?",
        [*params, limit, offset])]


def list_events_json(db: Database, f: EventFilter, sort: str = "date", order: str = "desc",
                     limit: int = 50, offset: int = 0) -> str:
    """The /api/events page as a JSON string (the rows rendered by the database)."""
    total = count_events(db, f)
    items = _json_rows_by_rowid(db.conn(), _page_rowids(db, f, sort, order, limit, offset, total))
    return f'{{"total":{total},"limit":{limit},"offset":{offset},"items":[' + ",".join(items) + "]}"


def list_events(db: Database, f: EventFilter, sort: str = "date", order: str = "desc",
                limit: int = 50, offset: int = 0) -> dict[str, Any]:
    total = count_events(db, f)
    items = _rows_by_rowid(db.conn(), _page_rowids(db, f, sort, order, limit, offset, total))
    return {"total": total, "limit": limit, "offset": offset, "items": items}


def iter_event_rows(db: Database, f: EventFilter, sort: str = "date", order: str = "desc",
                    max_rows: int | None = None, batch: int = 500):
    """All rows of the filtered set, in order, read in batches (for downloads)."""
    frm, params = f.sql(db)
    limit = f" LIMIT {int(max_rows)}" if max_rows else ""
    # a connection of its own: the download is consumed while other requests use this thread
    conn = db.new_conn()
    try:
        rowids = [r[0] for r in conn.execute(
            f"SELECT e.rowid {frm} ORDER BY {_order(sort, order)}{limit}", params)]
        for i in range(0, len(rowids), batch):
            yield from _rows_by_rowid(conn, rowids[i:i + batch])
    finally:
        db.release(conn)


# ---------------------------------------------------------------- actors

ACTORS_SQL = """
WITH ent AS (
  SELECT en.id, max(en.name) AS name, max(en.kind) AS kind, max(en.linked) AS linked,
         max(en.country) AS country, max(en.sector) AS sector, count(*) AS documents,
         min(d.published) AS first_seen, max(d.published) AS last_seen
  FROM entities en JOIN documents d ON d.id = en.doc_id {where} GROUP BY en.id),
roles AS (
  SELECT entity_id, sum(CASE WHEN role = 'actor' THEN 1 ELSE 0 END) AS as_actor,
         sum(CASE WHEN role = 'recipient' THEN 1 ELSE 0 END) AS as_recipient
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
        like = db.dialect.like
        clauses.append(f"(en.name {like} ? ESCAPE '\\' OR en.id = ? OR en.aliases {like} ? ESCAPE '\\')")
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
            f"SELECT * FROM ({sql}) a ORDER BY {ACTOR_SORTS[sort]} {direction} NULLS LAST, a.id", params)]
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
                                order="e.day DESC, e.rowid DESC LIMIT ?"))
        out[key] = {"total": total, "items": items}
    return out


def stats(db: Database, include_duplicates: bool = False) -> dict[str, Any]:
    def compute():
        s = store_stats(db.conn(), include_duplicates)
        s["sites"] = {r[0]: r[1] for r in db.conn().execute(
            "SELECT site, count(*) FROM documents WHERE site IS NOT NULL GROUP BY site"
            " ORDER BY count(*) DESC LIMIT 50")}
        return s
    return db.cached(("stats", include_duplicates), compute)

