"""The store, on both backends (SQLite file, PostgreSQL server: the `db_target` fixture):
content-hash idempotency, --replace, one transaction per document, full text, failure upserts,
read-back of analyses, the compact analysis JSON (sentence text stored once)."""
from __future__ import annotations

import sqlite3

import pytest

from claimscope.db import connect
from claimscope.model import Entity, Event, Failure, Role, Span, TimeExpression
from claimscope.serialize import from_analysis, to_analysis
from claimscope.store import Store, get_analysis, iter_analyses, open_reader, stats

TEXT = ("The Coordination Council of Belarus fully supports the people of Ukraine. "
        "Śviatłana Cichanoŭskaja met Lukashenka’s opponents in Vilnius on February 24, 2023.")
TABLES = ("documents", "removed", "sentences", "entities", "mentions", "events", "event_roles", "times")


def _find(text: str, needle: str) -> Span:
    i = text.index(needle)
    return Span(i, i + len(needle), needle)


@pytest.fixture()
def rich_doc(analyze_text):
    """A document with rows in every table (entities/events/times filled in by hand)."""
    doc = analyze_text("top of page\n" + TEXT)
    t = doc.text
    cc, ua, date = (_find(t, "Coordination Council of Belarus"), _find(t, "Ukraine"),
                    _find(t, "February 24, 2023"))
    doc.entities = [Entity("blr-cc", "Coordination Council of Belarus", "organization", True, ["CC"], "BLR", "OPP", [cc]),
                    Entity("ukr", "Ukraine", "country", True, [], "UKR", None, [ua])]
    trigger = _find(t, "supports")
    sent = doc.sentences[0]
    doc.events = [Event("e1", "SUPPORT", None, Span(sent.start, sent.end, t[sent.start:sent.end]), trigger, 0,
                        actor=Role("blr-cc", "Coordination Council of Belarus", cc.start, cc.end, cc.text),
                        recipients=[Role("ukr", "Ukraine", ua.start, ua.end, ua.text)],
                        contexts=["diplomatic"], aux=[], date="2023-02-24", confidence=0.9)]
    doc.times = [TimeExpression(date.start, date.end, date.text, "2023-02-24")]
    return doc


def _fts_count(conn) -> int:
    if conn.is_pg:
        return conn.execute("SELECT count(*) FROM documents WHERE tsv IS NOT NULL").fetchone()[0]
    return conn.execute("SELECT count(*) FROM documents_fts").fetchone()[0]


def _counts(conn) -> dict[str, int]:
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    return {**counts, "fts": _fts_count(conn)}


def _search(conn, word: str) -> list[str]:
    """Document ids whose full text has this word (the backend's own full-text index)."""
    if conn.is_pg:
        sql = "SELECT id FROM documents WHERE tsv @@ plainto_tsquery('english', ?) ORDER BY id"
    else:
        sql = ("SELECT d.id FROM documents_fts f JOIN documents d ON d.rowid = f.rowid "
               "WHERE documents_fts MATCH ? ORDER BY d.id")
    return [r[0] for r in conn.execute(sql, (word,))]


def test_add_fills_every_table(db_target, rich_doc):
    with Store(db_target) as store:
        assert store.add(rich_doc) is True
        counts = _counts(store.conn)
    assert counts == {"documents": 1, "removed": 1, "sentences": len(rich_doc.sentences), "entities": 2,
                      "mentions": 2, "events": 1, "event_roles": 2, "times": 1, "fts": 1}


def test_content_hash_idempotency(db_target, rich_doc, analyze_text):
    path = db_target
    with Store(path) as store:
        assert store.add(rich_doc) is True
        before = _counts(store.conn)
        assert store.add(rich_doc) is False
        # same cleaned text from another source → same id → not stored twice
        again = analyze_text("top of page\n" + TEXT, source="elsewhere.txt")
        assert again.id == rich_doc.id
        assert store.add(again) is False
        assert _counts(store.conn) == before
        assert store.conn.execute("SELECT source FROM documents").fetchone()[0] == "test"
    with Store(path) as store:  # reopening an existing store is fine
        assert store.has(rich_doc.id) and not store.add(rich_doc)


def test_replace(db_target, rich_doc):
    with Store(db_target) as store:
        store.add(rich_doc)
        rich_doc.title = "New title"
        rich_doc.events = []
        assert store.add(rich_doc, replace=True) is True
        counts = _counts(store.conn)
        assert counts["documents"] == 1 and counts["events"] == 0 and counts["event_roles"] == 0
        assert counts["sentences"] == len(rich_doc.sentences) and counts["fts"] == 1
        assert store.conn.execute("SELECT title FROM documents").fetchone()[0] == "New title"
        assert _search(store.conn, "Vilnius") == [rich_doc.id]


