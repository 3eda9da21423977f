"""The store: one row set per document, keyed by content hash, in SQLite (a path) or PostgreSQL
(a `postgresql://` URL); the schema is claimscope.migrations.

The analysis JSON is kept in `documents.analysis` (the source of truth for `show`, export
and the API) in a compact form: the texts that are slices of the document (the document text
itself, sentence texts, event sentence spans) are left out and put back on reading, so a long
sentence is stored once however many events it has. The other tables are its queryable
projection. Writes are "check and insert" in one transaction: `INSERT … ON CONFLICT (id) DO
NOTHING` decides whether a document is new, so concurrent writers over overlapping inputs store
each document exactly once; transient lock conflicts are retried with backoff (db.retrying).
Failures are upserted on (source, stage, reason), so a rerun adds nothing twice. Each new
document is compared with the stored ones for near-duplicates (claimscope.dedup):
`documents.duplicate_of` names the original it repeats, `minhash` keeps the signatures.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from claimscope.db import Connection, connect, retrying
from claimscope.migrations import LATEST, PG_TS_CHARS, pending, require_current, upgrade
from claimscope.dedup import NearDuplicates, signature
from claimscope.model import Document, Failure
from claimscope.serialize import to_analysis

SCHEMA_VERSION = LATEST
AUX_BITS = {"negation": 1, "hypothetical": 2, "future": 4, "historical": 8}
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

# the projection tables and their columns, in insert order (documents first: the others
# reference it)
COLUMNS = {
    "documents": ("id", "source", "url", "title", "site", "author", "published", "published_from",
                  "language", "media_type", "text", "analysis", "added_at"),
    "removed": ("doc_id", "seq", "text", "reason"),
    "sentences": ("rowid", "doc_id", "id", "kind", "start", '"end"', "parent"),
    "entities": ("doc_id", "id", "name", "kind", "linked", "country", "sector", "aliases"),
    "mentions": ("doc_id", "entity_id", "start", '"end"', "text"),
    "events": ("rowid", "doc_id", "id", "type", "mode", "contexts", "aux", "date", "sentence",
               "confidence", "actor_id", "actor_name", "span_start", "span_end", "trigger_start",
               "trigger_end", "trigger_text", "day", "week", "published", "country", "sector",
               "aux_bits", "sentence_rowid", "recipients", "recipient_ids", "recipient_countries",
               "recipient_sectors", "object", "date_start", "date_end"),
    "event_roles": ("doc_id", "event_id", "role", "entity_id", "name", "start", '"end"', "text",
                    "event_rowid"),
    "times": ("doc_id", "start", '"end"', "text", "value", "granularity"),
}
CHILD_TABLES = ("removed", "entities", "mentions", "events", "event_roles", "times")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# ---------------------------------------------------------------- compact analysis JSON

def compact_analysis(a: dict[str, Any]) -> dict[str, Any]:
    """The analysis without the texts that are slices of document.text."""
    return {
        **a,
        "document": {k: v for k, v in a["document"].items() if k != "text"},
        "sentences": [{k: v for k, v in s.items() if k != "text"} for s in a["sentences"]],
        "events": [{**e, "span": {k: v for k, v in e["span"].items() if k != "text"}}
                   for e in a["events"]],
    }


def expand_analysis(a: dict[str, Any], text: str) -> dict[str, Any]:
    """Inverse of compact_analysis (a full analysis passes through unchanged)."""
    d = a["document"]
    if "text" not in d:
        d = {**{k: v for k, v in d.items() if k != "removed"}, "text": text, "removed": d.get("removed", [])}
    return {
        **a,
        "document": d,
        "sentences": [s if "text" in s else {**s, "text": text[s["start"]:s["end"]]} for s in a["sentences"]],
        "events": [e if "text" in e["span"] else
                   {**e, "span": {**e["span"], "text": text[e["span"]["start"]:e["span"]["end"]]}}
                   for e in a["events"]],
    }


def load_analysis(analysis: str, text: str) -> dict[str, Any]:
    return expand_analysis(json.loads(analysis), text)


# ---------------------------------------------------------------- projection rows

def event_day(event_date: str | None, published: str | None) -> str | None:
    """The day an event counts for: its own date when it starts with a full ISO date, else the
    document's publication day."""
    if event_date and _ISO_DAY.match(event_date):
        return event_date[:10]
    return published[:10] if published else None


