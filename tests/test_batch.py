"""`claimscope batch` on a real Dask LocalCluster (2 worker processes, loopback only), the
Parquet dataset it writes, `claimscope load`, and near-duplicates (docs/scale.md)."""
from __future__ import annotations

import gzip
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.dataset as pads
import pyarrow.parquet as pq
import pytest

from claimscope.batch import COMPLETE, MANIFEST, plan, read_manifest, run_batch
from claimscope.dedup import NearDuplicates, signature
from claimscope.export import TABLES as EXPORT_TABLES
from claimscope.store import Store

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"
TRAIN = sorted((SHARED / "train").glob("*.txt"))
CLAIMSCOPE = Path(sys.executable).parent / "claimscope"
TABLES = ("documents", "events", "entities", "mentions", "times", "failures")


def republished(text: str, site: str) -> str:
    """The same story on another site: its own headline and boilerplate, one small edit."""
    return (f"{site.upper()} NEWS | Latest headlines\n{site} reports: statement published today\n\n"
            + text.replace(" the ", " the ", 1).replace(".", ";", 1)
            + f"\n\nRead more stories on {site}. Share this article.\n")


@pytest.fixture(scope="module")
def cluster():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as lc, Client(lc) as client:
        yield client


@pytest.fixture()
def inputs(tmp_path):
    """A directory of 9 texts (one a republished copy of another), a JSONL.gz shard of 3,
    and a JSONL.gz shard cut short after its first line and followed by garbage."""
    docs = tmp_path / "in" / "docs"
    docs.mkdir(parents=True)
    for path in TRAIN[:8]:
        (docs / path.name).write_bytes(path.read_bytes())
    (docs / "z-copy.txt").write_text(republished(TRAIN[0].read_text("utf-8"), "example.org"), "utf-8")
    shard = tmp_path / "in" / "shard.jsonl.gz"
    with gzip.open(shard, "wt", encoding="utf-8") as handle:
        for path in TRAIN[8:11]:
            handle.write(json.dumps({"text": path.read_text("utf-8"), "url": f"https://x.test/{path.stem}"}) + "\n")
    corrupt = tmp_path / "in" / "corrupt.jsonl.gz"
    corrupt.write_bytes(gzip.compress(b'{"text": "A first line that is fine."}\n' * 50)[:60] + b"\x00garbage")
    return [str(docs), str(shard), str(corrupt)]


def _ids(out: Path, table: str, columns: list[str]) -> list[tuple]:
    t = pads.dataset(out / table).to_table(columns=columns)
    return list(zip(*(t.column(c).to_pylist() for c in columns)))


def _assert_complete(out: Path, expected_docs: int) -> None:
    assert (out / COMPLETE).exists()
    doc_ids = _ids(out, "documents", ["id"])
    assert len(doc_ids) == expected_docs and len(set(doc_ids)) == len(doc_ids)  # complete, no duplicates
    events = _ids(out, "events", ["doc_id", "event_id"])
    assert events and len(set(events)) == len(events)
    assert not list(out.glob("*/.*tmp-*"))  # no temporary file is left


