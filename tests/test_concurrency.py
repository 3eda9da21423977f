"""Concurrent writers (issue #14 item 2) on both backends: several processes storing overlapping
inputs at once store every document exactly once, nothing fails with "database is locked", the
SQLite file passes `PRAGMA integrity_check`; ingest waits for a busy database instead of a 500."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from claimscope.db import connect

# A writer process: stores documents [first, last) (copies of the sample documents with their
# own ids) in a shuffled order, one transaction per document or in batches, and prints how
# many it stored itself.
WRITER = r"""
import json, random, sys
from claimscope.serialize import from_analysis, to_analysis
from claimscope.serve.sample import sample_documents
from claimscope.store import Store
target, first, last, batch, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
base = [to_analysis(d) for d in sample_documents()]
docs = []
for i in range(first, last):
    doc = from_analysis(base[i % len(base)])
    doc.id = f"{i:064x}"
    docs.append(doc)
random.Random(seed).shuffle(docs)
stored = 0
with Store(target) as store:
    for k in range(0, len(docs), batch):
        stored += sum(store.add_many(docs[k:k + batch]))
print(json.dumps({"stored": stored}))
"""


def _run_writers(target: str, ranges: list[tuple[int, int, int]], timeout: float = 240) -> list[int]:
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, target, str(a), str(b), str(batch), str(seed)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for seed, (a, b, batch) in enumerate(ranges)]
    stored = []
    for proc in procs:
        out, err = proc.communicate(timeout=timeout)
        assert proc.returncode == 0, err
        assert "locked" not in err and "IntegrityError" not in err, err
        stored.append(json.loads(out)["stored"])
    return stored


def _check_exactly_once(target: str, expected_ids: set[str], stored: list[int]) -> None:
    conn = connect(target)
    ids = [r[0] for r in conn.execute("SELECT id FROM documents")]
    assert len(ids) == len(set(ids)) and set(ids) == expected_ids
    assert sum(stored) == len(expected_ids)  # each document stored by exactly one writer
    from claimscope.serve.sample import sample_documents

    per_doc = [len(d.events) for d in sample_documents()]
    events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    assert events == sum(per_doc[int(i, 16) % len(per_doc)] for i in expected_ids)
    dup = conn.execute("SELECT count(*) FROM (SELECT doc_id, id FROM events GROUP BY doc_id, id"
                       " HAVING count(*) > 1) x").fetchone()[0]
    assert dup == 0
    if not conn.is_pg:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("INSERT INTO sentences_fts(sentences_fts) VALUES ('integrity-check')") is not None
    conn.close()


@pytest.mark.slow
@pytest.mark.parametrize("writers", [2, 3])
def test_concurrent_writers_store_each_document_once(db_target, writers):
    # overlapping ranges; one writer uses long transactions (100 documents each) so the others
    # meet a held write lock, not only short ones
    ranges = [(0, 240, 1), (120, 360, 100), (60, 300, 1)][:writers]
    stored = _run_writers(db_target, ranges)
    expected = {f"{i:064x}" for a, b, _ in ranges for i in range(a, b)}
    _check_exactly_once(db_target, expected, stored)
    # a rerun of all of them adds nothing
    assert _run_writers(db_target, ranges) == [0] * writers
    _check_exactly_once(db_target, expected, stored)


@pytest.mark.slow
def test_two_analyze_runs_over_overlapping_inputs(tmp_path, db_target, claimscope_proc):
    """The real CLI: two `analyze` processes over overlapping file sets, at the same time."""
    import os

    files = []
    for i in range(16):
        path = tmp_path / f"doc{i:02d}.txt"
        path.write_text(f"Statement {i}. The Coordination Council of Belarus supports the people of "
                        f"Ukraine, it said on day {i}. The regime in Minsk rejected the call {i}.", "utf-8")
        files.append(str(path))
    exe = str(Path(sys.executable).parent / "claimscope")
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    procs = [subprocess.Popen([exe, "analyze", *part, "--db", db_target], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env)
             for part in (files[:12], files[4:])]
    stored = []
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        stored.append(int(re.search(r"\((\d+) stored", err).group(1)))
    conn = connect(db_target)
    sources = [r[0] for r in conn.execute("SELECT source FROM documents")]
    assert sorted(sources) == sorted(set(sources)) and set(sources) == set(files)
    assert sum(stored) == len(files)


def test_ingest_waits_for_a_busy_database(tmp_path, monkeypatch):
    """Another process holds SQLite's write lock longer than the busy timeout: POST /api/ingest
    retries with backoff and succeeds (it used to answer HTTP 500 "database is locked")."""
    from fastapi.testclient import TestClient

    from claimscope import db as dbmod
    from claimscope.serve.app import create_app
    from claimscope.store import Store

    path = tmp_path / "busy.db"
    Store(path).close()
    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_S", 0.3)
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1], isolation_level=None);"
        " c.execute('BEGIN IMMEDIATE'); print('locked', flush=True); time.sleep(2.5); c.execute('COMMIT')"),
        str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        token = "t" * 20
        with TestClient(create_app(path, allow_ingest=True, token=token)) as client:
            t0 = time.monotonic()
            r = client.post("/api/ingest", data={"token": token, "text": "The council supports the people of Ukraine."})
            waited = time.monotonic() - t0
        assert r.status_code == 200, r.text
        assert r.json()["stored"] is True and waited > 0.5  # it did wait for the lock
    finally:
        holder.wait(timeout=30)