def week_of(day: str | None) -> str | None:
    """Monday of the ISO week of `day` (None for no or an impossible date)."""
    try:
        d = date.fromisoformat(day) if day else None
    except ValueError:
        return None
    return (d - timedelta(days=d.weekday())).isoformat() if d else None


def _rows(doc: Document, sentence_rowids: dict[int, int], event_rowids: Iterator[int]) -> dict[str, list[tuple]]:
    """The rows of every projection table for one document (not the documents row);
    `sentence_rowids`: the rowid each of its sentences gets; `event_rowids`: the next free
    event rowids."""
    from claimscope.export import date_bounds

    j = lambda v: json.dumps(v, ensure_ascii=False)  # noqa: E731
    entities = {e.id: e for e in doc.entities}
    out: dict[str, list[tuple]] = {
        "removed": [(doc.id, i, r.text, r.reason) for i, r in enumerate(doc.removed)],
        "sentences": [(sentence_rowids[s.id], doc.id, s.id, s.kind, s.start, s.end, s.parent)
                      for s in doc.sentences],
        "entities": [(doc.id, e.id, e.name, e.kind, int(e.linked), e.country, e.sector, j(e.aliases))
                     for e in doc.entities],
        "mentions": [(doc.id, e.id, m.start, m.end, m.text) for e in doc.entities for m in e.mentions],
        "events": [], "event_roles": [],
        "times": [(doc.id, t.start, t.end, t.text, t.value, t.granularity) for t in doc.times],
    }
    for ev in doc.events:
        rowid = next(event_rowids)
        actor = entities.get(ev.actor.entity) if ev.actor and ev.actor.entity else None
        day = event_day(ev.date, doc.published)
        recipients = [(r, entities.get(r.entity) if r.entity else None) for r in ev.recipients]
        first, last = date_bounds(ev.date)
        out["events"].append((
            rowid, doc.id, ev.id, ev.type, ev.mode, j(ev.contexts), j(ev.aux), ev.date, ev.sentence,
            ev.confidence, ev.actor.entity if ev.actor else None, ev.actor.name if ev.actor else None,
            ev.span.start, ev.span.end, ev.trigger.start, ev.trigger.end, ev.trigger.text,
            day, week_of(day), doc.published, actor.country if actor else None,
            actor.sector if actor else None, sum(AUX_BITS.get(a, 0) for a in set(ev.aux)),
            sentence_rowids.get(ev.sentence),
            j([r.name for r, _ in recipients]), j([r.entity for r, _ in recipients]),
            j([e.country if e else None for _, e in recipients]),
            j([e.sector if e else None for _, e in recipients]),
            ev.object.name if ev.object else None,
            first.isoformat() if first else None, last.isoformat() if last else None))
        tagged = [("actor", ev.actor), ("object", ev.object)] + [("recipient", r) for r in ev.recipients]
        out["event_roles"] += [(doc.id, ev.id, role, r.entity, r.name, r.start, r.end, r.text, rowid)
                               for role, r in tagged if r is not None]
    return out


def _document_row(doc: Document) -> tuple:
    analysis = json.dumps(compact_analysis(to_analysis(doc)), ensure_ascii=False)
    return (doc.id, doc.source, doc.url, doc.title, doc.site, doc.author, doc.published,
            doc.published_from, doc.language, doc.media_type, doc.text, analysis, _now())


def _names(docs: Iterable[Document]) -> list[tuple[str]]:
    """Actor and recipient names (the API resolves 'part of a name' against them), sorted so
    concurrent writers take their locks in one order."""
    names = {r.name for doc in docs for ev in doc.events
             for r in ([ev.actor] if ev.actor else []) + list(ev.recipients) if r.name}
    return [(n,) for n in sorted(names)]


# ---------------------------------------------------------------- writing, per backend

