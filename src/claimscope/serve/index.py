"""Serving index: a denormalised, indexed copy of the event projection, built at start-up into a
temporary SQLite file and ATTACHed (read-only) as `idx` to every request connection.

Why: the store's tables are normalised for writing; filtering events by the *effective* day
(event date, else publication date), by the actor's country/sector (in `entities`), by
recipients and by words of the sentence needs joins or expressions no store index can serve.
Here each event is one row with those values precomputed and indexed, sentence words are in
FTS5, and the page of rows is then read from the store with `export.event_rows`.
The store itself is never written (it stays read-only); the index file is deleted at exit.
"""
from __future__ import annotations

import atexit
import json
import shutil
import sqlite3
import tempfile
from pathlib import Path

from claimscope.export import event_rows

AUX_BITS = {"negation": 1, "hypothetical": 2, "future": 4, "historical": 8}

DDL = """
CREATE TABLE IF NOT EXISTS ev (
  erowid INTEGER PRIMARY KEY, doc_id TEXT NOT NULL, day TEXT, week TEXT, published TEXT,
  type TEXT NOT NULL, mode TEXT, actor_id TEXT, actor_name TEXT, country TEXT, sector TEXT,
  aux INTEGER NOT NULL, confidence REAL);
-- a date window is scanned in this covering index (no table lookups) and then sorted
CREATE INDEX IF NOT EXISTS ev_day ON ev(day, published, type, actor_name, confidence);
CREATE INDEX IF NOT EXISTS ev_sector_day ON ev(sector, day);
CREATE INDEX IF NOT EXISTS ev_published ON ev(published);
CREATE INDEX IF NOT EXISTS ev_confidence ON ev(confidence);
CREATE INDEX IF NOT EXISTS ev_doc ON ev(doc_id);
CREATE TABLE IF NOT EXISTS rec (erowid INTEGER NOT NULL, entity_id TEXT, name TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS rec_entity ON rec(entity_id, erowid);
CREATE INDEX IF NOT EXISTS rec_name ON rec(name, erowid);
CREATE INDEX IF NOT EXISTS rec_erowid ON rec(erowid);
CREATE TABLE IF NOT EXISTS aux (erowid INTEGER NOT NULL, bit INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS aux_bit ON aux(bit, erowid);
CREATE TABLE IF NOT EXISTS rowjson (erowid INTEGER PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS names (name TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ids (id TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS ev_fts USING fts5(
  span_text, content='', tokenize='unicode61 remove_diacritics 2');
"""

# (equality filter, sort column) indexes: an equality filter plus any sort is an index walk
# (the rowid, the tie-breaker, is the last column of every index), not a sort of all matches
EQ_FILTERS = {"type": ("type",), "type_mode": ("type", "mode"), "actor": ("actor_id",), "actor_name": ("actor_name",),
              "country_sector": ("country", "sector")}
SORT_COLUMNS = ("day", "published", "type", "actor_name", "confidence")
DDL += "".join(
    f"CREATE INDEX IF NOT EXISTS ev_{name}_{col} ON ev({', '.join(dict.fromkeys(cols + (col,)))});\n"
    for name, cols in EQ_FILTERS.items() for col in SORT_COLUMNS)

DAY = ("(CASE WHEN e.date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' "
       "THEN substr(e.date, 1, 10) ELSE substr(d.published, 1, 10) END)")
AUX_EXPR = " | ".join(
    f"(CASE WHEN EXISTS (SELECT 1 FROM json_each(e.aux) WHERE value = '{name}') THEN {bit} ELSE 0 END)"
    for name, bit in AUX_BITS.items())