def test_dataset_tables_load_and_near_duplicates(tmp_path, inputs, cluster, cli):
    out = tmp_path / "ds"
    result = run_batch(inputs, out, cluster, per_partition=4)
    assert result.planned == 5 and result.finished == 5  # 9 files in chunks of 4, 2 shards
    _assert_complete(out, 13)  # 9 + 3 + the corrupt shard's readable first line
    # the tables have exactly the columns of `claimscope export`
    for table in TABLES:
        assert pads.dataset(out / table).schema.names == [c.name for c in EXPORT_TABLES[table]], table
    assert set(TABLES) <= set(EXPORT_TABLES)
    # the rest of the corrupt shard became a failures row with a reason; the others finished
    failures = pads.dataset(out / "failures").to_table().to_pylist()
    assert failures and all(f["source"].startswith(inputs[2]) and f["stage"] == "read" for f in failures)
    assert any("corrupt or truncated gzip" in f["reason"] for f in failures)
    assert result.failures == [{k: f[k] for k in ("source", "stage", "reason")} for f in failures]
    # the republished copy points at its original
    docs = pads.dataset(out / "documents").to_table().to_pylist()
    by_source = {Path(d["source"]).name: d for d in docs}
    assert by_source["z-copy.txt"]["duplicate_of"] == by_source[TRAIN[0].name]["id"]
    assert sum(d["duplicate_of"] is not None for d in docs) == 1 == result.duplicates
    # analyses are complete and schema-shaped; the manifest records every partition
    manifest = read_manifest(out)
    assert sum(e["counts"]["documents"] for e in manifest.values()) == 13
    # load twice: the second adds nothing
    db = tmp_path / "s.db"
    first = cli("load", out, "--db", db)
    assert first.exit_code == 0, first.output
    assert "13 stored" in first.stderr
    conn = sqlite3.connect(db)
    tables = ("documents", "sentences", "entities", "mentions", "events", "times", "failures", "minhash")
    before = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    second = cli("load", out, "--db", db)
    assert second.exit_code == 0 and "0 stored, 13 already" in second.stderr
    assert {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables} == before
    assert before["failures"] == len(failures) and before["events"] == len(_ids(out, "events", ["doc_id"]))
    assert conn.execute("SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL").fetchone()[0] == 1
    # stats count the story once unless asked
    once = json.loads(cli("stats", "--db", db, "--json").stdout)
    every = json.loads(cli("stats", "--db", db, "--json", "--include-duplicates").stdout)
    assert once["documents"] == 12 and every["documents"] == 13 and once["duplicates"] == 1
    assert once["events"] < every["events"]


def test_rerun_skips_finished_and_redoes_changed(tmp_path, inputs, cluster):
    out = tmp_path / "ds"
    run_batch(inputs, out, cluster, per_partition=4)
    stamps = {p: p.stat().st_mtime_ns for p in (out / "events").glob("*.parquet")}
    again = run_batch(inputs, out, cluster, per_partition=4)
    assert (again.skipped, again.finished) == (5, 0)
    assert {p: p.stat().st_mtime_ns for p in (out / "events").glob("*.parquet")} == stamps
    # an input that changed is redone under the same file names; nothing else is
    changed = Path(inputs[0]) / TRAIN[1].name
    changed.write_text(changed.read_text("utf-8") + "\nThe minister said she would resign.\n", "utf-8")
    third = run_batch(inputs, out, cluster, per_partition=4)
    assert (third.skipped, third.finished) == (4, 1)
    _assert_complete(out, 13)
    # a directory that shrinks drops its stale chunk (its documents would be counted twice)
    for path in sorted(Path(inputs[0]).glob("*.txt"))[4:]:
        path.unlink()
    fourth = run_batch(inputs, out, cluster, per_partition=4)
    assert fourth.planned == 3
    _assert_complete(out, 8)


@pytest.mark.slow
def test_worker_killed_mid_run(tmp_path, cluster):
    docs = tmp_path / "docs"
    docs.mkdir()
    for path in TRAIN[:16]:
        (docs / path.name).write_bytes(path.read_bytes())
    cluster.run(lambda: None)  # both workers up
    killed = {}

    def kill_busy_worker(entry, part):
        if killed:
            return
        busy = {addr: keys for addr, keys in cluster.processing().items() if keys}
        if not busy:
            return
        addr = sorted(busy)[0]
        pid = cluster.run(os.getpid, workers=[addr])[addr]
        killed.update(addr=addr, pid=pid, keys=list(busy[addr]))
        os.kill(pid, signal.SIGKILL)

    out = tmp_path / "ds"
    result = run_batch([str(docs)], out, cluster, per_partition=1, progress=kill_busy_worker)
    assert killed and killed["keys"], "no worker was busy when one partition had finished"
    assert result.finished == 16 and not result.failures
    _assert_complete(out, 16)
    pids = {p for p in (e["worker_pid"] for e in read_manifest(out).values())}
    assert killed["pid"] not in pids or len(pids) >= 2
    # the nanny restarted the killed worker
    deadline = time.time() + 60
    while len(cluster.scheduler_info()["workers"]) < 2 and time.time() < deadline:
        time.sleep(0.5)
    assert killed["pid"] not in cluster.run(os.getpid).values()
    assert len(cluster.scheduler_info()["workers"]) == 2