def _failing_insert(monkeypatch):
    """Replace Store._insert_many by one that writes some rows, then fails."""
    real = Store._insert_many

    def broken(self, docs):
        real(self, docs)  # every row of the document...
        self.conn.execute("INSERT INTO removed VALUES (?,?,?,?)", (docs[0].id, 999, "x", "y"))
        raise RuntimeError("disk on fire")  # ...then a failure before commit

    monkeypatch.setattr(Store, "_insert_many", broken)


def test_failure_mid_add_leaves_no_partial_rows(db_target, rich_doc, monkeypatch, analyze_text):
    with Store(db_target) as store:
        other = analyze_text("Another document. It is stored first.")
        store.add(other)
        before = _counts(store.conn)
        _failing_insert(monkeypatch)
        with pytest.raises(RuntimeError):
            store.add(rich_doc)
        assert _counts(store.conn) == before
        assert not store.has(rich_doc.id)
        monkeypatch.undo()
        assert store.add(rich_doc) is True  # the connection is usable afterwards
    conn = connect(db_target)  # and nothing partial was committed to disk
    assert conn.execute("SELECT count(*) FROM removed WHERE seq = 999").fetchone()[0] == 0


def test_failure_mid_replace_keeps_old_rows(db_target, rich_doc, monkeypatch):
    with Store(db_target) as store:
        store.add(rich_doc)
        before = _counts(store.conn)
        old = store.conn.execute("SELECT * FROM documents").fetchall()
        _failing_insert(monkeypatch)
        with pytest.raises(RuntimeError):
            store.add(rich_doc, replace=True)
        assert _counts(store.conn) == before
        assert store.conn.execute("SELECT * FROM documents").fetchall() == old


def test_fts_search(db_target, rich_doc, analyze_text):
    with Store(db_target) as store:
        store.add(rich_doc)
        store.add(analyze_text("Sanctions were expanded by the European Union. Minsk protested."))
        search = lambda q: _search(store.conn, q)  # noqa: E731
        assert search("Vilnius") == [rich_doc.id]
        if not store.conn.is_pg:  # FTS5's unicode61 folds diacritics; PostgreSQL's configs do not
            assert search("cichanouskaja") == [rich_doc.id]
        assert len(search("sanctions")) == 1 and rich_doc.id not in search("sanctions")
        assert search("nonexistentword") == []


def test_pg_full_text_is_language_aware(pg_url, rich_doc):
    """PostgreSQL: a generated tsvector in the document's language (English stems), GIN-indexed."""
    with Store(pg_url) as store:
        store.add(rich_doc)
        assert _search(store.conn, "support") == [rich_doc.id]  # 'supports' stemmed
        plan = "\n".join(r[0] for r in store.conn.execute(
            "EXPLAIN SELECT id FROM documents WHERE tsv @@ plainto_tsquery('english', 'x')"))
        config = store.conn.execute("SELECT tsv::text FROM documents").fetchone()[0]
    assert "'support'" in config and "'supports'" not in config
    assert "documents_tsv" in plan or "Seq Scan" in plan  # tiny tables may be scanned


def test_failures_upserted(db_target):
    with Store(db_target) as store:
        f = Failure("a.png", "analyze", "binary content (PNG image), not text")
        store.add_failure(f)
        store.add_failure(f)
        store.add_failure(Failure("a.png", "read", "other reason"))
        rows = store.conn.execute("SELECT source, stage, reason, count FROM failures ORDER BY id").fetchall()
    assert [tuple(r) for r in rows] == [("a.png", "analyze", "binary content (PNG image), not text", 2),
                                        ("a.png", "read", "other reason", 1)]


def test_read_back_analysis(db_target, rich_doc):
    path = db_target
    with Store(path) as store:
        store.add(rich_doc)
    conn = open_reader(path)
    stored = get_analysis(conn, rich_doc.id[:6])
    assert stored == to_analysis(rich_doc)
    assert to_analysis(from_analysis(stored)) == stored
    assert list(iter_analyses(conn)) == [stored]
    assert get_analysis(conn, "zzzz") is None
    with pytest.raises(Exception, match="(?i)read-only|readonly"):
        conn.execute("DELETE FROM documents")  # read-only connection


def test_ambiguous_prefix(db_target, analyze_text):
    with Store(db_target) as store:
        for i in range(40):
            store.add(analyze_text(f"Document number {i}. It is short."))
        conn = store.conn
        assert get_analysis(conn, "") is None  # every document matches
        assert get_analysis(conn, "%") is None
        assert get_analysis(conn, "_") is None  # no LIKE wildcards


def test_stats(db_target, rich_doc):
    with Store(db_target) as store:
        store.add(rich_doc)
        store.add_failure(Failure("x", "read", "no such file or directory"))
        s = stats(store.conn)
    assert s["documents"] == 1 and s["events"] == 1 and s["failures"] == 1
    assert s["entities"] == 2 and s["linked_entities"] == 2 and s["mentions"] == 2
    assert s["events_by_type"] == {"SUPPORT": 1}
    assert s["languages"] == {"en": 1}
