"""Schema versions and migrations, connection errors, roles: both backends (`db_target`)."""
from __future__ import annotations

import json

import pytest

from claimscope.db import DatabaseError, connect, describe
from claimscope.migrations import LATEST, current_version, upgrade
from claimscope.model import Document, Event, Sentence, Span
from claimscope.serialize import to_analysis
from claimscope.serve.sample import sample_documents
from claimscope.store import Store, get_analysis, open_reader, stats


def _v1_store(target: str, docs: list[Document]) -> None:
    """A store as the first release wrote it: schema 1, full analysis JSON, sentence text copied
    into `sentences` and into every event row."""
    conn = connect(target)
    upgrade(conn, to=1)
    with conn.transaction():
        for doc in docs:
            conn.execute(
                "INSERT INTO documents (id, source, url, title, site, author, published, published_from,"
                " language, media_type, text, analysis, added_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc.id, doc.source, doc.url, doc.title, doc.site, doc.author, doc.published,
                 doc.published_from, doc.language, doc.media_type, doc.text,
                 json.dumps(to_analysis(doc)), "2026-01-01T00:00:00+00:00"))
            conn.executemany("INSERT INTO sentences VALUES (?,?,?,?,?,?,?)", [
                (doc.id, s.id, s.kind, s.start, s.end, s.parent, doc.text[s.start:s.end]) for s in doc.sentences])
            conn.executemany("INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", [
                (doc.id, e.id, e.type, e.mode, "[]", "[]", e.date, e.sentence, e.confidence, None, None,
                 e.span.start, e.span.end, e.span.text, e.trigger.start, e.trigger.end, e.trigger.text)
                for e in doc.events])
    conn.close()


def test_upgrade_from_version_1(db_target, cli):
    docs = sample_documents()
    _v1_store(db_target, docs)
    with pytest.raises(DatabaseError, match="schema version 1.*claimscope db upgrade"):
        open_reader(db_target)
    refused = cli("stats", "--db", db_target)
    assert refused.exit_code != 0 and "db upgrade" in str(refused.exception or refused.stderr)
    result = cli("db", "upgrade", "--db", db_target)
    assert result.exit_code == 0, result.output
    assert "applied migration 2" in result.stderr and f"schema version {LATEST}" in result.stderr
    reader = open_reader(db_target)
    assert current_version(reader) == LATEST
    for doc in docs:  # the analyses read back unchanged; the projection was rebuilt from them
        assert get_analysis(reader, doc.id) == to_analysis(doc)
    s = stats(reader)
    assert s["documents"] == len(docs) and s["events"] == sum(len(d.events) for d in docs)
    stored = json.loads(reader.execute("SELECT analysis FROM documents").fetchone()[0])
    assert "text" not in stored["document"]  # compacted
    days = reader.execute("SELECT count(*) FROM events WHERE day IS NOT NULL").fetchone()[0]
    assert days == s["events"]
    again = cli("db", "upgrade", "--db", db_target)
    assert again.exit_code == 0 and "already current" in again.stderr


def test_new_store_is_created_at_the_latest_version(db_target):
    with Store(db_target) as store:
        assert current_version(store.conn) == LATEST
        versions = [r[0] for r in store.conn.execute("SELECT version FROM schema_version ORDER BY 1")]
    assert versions == list(range(1, LATEST + 1))


def test_newer_schema_is_refused(db_target, claimscope_proc):
    with Store(db_target) as store:
        store.conn.execute("INSERT INTO schema_version VALUES (?, ?)", (LATEST + 7, "2099-01-01"))
    for opener in (Store, open_reader):
        with pytest.raises(DatabaseError, match=f"schema version {LATEST + 7}, newer"):
            opener(db_target)
    for command in ("stats", "db upgrade"):
        proc = claimscope_proc(*command.split(), "--db", db_target)
        err = proc.stderr.decode().strip()
        assert proc.returncode == 2 and len(err.splitlines()) == 1 and "newer" in err, err