def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def _copy(conn: Connection, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Bulk rows into PostgreSQL with COPY (an order of magnitude faster than INSERTs)."""
    if not rows:
        return
    with conn.raw.cursor() as cur:
        with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _reserve_rowids(conn: Connection, table: str, n: int) -> list[int]:
    """`n` new rowids of `table` (sentences, events). Events refer to their sentence by rowid
    (the text filter goes from the sentence full-text index straight to the events) and roles
    to their event, so the rowids are chosen before the rows are written: in SQLite the
    transaction holds the write lock, so the next free ones; in PostgreSQL from the identity
    sequence."""
    if n == 0:
        return []
    if conn.is_pg:
        return [r[0] for r in conn.execute(
            f"SELECT nextval(pg_get_serial_sequence('{table}', 'rowid')) FROM generate_series(1, ?)", (n,))]
    top = conn.execute(f"SELECT coalesce(max(rowid), 0) FROM {table}").fetchone()[0]
    return list(range(top + 1, top + n + 1))


def _write_children(conn: Connection, docs: list[Document]) -> None:
    """Every projection row of these (just inserted) documents, then the name list."""
    if not docs:
        return
    rowids = iter(_reserve_rowids(conn, "sentences", sum(len(d.sentences) for d in docs)))
    event_rowids = iter(_reserve_rowids(conn, "events", sum(len(d.events) for d in docs)))
    rows: dict[str, list[tuple]] = {t: [] for t in ("sentences", *CHILD_TABLES)}
    texts: list[tuple] = []  # (sentence rowid, text)
    for doc in docs:
        by_id = {s.id: next(rowids) for s in doc.sentences}
        for table, table_rows in _rows(doc, by_id, event_rowids).items():
            rows[table] += table_rows
        texts += [(by_id[s.id], doc.text[s.start:s.end]) for s in doc.sentences]
    if conn.is_pg:
        for table in CHILD_TABLES:
            _copy(conn, table, COLUMNS[table], rows[table])
        # sentence words go into a tsvector; the text itself only passes through a temp table
        cols = ", ".join(COLUMNS["sentences"])
        conn.execute('CREATE TEMP TABLE IF NOT EXISTS sentence_text (rowid BIGINT, doc_id TEXT, id INTEGER,'
                     ' kind TEXT, start INTEGER, "end" INTEGER, parent INTEGER, text TEXT) ON COMMIT DELETE ROWS')
        _copy(conn, "sentence_text", (*COLUMNS["sentences"], "text"),
              [(*row, text) for row, (_, text) in zip(rows["sentences"], texts)])
        conn.execute(f"INSERT INTO sentences ({cols}, tsv) SELECT {cols},"
                     f" to_tsvector('simple', left(text, {PG_TS_CHARS})) FROM sentence_text")
        conn.execute("DELETE FROM sentence_text")
        conn.execute("INSERT INTO entity_names SELECT unnest(?::text[]) ORDER BY 1 ON CONFLICT DO NOTHING",
                     ([n for (n,) in _names(docs)],))
        return
    for table in ("sentences", *CHILD_TABLES):
        conn.executemany(_insert_sql(table, COLUMNS[table]), rows[table])
    conn.executemany("INSERT INTO sentences_fts(rowid, text) VALUES (?, ?)", texts)
    conn.executemany("INSERT INTO entity_names VALUES (?) ON CONFLICT DO NOTHING", _names(docs))


def _forget_sentences(conn: Connection, doc_ids: list[str]) -> None:
    """Remove these documents' sentences from the SQLite sentence index (contentless: it
    forgets a row only when told its text)."""
    if not conn.is_pg:
        conn.executemany(
            "INSERT INTO sentences_fts(sentences_fts, rowid, text) SELECT 'delete', s.rowid,"
            ' substr(d.text, s.start + 1, s."end" - s.start) FROM sentences s'
            " JOIN documents d ON d.id = s.doc_id WHERE s.doc_id = ?", [(i,) for i in doc_ids])


def _delete(conn: Connection, doc_ids: list[str]) -> None:
    """Remove documents and (by cascade) all their rows."""
    _forget_sentences(conn, doc_ids)
    conn.executemany("DELETE FROM documents WHERE id = ?", [(i,) for i in doc_ids])


def reproject_all(conn: Connection, batch: int = 200) -> None:
    """Rebuild the projection rows of every stored document from its analysis (migrations)."""
    from claimscope.serialize import from_analysis

    ids = [r[0] for r in conn.execute("SELECT id FROM documents ORDER BY rowid")]
    for i in range(0, len(ids), batch):
        chunk = ids[i:i + batch]
        docs = []
        _forget_sentences(conn, chunk)
        for doc_id in chunk:
            row = conn.execute("SELECT analysis, text FROM documents WHERE id = ?", (doc_id,)).fetchone()
            docs.append(from_analysis(load_analysis(row[0], row[1])))
            for table in ("sentences", *CHILD_TABLES):
                conn.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))
        _write_children(conn, docs)
        conn.executemany("UPDATE documents SET analysis = ? WHERE id = ?", [
            (json.dumps(compact_analysis(to_analysis(d)), ensure_ascii=False), d.id) for d in docs])


def _record_signatures(conn: Connection, near: NearDuplicates, signed: list[tuple[str, bytes | None]]) -> None:
    """Store the signatures of newly stored documents and mark those that repeat an earlier one."""
    conn.executemany("INSERT INTO minhash (doc_id, signature) VALUES (?, ?)",
                     [(doc_id, sig) for doc_id, sig in signed if sig is not None])
    marks = [(original, doc_id) for doc_id, sig in signed if (original := near.add(doc_id, sig))]
    conn.executemany("UPDATE documents SET duplicate_of = ? WHERE id = ?", marks)


def sign_stored(conn: Connection, batch: int = 500) -> None:
    """Signatures and `duplicate_of` of every stored document, in storing order (migration 5)."""
    near = NearDuplicates()
    last = -1
    while rows := conn.execute("SELECT rowid, id, text FROM documents WHERE rowid > ? ORDER BY rowid"
                               " LIMIT ?", (last, batch)).fetchall():
        _record_signatures(conn, near, [(r[1], signature(r[2])) for r in rows])
        last = rows[-1][0]


# ---------------------------------------------------------------- the store

class Store:
    """Write side of the store (SQLite path or PostgreSQL URL)."""

    def __init__(self, target: str | Path):
        self.target = str(target)
        self.path = Path(target) if not self.target.startswith(("postgresql:", "postgres:")) else None
        self.conn = connect(target)
        if pending(self.conn):
            retrying(lambda: upgrade(self.conn))
        self._near: NearDuplicates | None = None

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
        return self.add_many([doc], replace)[0]

    def add_many(self, docs: list[Document], replace: bool = False,
                 signatures: dict[str, bytes | None] | None = None) -> list[bool]:
        """Store documents in one transaction (bulk loads: fewer commits, COPY on PostgreSQL);
        for each, whether it was stored (False: already there). All or nothing. `signatures`:
        MinHash signatures already computed (by a batch worker), else they are computed here."""
        def attempt() -> list[bool]:
            try:
                with self.conn.transaction():
                    if replace:
                        _delete(self.conn, [d.id for d in docs])
                    added = self._insert_many(docs)
                    fresh = {d.id: d for d, new in zip(docs, added) if new}
                    _record_signatures(self.conn, self.near_duplicates(), [
                        (i, signatures[i] if signatures and i in signatures else signature(d.text))
                        for i, d in fresh.items()])
                    return added
            except BaseException:
                self._near = None  # it saw documents that were rolled back: rebuild from the store
                raise
        return retrying(attempt)

    def near_duplicates(self) -> NearDuplicates:
        """The near-duplicate index of the stored documents (built on first use). Documents
        another process stores meanwhile are not in it: a copy stored concurrently with its
        original by another writer may go unmarked."""
        if self._near is None:
            self._near = NearDuplicates()
            self._near.add_known(self.conn.execute(
                "SELECT d.id, m.signature, d.duplicate_of FROM documents d"
                " LEFT JOIN minhash m ON m.doc_id = d.id ORDER BY d.rowid"))
        return self._near

    def _insert_many(self, docs: list[Document]) -> list[bool]:
        new_ids = self._insert_documents(docs)
        fresh, seen = [], set()
        for doc in docs:
            if doc.id in new_ids and doc.id not in seen:
                seen.add(doc.id)
                fresh.append(doc)
        _write_children(self.conn, fresh)
        return [d.id in new_ids for d in docs]

    def _insert_documents(self, docs: list[Document]) -> set[str]:
        """Insert the document rows that are not there yet; the ids actually inserted."""
        cols = COLUMNS["documents"]
        rows = sorted({d.id: _document_row(d) for d in docs}.values())  # one lock order
        if self.conn.is_pg:
            self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS documents_in ("
                              + ", ".join(f"{c} TEXT" for c in cols) + ") ON COMMIT DELETE ROWS")
            _copy(self.conn, "documents_in", cols, rows)
            inserted = self.conn.execute(
                f"INSERT INTO documents ({', '.join(cols)}) SELECT {', '.join(cols)} FROM documents_in"
                " ORDER BY id ON CONFLICT (id) DO NOTHING RETURNING id").fetchall()
            self.conn.execute("DELETE FROM documents_in")
            return {r[0] for r in inserted}
        sql = _insert_sql("documents", cols) + " ON CONFLICT (id) DO NOTHING RETURNING id"
        return {r[0] for row in rows for r in self.conn.execute(sql, row).fetchall()}

    def add_failure(self, failure: Failure) -> None:
        now = _now()

        def attempt() -> None:
            with self.conn.transaction():
                self.conn.execute(
                    "INSERT INTO failures (source, stage, reason, first_seen, last_seen) VALUES (?,?,?,?,?)"
                    " ON CONFLICT (source, stage, reason) DO UPDATE SET last_seen = excluded.last_seen,"
                    " count = failures.count + 1", (failure.source, failure.stage, failure.reason, now, now))
        retrying(attempt)

    def merge_failures(self, rows: list[dict[str, Any]]) -> int:
        """Failures recorded elsewhere (a batch dataset), as they are: one already here is left
        alone, so loading the same rows twice adds nothing. Returns the number added."""
        def attempt() -> int:
            with self.conn.transaction():
                count = "SELECT count(*) FROM failures"
                before = self.conn.execute(count).fetchone()[0]
                self.conn.executemany(
                    "INSERT INTO failures (source, stage, reason, first_seen, last_seen, count)"
                    " VALUES (?,?,?,?,?,?) ON CONFLICT (source, stage, reason) DO NOTHING",
                    [(r["source"], r["stage"], r["reason"], r["first_seen"], r["last_seen"], r["count"])
                     for r in rows])
                return self.conn.execute(count).fetchone()[0] - before
        return retrying(attempt)


def open_reader(target: str | Path) -> Connection:
    """A read-only connection to an existing store of the current schema."""
    conn = connect(target, read_only=True)
    require_current(conn)
    return conn


def get_analysis(conn: Connection, doc_id: str) -> dict[str, Any] | None:
    """The stored analysis of a document by id or unique id prefix."""
    # a plain prefix comparison: with LIKE, '_' and '%' in the argument would be wildcards
    rows = conn.execute("SELECT analysis, text FROM documents WHERE substr(id, 1, ?) = ? LIMIT 2",
                        (len(doc_id), doc_id)).fetchall()
    if len(rows) != 1:
        return None
    return load_analysis(rows[0][0], rows[0][1])


def iter_analyses(conn: Connection) -> Iterator[dict[str, Any]]:
    last = -1
    while True:  # in pages: a PostgreSQL cursor would otherwise fetch the whole table
        rows = conn.execute("SELECT rowid, analysis, text FROM documents WHERE rowid > ?"
                            " ORDER BY rowid LIMIT 200", (last,)).fetchall()
        if not rows:
            return
        for row in rows:
            yield load_analysis(row[1], row[2])
        last = rows[-1][0]


def stats(conn: Connection, include_duplicates: bool = False) -> dict[str, Any]:
    """Counts over the store; a story republished elsewhere (a near-duplicate) counts once
    unless `include_duplicates`."""
    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    keep = "" if include_duplicates else \
        " WHERE doc_id NOT IN (SELECT id FROM documents WHERE duplicate_of IS NOT NULL)"
    docs = "" if include_duplicates else " WHERE duplicate_of IS NULL"
    return {
        "documents": one(f"SELECT count(*) FROM documents{docs}"),
        "duplicates": one("SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL"),
        "sentences": one(f"SELECT count(*) FROM sentences{keep}"),
        "entities": one(f"SELECT count(DISTINCT id) FROM entities{keep}"),
        "entity_records": one(f"SELECT count(*) FROM entities{keep}"),  # one per entity per document
        "linked_entities": one(f"SELECT count(DISTINCT id) FROM entities{keep or ' WHERE 1 = 1'} AND linked = 1"),
        "mentions": one(f"SELECT count(*) FROM mentions{keep}"),
        "events": one(f"SELECT count(*) FROM events{keep}"),
        "times": one(f"SELECT count(*) FROM times{keep}"),
        "failures": one("SELECT count(*) FROM failures"),
        "events_by_type": {r[0]: r[1] for r in conn.execute(
            f"SELECT type, count(*) FROM events{keep} GROUP BY type ORDER BY count(*) DESC, type")},
        "languages": {str(r[0]): r[1] for r in conn.execute(
            f"SELECT language, count(*) FROM documents{docs} GROUP BY language ORDER BY count(*) DESC")},
        "published_range": list(conn.execute(
            f"SELECT min(published), max(published) FROM documents{docs}").fetchone()),
    }