@pytest.mark.slow
def test_interrupted_client_rerun_resumes(tmp_path, cluster):
    docs = tmp_path / "docs"
    docs.mkdir()
    for path in TRAIN[:24]:
        (docs / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "ds"
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    proc = subprocess.Popen([str(CLAIMSCOPE), "batch", str(docs), "--out", str(out), "--workers", "2",
                             "--partition-size", "2", "--quiet"], env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 240
        while len(list((out / MANIFEST).glob("*.json"))) < 2 and time.time() < deadline and proc.poll() is None:
            time.sleep(0.2)
        assert proc.poll() is None, proc.stderr.read().decode()
        os.kill(proc.pid, signal.SIGKILL)  # the client only; its cluster is cleaned up below
        proc.wait(10)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the worker processes it started (its session)
        except ProcessLookupError:
            pass
    finished = len(read_manifest(out))
    assert 2 <= finished < 12 and not (out / COMPLETE).exists()
    result = run_batch([str(docs)], out, cluster, per_partition=2)
    assert result.skipped == finished and result.finished == 12 - finished
    _assert_complete(out, 24)


def test_plan_partitions(tmp_path, inputs):
    parts, failures = plan([*inputs, str(tmp_path / "missing"), "-"], per_partition=4)
    assert [len(p.inputs) for p in parts] == [4, 4, 1, 1, 1]
    assert [f.reason for f in failures] == ["no such file or directory",
                                            "batch cannot read stdin: pass files, directories or URLs"]
    again, _ = plan(inputs, per_partition=4)
    assert [p.pid for p in again] == [p.pid for p in parts]  # stable ids: the same file names


def test_near_duplicates_within_a_store(tmp_path, pipeline):
    from claimscope.model import RawDocument

    text = TRAIN[3].read_text("utf-8")
    original = pipeline.analyze(RawDocument("a.txt", text=text))
    copy = pipeline.analyze(RawDocument("b.txt", text=republished(text, "mirror.test")))
    other = pipeline.analyze(RawDocument("c.txt", text=TRAIN[4].read_text("utf-8")))
    with Store(tmp_path / "s.db") as store:
        store.add(original)
        store.add(other)
    with Store(tmp_path / "s.db") as store:  # the index is rebuilt from the stored signatures
        store.add(copy)
        rows = dict(store.conn.execute("SELECT source, duplicate_of FROM documents"))
    assert rows == {"a.txt": None, "c.txt": None, "b.txt": original.id}


def test_near_duplicate_threshold():
    text = TRAIN[5].read_text("utf-8")
    near = NearDuplicates()
    assert near.add("original", signature(text)) is None
    assert near.add("copy", signature(republished(text, "other.test"))) == "original"
    assert near.add("other", signature(TRAIN[6].read_text("utf-8"))) is None
    # half of the story is not the same story
    half = " ".join(text.split()[: len(text.split()) // 2])
    assert near.add("half", signature(half)) is None
    assert signature("too short") is None and near.add("short", None) is None


def test_api_counts_a_story_once(tmp_path, pipeline):
    from fastapi.testclient import TestClient

    from claimscope.model import RawDocument
    from claimscope.serve.app import create_app

    text = TRAIN[7].read_text("utf-8")
    with Store(tmp_path / "s.db") as store:
        for source, body in (("a.txt", text), ("b.txt", republished(text, "mirror.test")),
                             ("c.txt", TRAIN[8].read_text("utf-8"))):
            store.add(pipeline.analyze(RawDocument(source, text=body, meta={"published": "2024-03-05"})))
    with TestClient(create_app(tmp_path / "s.db")) as client:
        def get(path, **params):
            return client.get(path, params=params).json()

        once, every = get("/api/stats"), get("/api/stats", include_duplicates="true")
        assert (once["documents"], every["documents"], once["duplicates"]) == (2, 3, 1)
        events_once, events_all = get("/api/events")["total"], get("/api/events", include_duplicates="true")["total"]
        assert events_once == once["events"] and events_all == every["events"] > events_once
        dated_once = sum(p["total"] for p in get("/api/timeline")["periods"])
        dated_all = sum(p["total"] for p in get("/api/timeline", include_duplicates="true")["periods"])
        assert dated_once < dated_all
