"""Reliability campaign (issue #14): bad inputs, kill -9, hostile clients; prints the figures.

    .venv/bin/python bench/campaign.py [--kills 8] [--out campaign.json]

1. Each of the 33 bad-input kinds of scripts/bad_corpus.py, alone beside two good documents, in
   its own `claimscope analyze` process: exit code, crash (traceback or exit code other than 0/1),
   hang (over 120 s), good documents lost, the bad input's failures row, peak RSS (wait4).
2. The whole corpus in one batch (the suite's case), timed.
3. kill -9 at random moments, then a rerun: documents lost or duplicated, integrity_check.
4. `claimscope serve --allow-ingest` under hostile clients (40 MB heads, trickled heads, trickled
   uploads, slow-loris URL ingests): latency of /api/stats and /api/events — median, p99, max —
   against the same server undisturbed; what each hostile client got back.
5. Two concurrent writers over overlapping inputs: documents stored exactly once, throughput
   (issue #14 item 2, fixed under #13).
6. `serve` start time and how long a document written by another process takes to appear in
   /api/stats (item 6, fixed under #13).
The machine's load (`uptime`) is printed beside the figures.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "corpus" / "dev"
TRAIN = ROOT.parent / "shared" / "corpus" / "train"
CLAIMSCOPE = Path(sys.executable).parent / "claimscope"
TOKEN = "campaign-token"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = sys.modules.setdefault(name, importlib.util.module_from_spec(spec))
    spec.loader.exec_module(module)
    return module


bad_corpus = _load("bad_corpus")
hostile = _load("hostile")


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def run_measured(cmd: list[str], timeout: float) -> dict:
    """Run `cmd`; exit code, stderr, seconds, peak RSS (MB) of that process, hang."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = bytearray()
    reader = threading.Thread(target=lambda: err.extend(proc.stderr.read()), daemon=True)
    reader.start()
    hang = False
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - start > timeout:
            hang = True
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.05)
    reader.join(5)
    return {"rc": os.waitstatus_to_exitcode(status), "stderr": err.decode("utf-8", "replace"),
            "seconds": round(time.monotonic() - start, 2), "peak_rss_mb": usage.ru_maxrss // 1024, "hang": hang}


def content_ids(folder: Path) -> set[str]:
    """The document ids the files in `folder` must end up as (identical texts share one)."""
    from claimscope.extract import extract, load_boilerplate
    from claimscope.read import iter_inputs

    patterns = load_boilerplate()
    return {extract(raw, patterns).id for raw in iter_inputs([str(folder)])}


def _rows(db: Path, sql: str) -> list[tuple]:
    if not db.exists():
        return []
    conn = sqlite3.connect(db)
    try:
        return [tuple(r) for r in conn.execute(sql)]
    finally:
        conn.close()


# ---------------------------------------------------------------- 1, 2: bad inputs

def bad_inputs(work: Path) -> dict:
    corpus = bad_corpus.build(work / "corpus")
    bad_corpus.open_up(work)
    good = [g for g in corpus.good if g.endswith(("en_1.txt", "page_2.html"))]
    loose, walked = work / "corpus" / "loose", str(work / "corpus" / "walked")
    from_uri = {"https://example.org/cut": str(loose / "cut.warc"),
                "https://example.org/huge-header": str(loose / "huge_header.warc")}

    def argument(source: str) -> str:
        """The analyze argument that yields the failure of `source`."""
        if source in corpus.inputs:
            return source
        if source.split("#")[0] in corpus.inputs:
            return source.split("#")[0]
        return from_uri.get(source) or walked

    rows = []
    for n, (source, (kind, needle)) in enumerate(corpus.bad.items()):
        arg = argument(source)
        db = work / f"kind-{n}.db"
        cmd = [*bad_corpus.as_nobody(), str(CLAIMSCOPE), "analyze", good[0], arg, good[1], "--db", str(db),
               "--max-bytes", str(bad_corpus.MAX_BYTES)]
        if kind == "fifo":
            bad_corpus.feed_fifo(corpus.fifo)
        r = run_measured(cmd, timeout=120)
        stored = {s for (s,) in _rows(db, "SELECT source FROM documents")}
        failures = dict(_rows(db, "SELECT source, reason FROM failures"))
        rows.append({
            "kind": kind, "rc": r["rc"], "seconds": r["seconds"], "peak_rss_mb": r["peak_rss_mb"],
            "crash": r["rc"] not in (0, 1) or "Traceback" in r["stderr"], "hang": r["hang"],
            "good_lost": sum(g not in stored for g in good),
            "failure_row": needle in failures.get(source, "").lower(),
            "reason": failures.get(source, "")[:90]})
        print(f"  {kind:24} rc={r['rc']} {r['seconds']:6.1f}s {r['peak_rss_mb']:5d} MB "
              f"lost={rows[-1]['good_lost']} row={rows[-1]['failure_row']}  {rows[-1]['reason'][:60]}", flush=True)

    db = work / "batch.db"
    bad_corpus.feed_fifo(corpus.fifo)
    whole = run_measured([*bad_corpus.as_nobody(), str(CLAIMSCOPE), "analyze", *corpus.inputs, "--db", str(db),
                          "--max-bytes", str(bad_corpus.MAX_BYTES)], timeout=600)
    stored = {s for (s,) in _rows(db, "SELECT source FROM documents")}
    failures = dict(_rows(db, "SELECT source, reason FROM failures"))
    batch = {"inputs": len(corpus.inputs), "bad": len(corpus.bad), "good": len(corpus.good), "rc": whole["rc"],
             "seconds": whole["seconds"], "peak_rss_mb": whole["peak_rss_mb"],
             "good_lost": sum(g not in stored for g in corpus.good),
             "bad_without_row": sum(s not in failures for s in corpus.bad),
             "traceback": "Traceback" in whole["stderr"]}
    print(f"  one batch: {batch}", flush=True)
    return {"kinds": rows, "batch": batch}


def _copy_texts(source: Path, target: Path) -> Path:
    """A private copy of a corpus folder's texts, for runs that write beside their inputs."""
    target.mkdir()
    for path in sorted(source.glob("*.txt")):
        (target / path.name).write_bytes(path.read_bytes())
    return target


# ---------------------------------------------------------------- 3: kill -9

def kills(work: Path, rounds: int, seed: int = 14) -> dict:
    docs = _copy_texts(TRAIN, work / "train")
    db = work / "killed.db"
    cmd = [str(CLAIMSCOPE), "analyze", str(docs), "--db", str(db), "--quiet"]
    rng = random.Random(seed)
    moments, progress, integrity = [], [], []
    for _ in range(rounds):
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        moment = rng.uniform(1.0, 8.0)  # start-up takes ~2 s: some kills land before the first store
        time.sleep(moment)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        moments.append(round(moment, 1))
        progress.append(_rows(db, "SELECT count(*) FROM documents")[0][0] if db.exists() else 0)
        integrity.append(_rows(db, "PRAGMA integrity_check") == [("ok",)] if db.exists() else True)
    final = run_measured(cmd, timeout=900)
    expected = content_ids(docs)
    ids = [i for (i,) in _rows(db, "SELECT id FROM documents")]
    result = {"rounds": rounds, "kill_after_s": moments, "stored_after_each_kill": progress,
              "integrity_ok_after_each_kill": all(integrity), "final_rc": final["rc"], "expected": len(expected),
              "stored": len(ids), "lost": len(expected - set(ids)), "duplicated": len(ids) - len(set(ids)),
              "integrity_ok": _rows(db, "PRAGMA integrity_check") == [("ok",)]}
    print(f"  {result}", flush=True)
    return result


# ---------------------------------------------------------------- 4: hostile clients

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _latencies(base: str, seconds: float) -> list[float]:
    """Latencies (ms) of back-to-back /api/stats and /api/events requests for `seconds`."""
    out = []
    end = time.monotonic() + seconds
    with httpx.Client(timeout=120) as client:
        while time.monotonic() < end:
            path = "/api/stats" if len(out) % 2 else "/api/events?limit=20"
            start = time.monotonic()
            client.get(base + path).raise_for_status()
            out.append((time.monotonic() - start) * 1000)
    return out


def _summary(ms: list[float]) -> dict:
    ms = sorted(ms)
    return {"n": len(ms), "median_ms": round(statistics.median(ms), 1),
            "p99_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.99))], 1), "max_ms": round(ms[-1], 1)}


def hostile_clients(work: Path) -> dict:
    db = work / "serve.db"
    subprocess.run([str(CLAIMSCOPE), "analyze", str(DEV), "--db", str(db), "--quiet"], check=False)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([str(CLAIMSCOPE), "serve", "--db", str(db), "--port", str(port), "--allow-ingest",
                               "--token", TOKEN, "--allow-private-urls"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    loris = hostile.SlowLoris("body", interval=1.0)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                httpx.get(base + "/api/stats", timeout=2)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("serve did not start") from None
                time.sleep(0.3)
        quiet = _summary(_latencies(base, 10))
        print(f"  undisturbed: {quiet}", flush=True)
        replies: dict[str, list] = {"big_head_40mb": [], "slow_head": [], "slow_upload": [], "slow_url_ingest": []}

        stop = threading.Event()

        def record(kind, fn, *args, again=False):
            while True:  # `again`: repeat until the measurement window ends
                start = time.monotonic()
                try:
                    reply = fn(*args)
                except Exception as exc:  # noqa: BLE001 - recorded
                    reply = repr(exc).encode()
                replies[kind].append((reply[:40].decode("latin-1"), round(time.monotonic() - start, 1)))
                if not again or stop.is_set():
                    return

        def ingest_url():
            r = httpx.post(base + "/api/ingest", data={"url": loris.url}, headers={"X-Claimscope-Token": TOKEN},
                           timeout=120)
            return f"{r.status_code} {r.json().get('detail', '')}".encode()

        threads = [threading.Thread(target=record, args=("big_head_40mb", hostile.big_head, port, 40),
                                    kwargs={"again": True}) for _ in range(8)]
        threads += [threading.Thread(target=record, args=("slow_head", hostile.slow_head, port, 30)) for _ in range(50)]
        threads += [threading.Thread(target=record, args=("slow_upload", hostile.slow_upload, port, TOKEN, 60))
                    for _ in range(20)]
        threads += [threading.Thread(target=record, args=("slow_url_ingest", ingest_url)) for _ in range(4)]
        for t in threads:
            t.start()
        time.sleep(0.5)
        attacked = _summary(_latencies(base, 10))
        stop.set()
        print(f"  under hostile clients: {attacked}", flush=True)
        for t in threads:
            t.join(180)
        outcome = {kind: {"clients": len(r), "replies": sorted({x for x, _ in r}),
                          "longest_held_s": max((s for _, s in r), default=0)} for kind, r in replies.items()}
        for kind, o in outcome.items():
            print(f"  {kind}: {o}", flush=True)
        return {"undisturbed": quiet, "under_hostile_clients": attacked, "hostile": outcome}
    finally:
        loris.close()
        server.terminate()
        server.wait(20)


# ---------------------------------------------------------------- 5: concurrent writers (#13)

def concurrent_writers(work: Path) -> dict:
    docs = _copy_texts(DEV, work / "writers")
    db = work / "writers.db"
    cmd = [str(CLAIMSCOPE), "analyze", str(docs), "--db", str(db), "--quiet"]
    start = time.monotonic()
    procs = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for _ in range(2)]
    results = [(p.wait(600), p.stderr.read().decode("utf-8", "replace")) for p in procs]
    seconds = time.monotonic() - start
    expected = content_ids(docs)
    ids = [i for (i,) in _rows(db, "SELECT id FROM documents")]
    result = {"writers": 2, "exit_codes": [rc for rc, _ in results], "expected": len(expected), "stored": len(ids),
              "lost": len(expected - set(ids)), "duplicated": len(ids) - len(set(ids)), "seconds": round(seconds, 1),
              "docs_per_s": round(len(expected) / seconds, 2),
              "errors": [e.strip().splitlines()[-1] for rc, e in results if rc not in (0, 1) and e.strip()]}
    print(f"  {result}", flush=True)
    return result


# ---------------------------------------------------------------- 6: serve freshness (#13)

def freshness(work: Path) -> dict:
    db = work / "fresh.db"
    subprocess.run([str(CLAIMSCOPE), "analyze", str(DEV), "--db", str(db), "--quiet"], check=False)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    start = time.monotonic()
    server = subprocess.Popen([str(CLAIMSCOPE), "serve", "--db", str(db), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                before = httpx.get(base + "/api/stats", timeout=2).json()["documents"]
                break
            except httpx.HTTPError:
                if time.monotonic() - start > 120 or server.poll() is not None:
                    return {"error": "serve did not start"}
                time.sleep(0.1)
        started = time.monotonic() - start
        extra = work / "extra.txt"
        extra.write_text("The Council met in Vilnius on Tuesday. It called for the release of all "
                         "political prisoners in Belarus.", "utf-8")
        subprocess.run([str(CLAIMSCOPE), "analyze", str(extra), "--db", str(db), "--quiet"], check=False)
        written = time.monotonic()
        seen = None
        while time.monotonic() - written < 30:
            if httpx.get(base + "/api/stats", timeout=10).json()["documents"] > before:
                seen = round(time.monotonic() - written, 2)
                break
            time.sleep(0.1)
        result = {"documents": before, "start_s": round(started, 2), "new_document_visible_after_s": seen}
        print(f"  {result}", flush=True)
        return result
    finally:
        server.terminate()
        server.wait(20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=8)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--skip", nargs="*", default=[], choices=["bad", "kills", "hostile", "writers", "freshness"])
    args = parser.parse_args()
    report = {"uptime_before": uptime()}
    print(report["uptime_before"], flush=True)
    with tempfile.TemporaryDirectory(prefix="claimscope-campaign-") as tmp:
        work = Path(tmp)
        os.chmod(work, 0o777)
        for name, step in [("bad", lambda: bad_inputs(work / "bad")), ("kills", lambda: kills(work / "kills", args.kills)),
                           ("hostile", lambda: hostile_clients(work / "hostile")),
                           ("writers", lambda: concurrent_writers(work / "writers")),
                           ("freshness", lambda: freshness(work / "freshness"))]:
            if name in args.skip:
                continue
            (work / name).mkdir()
            os.chmod(work / name, 0o777)
            print(f"== {name}", flush=True)
            report[name] = step()
        subprocess.run(["chmod", "-R", "u+rwx", tmp], check=False)
    report["uptime_after"] = uptime()
    print(report["uptime_after"], flush=True)
    if args.out:
        args.out.write_text(json.dumps(report, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