def _fill(conn: sqlite3.Connection, doc_filter: str = "", params: tuple = ()) -> None:
    where = " WHERE e.doc_id = ?" if doc_filter else ""
    conn.execute(
        f"INSERT INTO ev SELECT e.rowid, e.doc_id, {DAY}, NULL, d.published, e.type, e.mode,"
        f" e.actor_id, e.actor_name, en.country, en.sector, {AUX_EXPR}, e.confidence"
        " FROM src.events e JOIN src.documents d ON d.id = e.doc_id"
        " LEFT JOIN src.entities en ON en.doc_id = e.doc_id AND en.id = e.actor_id" + where, params)
    wsub = " AND e.doc_id = ?" if doc_filter else ""
    conn.execute("UPDATE ev SET week = date(day, 'weekday 0', '-6 days') WHERE week IS NULL AND day IS NOT NULL")
    conn.execute(
        "INSERT INTO rec SELECT e.rowid, r.entity_id, r.name FROM src.event_roles r"
        " JOIN src.events e ON e.doc_id = r.doc_id AND e.id = r.event_id WHERE r.role = 'recipient'"
        + wsub, params)
    bits = " ".join(f"WHEN {name!r} THEN {bit}" for name, bit in AUX_BITS.items())
    conn.execute(f"INSERT INTO aux SELECT e.rowid, CASE j.value {bits} END"
                 " FROM src.events e, json_each(e.aux) j WHERE j.value IN"
                 f" ({', '.join(repr(n) for n in AUX_BITS)})" + wsub, params)
    conn.execute("INSERT INTO ev_fts(rowid, span_text) SELECT e.rowid, e.span_text FROM src.events e"
                 + where, params)
    # the flat export row of every event, serialised once (export.event_rows is the one flattening)
    rowid = {(r[1], r[2]): r[0] for r in conn.execute(
        "SELECT rowid, doc_id, id FROM src.events" + (" WHERE doc_id = ?" if doc_filter else ""), params)}
    conn.executemany("INSERT OR REPLACE INTO rowjson VALUES (?, ?)", (
        (rowid[(row["doc_id"], row["event_id"])], json.dumps(row, ensure_ascii=False, separators=(",", ":")))
        for row in event_rows(conn, "e.doc_id = ?" if doc_filter else "", params, order="e.rowid")))
    conn.execute("INSERT OR IGNORE INTO names SELECT actor_name FROM ev WHERE actor_name IS NOT NULL")
    conn.execute("INSERT OR IGNORE INTO names SELECT name FROM rec")
    conn.execute("INSERT OR IGNORE INTO ids SELECT DISTINCT id FROM src.entities" +
                 (" WHERE doc_id = ?" if doc_filter else ""), params)


class ServingIndex:
    def __init__(self, store_path: Path):
        self.store_path = Path(store_path).resolve()
        self.dir = Path(tempfile.mkdtemp(prefix="claimscope-serve-"))
        self.path = self.dir / "index.db"
        atexit.register(shutil.rmtree, self.dir, True)
        conn = self._writer()
        with conn:
            conn.executescript(DDL)
            _fill(conn)
        conn.execute("ANALYZE main")
        conn.commit()
        self.events = conn.execute("SELECT count(*) FROM ev").fetchone()[0]
        conn.close()

    def _writer(self) -> sqlite3.Connection:
        conn = sqlite3.connect(str(self.path), check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("ATTACH DATABASE ? AS src", (f"file:{self.store_path}?mode=ro",))
        return conn

    def attach(self, conn: sqlite3.Connection) -> None:
        """ATTACH the index read-only to a connection opened with URI filenames enabled."""
        conn.execute("ATTACH DATABASE ? AS idx", (f"file:{self.path}?mode=ro",))

    def add_document(self, doc_id: str) -> None:
        """Index the events of one newly stored document (ingest)."""
        conn = self._writer()
        try:
            with conn:
                old = [r[0] for r in conn.execute("SELECT erowid FROM ev WHERE doc_id = ?", (doc_id,))]
                if old:
                    marks = ",".join("?" * len(old))
                    conn.execute(f"DELETE FROM ev WHERE erowid IN ({marks})", old)
                    conn.execute(f"DELETE FROM rec WHERE erowid IN ({marks})", old)
                    conn.execute(f"DELETE FROM aux WHERE erowid IN ({marks})", old)
                    conn.execute(f"DELETE FROM rowjson WHERE erowid IN ({marks})", old)
                _fill(conn, "doc", (doc_id,))
            self.events = conn.execute("SELECT count(*) FROM ev").fetchone()[0]
        finally:
            conn.close()
