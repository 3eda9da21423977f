"""SQLite store: one row set per document, keyed by content hash, one transaction per document.

The full analysis JSON is kept in `documents.analysis` (the source of truth for `show`, export
and the API); the other tables are its queryable projection. Failures are upserted on
(source, stage, reason), so a rerun adds nothing twice.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from claimscope.model import Document, Failure
from claimscope.serialize import to_analysis

SCHEMA_VERSION = 1

DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
  rowid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE, source TEXT NOT NULL, url TEXT, title TEXT, site TEXT, author TEXT,
  published TEXT, published_from TEXT NOT NULL, language TEXT, media_type TEXT,
  text TEXT NOT NULL, analysis TEXT NOT NULL, added_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS documents_published ON documents(published);
CREATE INDEX IF NOT EXISTS documents_site ON documents(site);
CREATE TABLE IF NOT EXISTS removed (
  doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL, text TEXT NOT NULL, reason TEXT NOT NULL, PRIMARY KEY (doc_id, seq));
CREATE TABLE IF NOT EXISTS sentences (
  doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  id INTEGER NOT NULL, kind TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
  parent INTEGER, text TEXT NOT NULL, PRIMARY KEY (doc_id, id));
CREATE TABLE IF NOT EXISTS entities (
  doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  id TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, linked INTEGER NOT NULL,
  country TEXT, sector TEXT, aliases TEXT NOT NULL, PRIMARY KEY (doc_id, id));
CREATE INDEX IF NOT EXISTS entities_id ON entities(id);
CREATE TABLE IF NOT EXISTS mentions (
  doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  entity_id TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS mentions_doc ON mentions(doc_id);
CREATE INDEX IF NOT EXISTS mentions_entity ON mentions(entity_id);
CREATE TABLE IF NOT EXISTS events (
  doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  id TEXT NOT NULL, type TEXT NOT NULL, mode TEXT, contexts TEXT NOT NULL, aux TEXT NOT NULL,
  date TEXT, sentence INTEGER NOT NULL, confidence REAL,
  actor_id TEXT, actor_name TEXT,
  span_start INTEGER NOT NULL, span_end INTEGER NOT NULL, span_text TEXT NOT NULL,
  trigger_start INTEGER NOT NULL, trigger_end INTEGER NOT NULL, trigger_text TEXT NOT NULL,
  PRIMARY KEY (doc_id, id));
CREATE INDEX IF NOT EXISTS events_type ON events(type, mode);
CREATE INDEX IF NOT EXISTS events_date ON events(date);
CREATE INDEX IF NOT EXISTS events_actor ON events(actor_id);
CREATE TABLE IF NOT EXISTS event_roles (
  doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  event_id TEXT NOT NULL, role TEXT NOT NULL CHECK (role IN ('actor', 'recipient', 'object')),
  entity_id TEXT, name TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
  text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS event_roles_event ON event_roles(doc_id, event_id);
CREATE INDEX IF NOT EXISTS event_roles_entity ON event_roles(entity_id, role);
CREATE TABLE IF NOT EXISTS times (
  doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL, value TEXT, granularity TEXT);
CREATE INDEX IF NOT EXISTS times_doc ON times(doc_id);
CREATE TABLE IF NOT EXISTS failures (
  id INTEGER PRIMARY KEY, source TEXT NOT NULL, stage TEXT NOT NULL, reason TEXT NOT NULL,
  first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, count INTEGER NOT NULL DEFAULT 1,
  UNIQUE (source, stage, reason));
CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5(
  title, text, content='documents', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER IF NOT EXISTS documents_ai AFTER INSERT ON documents BEGIN
  INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text); END;
CREATE TRIGGER IF NOT EXISTS documents_ad AFTER DELETE ON documents BEGIN
  INSERT INTO documents_fts(documents_fts, rowid, title, text)
  VALUES ('delete', old.rowid, old.title, old.text); END;
"""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def connect(path: str | Path, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True,
                               check_same_thread=False)
    else:
        conn = sqlite3.connect(str(path), check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


class Store:
    """Write side of the SQLite store."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.conn = connect(self.path)
        self.conn.executescript(DDL)
        self.conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)",
                          (str(SCHEMA_VERSION),))
        self.conn.commit()

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def has(self, doc_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None

    def add(self, doc: Document, replace: bool = False) -> bool:
        """Store one document atomically; False when it was already there (and not replaced)."""
        with self.conn:  # one transaction: all rows of the document or none
            if self.has(doc.id):
                if not replace:
                    return False
                self.conn.execute("DELETE FROM documents WHERE id = ?", (doc.id,))
            self._insert(doc)
        return True

    def _insert(self, doc: Document) -> None:
        c = self.conn
        analysis = to_analysis(doc)
        c.execute(
            "INSERT INTO documents (id, source, url, title, site, author, published, published_from,"
            " language, media_type, text, analysis, added_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (doc.id, doc.source, doc.url, doc.title, doc.site, doc.author, doc.published,
             doc.published_from, doc.language, doc.media_type, doc.text,
             json.dumps(analysis, ensure_ascii=False), _now()))
        c.executemany("INSERT INTO removed VALUES (?,?,?,?)",
                      [(doc.id, i, r.text, r.reason) for i, r in enumerate(doc.removed)])
        c.executemany("INSERT INTO sentences VALUES (?,?,?,?,?,?,?)",
                      [(doc.id, s.id, s.kind, s.start, s.end, s.parent, doc.text[s.start:s.end])
                       for s in doc.sentences])
        c.executemany("INSERT INTO entities VALUES (?,?,?,?,?,?,?,?)",
                      [(doc.id, e.id, e.name, e.kind, int(e.linked), e.country, e.sector,
                        json.dumps(e.aliases, ensure_ascii=False)) for e in doc.entities])
        c.executemany("INSERT INTO mentions VALUES (?,?,?,?,?)",
                      [(doc.id, e.id, m.start, m.end, m.text) for e in doc.entities for m in e.mentions])
        roles = []
        for ev in doc.events:
            c.execute(
                "INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc.id, ev.id, ev.type, ev.mode, json.dumps(ev.contexts), json.dumps(ev.aux),
                 ev.date, ev.sentence, ev.confidence,
                 ev.actor.entity if ev.actor else None, ev.actor.name if ev.actor else None,
                 ev.span.start, ev.span.end, ev.span.text,
                 ev.trigger.start, ev.trigger.end, ev.trigger.text))
            tagged = [("actor", ev.actor), ("object", ev.object)] + [("recipient", r) for r in ev.recipients]
            roles += [(doc.id, ev.id, role, r.entity, r.name, r.start, r.end, r.text)
                      for role, r in tagged if r is not None]
        c.executemany("INSERT INTO event_roles VALUES (?,?,?,?,?,?,?,?)", roles)
        c.executemany("INSERT INTO times VALUES (?,?,?,?,?,?)",
                      [(doc.id, t.start, t.end, t.text, t.value, t.granularity) for t in doc.times])

    def add_failure(self, failure: Failure) -> None:
        now = _now()
        with self.conn:
            self.conn.execute(
                "INSERT INTO failures (source, stage, reason, first_seen, last_seen) VALUES (?,?,?,?,?)"
                " ON CONFLICT (source, stage, reason) DO UPDATE SET last_seen = excluded.last_seen,"
                " count = count + 1", (failure.source, failure.stage, failure.reason, now, now))


def get_analysis(conn: sqlite3.Connection, doc_id: str) -> dict[str, Any] | None:
    """The stored analysis of a document by id or unique id prefix."""
    # a plain prefix comparison: with LIKE, '_' and '%' in the argument would be wildcards
    rows = conn.execute("SELECT analysis FROM documents WHERE substr(id, 1, ?) = ? LIMIT 2",
                        (len(doc_id), doc_id)).fetchall()
    if len(rows) != 1:
        return None
    return json.loads(rows[0]["analysis"])


def iter_analyses(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    for row in conn.execute("SELECT analysis FROM documents ORDER BY rowid"):
        yield json.loads(row["analysis"])


def stats(conn: sqlite3.Connection) -> dict[str, Any]:
    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    return {
        "documents": one("SELECT count(*) FROM documents"),
        "sentences": one("SELECT count(*) FROM sentences"),
        "entities": one("SELECT count(DISTINCT id) FROM entities"),
        "entity_records": one("SELECT count(*) FROM entities"),  # one per entity per document
        "linked_entities": one("SELECT count(DISTINCT id) FROM entities WHERE linked = 1"),
        "mentions": one("SELECT count(*) FROM mentions"),
        "events": one("SELECT count(*) FROM events"),
        "times": one("SELECT count(*) FROM times"),
        "failures": one("SELECT count(*) FROM failures"),
        "events_by_type": {r[0]: r[1] for r in conn.execute(
            "SELECT type, count(*) FROM events GROUP BY type ORDER BY count(*) DESC, type")},
        "languages": {str(r[0]): r[1] for r in conn.execute(
            "SELECT language, count(*) FROM documents GROUP BY language ORDER BY count(*) DESC")},
        "published_range": list(conn.execute(
            "SELECT min(published), max(published) FROM documents").fetchone()),
    }