def test_sentence_text_is_stored_once(db_target):
    """A long sentence with many events: the sentence is in the store once (the document text),
    not once per event row and again in the analysis JSON."""
    words = " ".join(f"word{i}" for i in range(20_000))
    text = f"Opening line. The council said {words} today."
    start = text.index("The council")
    sentence = Span(start, len(text), text[start:])
    doc = Document("f" * 64, "long-line.txt", text, language="en",
                   sentences=[Sentence(0, "body", 0, start - 1), Sentence(1, "body", start, len(text))])
    said = text.index("said")
    doc.events = [Event(f"e{i}", "ASSERT", None, sentence, Span(said, said + 4, "said"), 1)
                  for i in range(40)]
    with Store(db_target) as store:
        store.add(doc)
        conn = store.conn
        analysis = conn.execute("SELECT length(analysis) FROM documents").fetchone()[0]
        event_text = conn.execute(
            "SELECT max(length(trigger_text) + length(contexts) + length(aux)) FROM events").fetchone()[0]
        if not conn.is_pg:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert analysis < 20_000 < len(text)  # 40 events, no copy of the 200 kB sentence
    assert event_text < 100
    reader = open_reader(db_target)
    assert get_analysis(reader, doc.id) == to_analysis(doc)
    from claimscope.export import event_rows

    rows = list(event_rows(reader))
    assert len(rows) == 40 and all(r["sentence_text"] == sentence.text for r in rows)
    if not db_target.startswith("postgresql:"):
        from pathlib import Path

        # the text, plus two full-text indexes of its 20,000 distinct words (documents and
        # sentences); one copy per event would be 40 x the text
        assert Path(db_target).stat().st_size < 8 * len(text.encode())


@pytest.mark.parametrize("command", ["stats", "show abc", "export", "analyze {good}", "db upgrade", "serve"])
def test_connection_failure_is_one_line_naming_the_host(command, claimscope_proc, tmp_path):
    good = tmp_path / "a.txt"
    good.write_text("The council supports the people of Ukraine.", "utf-8")
    url = "postgresql://alice:s3cr3t-pw@127.0.0.1:9/claimscope"  # nothing listens on port 9
    proc = claimscope_proc(*command.format(good=good).split(), "--db", url, "--quiet"
                           if command.startswith("analyze") else "--db", url)
    err = proc.stderr.decode().strip()
    assert proc.returncode == 2, err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert "127.0.0.1:9/claimscope" in err and "s3cr3t-pw" not in err


def test_describe_hides_the_password():
    assert describe("postgresql://bob:pw@db.example:5433/cs") == "db.example:5433/cs"
    assert describe("postgresql://bob@/cs?host=/run/pg") == "/run/pg/cs"
    assert describe("data/claimscope.db") == "data/claimscope.db"


def test_serve_with_a_read_only_role(pg_cluster, pg_url):
    """`serve` needs SELECT only: a role without write rights serves every API view."""
    from fastapi.testclient import TestClient

    from claimscope.serve.app import create_app

    with Store(pg_url) as store:
        for doc in sample_documents():
            store.add(doc)
        dbname = store.conn.execute("SELECT current_database()").fetchone()[0]
        store.conn.execute("DROP ROLE IF EXISTS cs_reader")
        store.conn.execute("CREATE ROLE cs_reader LOGIN")
        store.conn.execute(f"GRANT CONNECT ON DATABASE {dbname} TO cs_reader")
        store.conn.execute("GRANT USAGE ON SCHEMA public TO cs_reader")
        store.conn.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO cs_reader")
    reader_url = pg_url.replace("postgresql://postgres@", "postgresql://cs_reader@")
    try:
        with TestClient(create_app(reader_url)) as client:
            for path in ("/api/events?text=sanctions", "/api/documents?q=sanctions", "/api/actors",
                         "/api/stats", "/api/timeline", "/api/network", "/", "/events"):
                assert client.get(path).status_code == 200, path
            assert client.get("/api/events").json()["total"] == sum(len(d.events) for d in sample_documents())
        with pytest.raises(Exception, match="permission denied"):
            Store(reader_url).add(sample_documents()[0].__class__("0" * 64, "x", "Some text."))
    finally:
        pg_cluster.drop_database(pg_url)  # the role owns privileges in it
        with pg_cluster.admin() as admin:
            admin.execute("DROP ROLE IF EXISTS cs_reader")
