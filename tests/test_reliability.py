"""Reliability under bad input and kills (issue #14): the generated bad-input corpus in one batch,
kill -9 then rerun, capped reads, directory walks, encodings, deep HTML, amplification guards."""
from __future__ import annotations

import codecs
import importlib.util
import io
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import pytest

from claimscope.model import Failure, RawDocument
from claimscope.read import ReadOptions, decode, iter_inputs

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "corpus" / "dev"
CLAIMSCOPE = Path(sys.executable).parent / "claimscope"

_spec = importlib.util.spec_from_file_location("bad_corpus", ROOT / "scripts" / "bad_corpus.py")
bad_corpus = sys.modules.setdefault("bad_corpus", importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(bad_corpus)


def _rows(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return [tuple(r) for r in conn.execute(sql)]
    finally:
        conn.close()


@pytest.fixture()
def world_dir():
    """A directory the unprivileged user can write (mode-000 kinds need a non-root reader)."""
    path = Path(tempfile.mkdtemp(prefix="claimscope-rel-"))
    bad_corpus.open_up(path)
    yield path
    subprocess.run(["chmod", "-R", "u+rwx", str(path)], check=False)
    subprocess.run(["rm", "-rf", str(path)], check=False)


# ---------------------------------------------------------------- the bad-input corpus, one batch

@pytest.mark.slow
def test_bad_input_corpus_one_batch_then_rerun(world_dir, http_server):
    corpus = bad_corpus.build(world_dir / "corpus")
    assert len(set(corpus.kinds())) == 33 == len(corpus.bad)
    urls = {http_server + "/nothing-here": ("http_404", "404"), "ftp://example.org/a.txt": ("ftp", "http")}
    db = world_dir / "batch.db"
    cmd = [*bad_corpus.as_nobody(), str(CLAIMSCOPE), "analyze", *corpus.inputs, *urls,
           "--db", str(db), "--max-bytes", str(bad_corpus.MAX_BYTES)]

    bad_corpus.feed_fifo(corpus.fifo)
    proc = subprocess.run(cmd, capture_output=True, timeout=300)
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert "Traceback" not in err and "internal error" not in err
    stored = {r[0] for r in _rows(db, "SELECT source FROM documents")}
    assert set(corpus.good) <= stored, set(corpus.good) - stored
    failures = {r[0]: r[1] for r in _rows(db, "SELECT source, reason FROM failures")}
    for source, (kind, needle) in {**corpus.bad, **urls}.items():
        assert source in failures, f"{kind}: no failures row for {source[:120]}\n{err}"
        assert needle in failures[source].lower(), (kind, failures[source])
    assert len(failures) == len(corpus.bad) + len(urls)
    assert f"failures: {len(failures)}" in err

    # a rerun stores nothing twice, skips every stored document before analysing it, and
    # counts each failure again instead of adding rows
    bad_corpus.feed_fifo(corpus.fifo)
    again = subprocess.run(cmd, capture_output=True, timeout=300)
    assert again.returncode == 1 and "Traceback" not in again.stderr.decode()
    assert f"0 stored, {len(stored)} already in" in again.stderr.decode()
    assert _rows(db, "SELECT count(*), count(DISTINCT id) FROM documents") == [(len(stored), len(stored))]
    assert _rows(db, "SELECT count(*), min(count) FROM failures") == [(len(failures), 2)]
    assert _rows(db, "PRAGMA integrity_check") == [("ok",)]


# ---------------------------------------------------------------- kill -9 at random moments

@pytest.mark.slow
def test_kill_9_at_random_moments_then_rerun(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for i, path in enumerate(sorted(DEV.glob("*.txt"))):
        (docs / path.name).write_bytes(path.read_bytes())
    expected = len(list(docs.iterdir()))
    db = tmp_path / "killed.db"
    cmd = [str(CLAIMSCOPE), "analyze", str(docs), "--db", str(db), "--quiet"]
    rng = random.Random(14)
    counts = []
    for _ in range(3):
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # wait until this run has stored something new (or a random moment of start-up)
        before = counts[-1] if counts else 0
        deadline = time.monotonic() + 60
        wait_for = rng.randint(1, 4)
        while time.monotonic() < deadline and proc.poll() is None:
            n = _stored(db)
            if n >= before + wait_for:
                break
            time.sleep(0.05)
        time.sleep(rng.uniform(0, 0.3))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        counts.append(_stored(db))
        assert _rows(db, "PRAGMA integrity_check") == [("ok",)]
    # each killed run made progress: already-stored documents are skipped before analysis
    assert counts == sorted(counts) and counts[-1] > counts[0] > 0, counts
    final = subprocess.run(cmd, capture_output=True, timeout=300)
    assert final.returncode == 0, final.stderr.decode()
    assert _rows(db, "SELECT count(*), count(DISTINCT id), count(DISTINCT source) FROM documents") \
        == [(expected, expected, expected)]
    orphans = _rows(db, "SELECT count(*) FROM sentences WHERE doc_id NOT IN (SELECT id FROM documents)")
    assert orphans == [(0,)]
    assert _rows(db, "PRAGMA integrity_check") == [("ok",)]


def _stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        return _rows(db, "SELECT count(*) FROM documents")[0][0]
    except sqlite3.OperationalError:  # schema not created yet
        return 0


# ---------------------------------------------------------------- item 1: per-document error boundary

def test_non_utf8_name_surrogate_title_and_long_argument_do_not_end_the_batch(tmp_path, claimscope_proc):
    good_a, good_b = tmp_path / "a.txt", tmp_path / "b.txt"
    good_a.write_text("The Council supports the people of Ukraine. It said so on Monday.", "utf-8")
    good_b.write_text("The European Union imposed sanctions on the regime. Ministers agreed.", "utf-8")
    odd = os.fsdecode(os.fsencode(str(tmp_path)) + b"/odd\xe9name.txt")
    Path(odd).write_text("A document with a Latin-1 file name. It has text.", "utf-8")
    jsonl = tmp_path / "t.jsonl"
    jsonl.write_text('{"text": "The Council spoke. Twice.", "title": "T \\ud800"}\n', "utf-8")
    too_long = "x" * 300
    db = tmp_path / "b.db"
    proc = claimscope_proc("analyze", good_a, odd, jsonl, too_long, good_b, "--db", db)
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert "Traceback" not in err and "error:" not in err
    assert {r[0] for r in _rows(db, "SELECT source FROM documents")} == {str(good_a), str(good_b)}
    reasons = dict(_rows(db, "SELECT source, reason FROM failures"))
    assert "not valid UTF-8" in reasons[f"{tmp_path}/odd\\xe9name.txt"]
    assert "lone surrogate" in reasons[f"{jsonl}#1"]
    assert "too long" in reasons[too_long]


def test_a_store_error_is_a_failure_row_and_the_batch_goes_on(tmp_path, cli, monkeypatch):
    from claimscope.store import Store

    paths = []
    for name, text in [("a.txt", "The Council met on Monday. It spoke."), ("b.txt", "Ministers agreed. Sanctions follow."),
                       ("c.txt", "The regime arrested journalists. The Council condemned it.")]:
        paths.append(tmp_path / name)
        paths[-1].write_text(text, "utf-8")
    real = Store.add

    def add(self, doc, replace=False):
        if doc.source.endswith("b.txt"):
            raise sqlite3.OperationalError("disk I/O error")
        return real(self, doc, replace)

    monkeypatch.setattr(Store, "add", add)
    db = tmp_path / "s.db"
    result = cli("analyze", *paths, "--db", db)
    assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit)
    assert {r[0] for r in _rows(db, "SELECT source FROM documents")} == {str(paths[0]), str(paths[2])}
    assert _rows(db, "SELECT source, stage FROM failures") == [(str(paths[1]), "store")]


# ---------------------------------------------------------------- item 3: reads stop at the cap

def _peak_read(inputs: list[str], max_bytes: int) -> tuple[list, int]:
    tracemalloc.start()
    try:
        items = list(iter_inputs(inputs, ReadOptions(max_bytes=max_bytes)))
        return items, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_device_is_read_only_up_to_the_cap():
    [fail], peak = _peak_read(["/dev/zero"], 1_000_000)
    assert isinstance(fail, Failure) and "too large" in fail.reason
    assert peak < 3_000_000


def test_pipe_is_read_only_up_to_the_cap(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    bad_corpus.feed_fifo(fifo, size=50_000_000)
    [fail], peak = _peak_read([str(fifo)], 1_000_000)
    assert isinstance(fail, Failure) and "too large" in fail.reason
    assert peak < 3_000_000


def test_huge_jsonl_line_is_not_read_whole(tmp_path):
    path = tmp_path / "big.jsonl"
    with path.open("wb") as handle:  # a 300 MB line (sparse), then a good record
        handle.truncate(300_000_000)
        handle.seek(0, io.SEEK_END)
        handle.write(b"\n" + json.dumps({"text": "After the long line. It is read."}).encode() + b"\n")
    items, peak = _peak_read([str(path)], 1_000_000)
    assert isinstance(items[0], Failure) and "300,000,001 bytes" in items[0].reason
    assert isinstance(items[1], RawDocument) and items[1].text.startswith("After")
    assert peak < 5_000_000


def test_warc_http_header_is_capped(tmp_path):
    bad_corpus._warc(tmp_path / "h.warc", [("https://example.org/h", b"<html><body><p>x</p></body></html>",
                                           "text/html")], header_padding=30_000_000)
    bad_corpus._warc(tmp_path / "ok.warc", [("https://example.org/ok", b"<p>fine</p>", "text/html")])
    items, peak = _peak_read([str(tmp_path / "h.warc"), str(tmp_path / "ok.warc")], 1_000_000)
    assert isinstance(items[0], Failure) and "HTTP headers exceed" in items[0].reason
    assert isinstance(items[1], RawDocument) and items[1].source == "https://example.org/ok"
    assert peak < 5_000_000


# ---------------------------------------------------------------- item 8: walks report what they skip

def test_walk_reports_dangling_links_and_loops(tmp_path):
    (tmp_path / "ok.txt").write_text("Fine text. Really.", "utf-8")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (tmp_path / "self.txt").symlink_to(tmp_path / "self.txt")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "back").symlink_to(tmp_path)
    (tmp_path / "linked").symlink_to(tmp_path / "sub")  # a good link to a directory is followed
    (tmp_path / "sub" / "inner.txt").write_text("Inner text. Also fine.", "utf-8")
    items = list(iter_inputs([str(tmp_path)]))
    fails = {f.source: f.reason for f in items if isinstance(f, Failure)}
    docs = sorted(d.source for d in items if isinstance(d, RawDocument))
    assert "dangling" in fails[str(tmp_path / "dangling.txt")]
    assert "loop" in fails[str(tmp_path / "self.txt")]
    assert "loop" in fails[str(tmp_path / "sub" / "back")]
    assert docs == [str(tmp_path / "linked" / "inner.txt"), str(tmp_path / "ok.txt"),
                    str(tmp_path / "sub" / "inner.txt")]
    [direct] = iter_inputs([str(tmp_path / "dangling.txt")])
    assert isinstance(direct, Failure) and "dangling" in direct.reason


def test_unreadable_directory_is_a_failure(world_dir):
    root = world_dir / "tree"
    (root / "locked").mkdir(parents=True)
    (root / "locked" / "x.txt").write_text("Hidden text. Here.", "utf-8")
    (root / "ok.txt").write_text("Visible text. Here.", "utf-8")
    (root / "locked").chmod(0)
    code = ("import sys; from claimscope.read import iter_inputs; "
            "[print(type(i).__name__, i.source, getattr(i, 'reason', ''), sep='|') for i in iter_inputs([sys.argv[1]])]")
    out = subprocess.run([*bad_corpus.as_nobody(), sys.executable, "-c", code, str(root)],
                         capture_output=True, text=True, timeout=60)
    lines = out.stdout.splitlines()
    assert f"Failure|{root / 'locked'}|cannot read directory: Permission denied" in lines, out
    assert f"RawDocument|{root / 'ok.txt'}|" in lines


# ---------------------------------------------------------------- item 11: smaller defects

RU = "Координационный совет Беларуси поддерживает народ Украины. Жыве Беларусь!"
EN = "The Council said: “We support Ukraine.” Łukašenka’s regime — Cichanoŭskaja said."


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", [RU, EN], ids=["ru", "en"])
def test_utf16_without_bom(encoding, text):
    assert decode(text.encode(encoding)) == text


def test_ascii_and_binary_are_not_taken_for_utf16():
    assert decode(b"aaaaaaaaaaaaaaaa") == "aaaaaaaaaaaaaaaa"
    with pytest.raises(ValueError, match="binary"):
        decode(bytes(range(256)) * 4)


def test_ten_thousand_levels_of_nested_html_are_extracted(analyze_text):
    body = "<p>The Council condemned the arrests in Minsk.</p><p>It demanded the release of all journalists.</p>"
    html = "<html><body>" + "<div>" * 10_000 + body + "</div>" * 10_000 + "</body></html>"
    doc = analyze_text(html, media_type="text/html")
    assert doc.text == "The Council condemned the arrests in Minsk.\nIt demanded the release of all journalists."


def test_show_underscore_is_not_a_wildcard(tmp_path, cli):
    path = tmp_path / "a.txt"
    path.write_text("The Council met. It spoke.", "utf-8")
    db = tmp_path / "s.db"
    assert cli("analyze", path, "--db", db).exit_code == 0
    assert cli("show", "_", "--db", db).exit_code != 0
    assert cli("show", "%", "--db", db).exit_code != 0
    doc_id = _rows(db, "SELECT id FROM documents")[0][0]
    assert cli("show", doc_id[:4], "--db", db).exit_code == 0


def test_rerun_skips_stored_documents_before_analysis(tmp_path, pipeline, monkeypatch):
    from claimscope.pipeline import AlreadyStored
    from claimscope.store import Store

    path = tmp_path / "a.txt"
    path.write_text("The Council met on Monday. It condemned the arrests.", "utf-8")
    with Store(tmp_path / "r.db") as store:
        [doc] = pipeline.run([str(path)], known=store.has)
        store.add(doc)
        analysed = []
        monkeypatch.setattr(pipeline, "complete", lambda d: analysed.append(d) or d)
        [again] = pipeline.run([str(path)], known=store.has)
    assert isinstance(again, AlreadyStored) and again.id == doc.id and analysed == []


@pytest.mark.parametrize("addr", ["169.254.169.254", "169.254.0.1", "fe80::1"])
def test_link_local_refused_even_with_private_urls_allowed(addr):
    from claimscope.serve.ingest import IngestError, resolve

    with pytest.raises(IngestError, match="link-local"):
        resolve(addr, 80, allow_private=True)
    assert resolve("127.0.0.1", 80, allow_private=True) == "127.0.0.1"


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["million_lines", "one_5mb_line"])
def test_amplification_guard_is_fast_and_bounded(tmp_path, kind):
    path = tmp_path / f"{kind}.txt"
    if kind == "million_lines":  # 6.9 MB
        path.write_text("".join(f"Ln {i % 1000}.\n" for i in range(1_000_000)), "utf-8")
    else:
        path.write_text("word " * 1_000_000, "utf-8")
    code = ("import resource, sys, time; from claimscope.pipeline import Pipeline; "
            "from claimscope.model import Failure; p = Pipeline(); t = time.monotonic(); "
            "[r] = list(p.run([sys.argv[1]])); "
            "print(time.monotonic() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, "
            "isinstance(r, Failure) and r.reason, sep='|')")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120)
    seconds, rss_mb, reason = out.stdout.strip().split("|")
    assert ("too many lines" if kind == "million_lines" else "characters long") in reason, out
    assert float(seconds) < 10, seconds
    assert int(rss_mb) < 1200, rss_mb

