"""Load benchmark for `claimscope serve`: latency of /api/events with filters under concurrency.

1. Builds (or reuses, with --db) a database of --docs documents: copies of the analysed shared
   corpus plus the hand-coded sample documents, each copy with its own id and publication date,
   stored through `Store.add` so every table and index is filled as in real use.
2. Starts `claimscope serve` in a subprocess on a free loopback port.
3. Runs --clients concurrent httpx.AsyncClient loops for --duration seconds over a mix of
   filtered /api/events requests (type, mode, actor, recipient, country, sector, aux, date
   windows, text, sorts, pages) and prints p50/p90/p99/max latency and throughput.

Example: .venv/bin/python bench/load_events.py --docs 10000 --clients 50 --duration 20
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


def build_db(path: Path, n_docs: int) -> None:
    from claimscope.model import Document
    from claimscope.pipeline import Pipeline
    from claimscope.serialize import from_analysis, to_analysis
    from claimscope.serve.sample import sample_documents
    from claimscope.store import Store

    base = [d for d in Pipeline().run([str(CORPUS)]) if isinstance(d, Document)]
    base += sample_documents()
    analyses = [to_analysis(d) for d in base]
    start = date(2020, 1, 1)
    t0 = time.perf_counter()
    with Store(path) as store:
        for i in range(n_docs):
            a = analyses[i % len(analyses)]
            doc = from_analysis(a)
            doc.id = f"{a['document']['id'][:12]}{i:08d}"
            day = (start + timedelta(days=(i * 37) % 1600)).isoformat()
            shift = None
            if doc.published:
                shift = date.fromisoformat(day) - date.fromisoformat(doc.published[:10])
            doc.published, doc.published_from = day, "given"
            for ev in doc.events:
                if shift is not None and ev.date and len(ev.date) >= 10 and ev.date[4] == "-":
                    try:
                        ev.date = (date.fromisoformat(ev.date[:10]) + shift).isoformat()
                    except ValueError:
                        ev.date = day
                else:
                    ev.date = day
            store.add(doc)
            if (i + 1) % 2000 == 0:
                print(f"  stored {i + 1:,} documents ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
        store.conn.execute("ANALYZE")
        store.conn.commit()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


TYPES = ["REQUEST", "ACCUSE", "SUPPORT", "ASSERT", "COERCE", "ASSAULT", "REJECT", "AGREE"]
ACTORS = ["blr-gov", "blr", "rus", "ukr", "eu", "blr-cc", "Coordination Council", "Lukashenk", "Tsikhanouskaya"]


def random_params(rng: random.Random) -> dict:
    p: dict = {"limit": rng.choice([20, 50, 50, 100])}
    kind = rng.randrange(10)
    if kind in (0, 1, 2):
        p["type"] = rng.choice(TYPES)
    if kind == 1:
        p["mode"] = rng.choice(["assist", "change", "disapprove", "allege", "meet"])
    if kind in (2, 3):
        p["actor"] = rng.choice(ACTORS)
    if kind == 4:
        p["recipient"] = rng.choice(ACTORS)
    if kind == 5:
        p["country"] = rng.choice(["BLR", "RUS", "UKR", "EUR"])
        p["sector"] = rng.choice(["GOV", "OPP"])
    if kind == 6:
        p["aux"] = rng.choice(["negation", "future", "hypothetical", "historical"])
    if kind in (7, 3):
        d0 = date(2020, 1, 1) + timedelta(days=rng.randrange(1500))
        p["date_from"] = d0.isoformat()
        p["date_to"] = (d0 + timedelta(days=rng.choice([7, 30, 90, 365]))).isoformat()
    if kind == 8:
        p["text"] = rng.choice(["sanctions", "political prisoners", "Ukraine", "dialogue", "weapons"])
    p["sort"] = rng.choice(["date", "date", "date", "type", "actor", "published", "confidence"])
    p["order"] = rng.choice(["desc", "asc"])
    p["offset"] = rng.choice([0, 0, 0, 50, 100, 1000])
    return p


async def run_load(base: str, clients: int, duration: float, warmup: float) -> dict:
    import httpx

    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    t_start = time.perf_counter()
    measure_from = t_start + warmup
    stop_at = measure_from + duration

    async def worker(seed: int) -> None:
        nonlocal errors
        rng = random.Random(seed)
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
            while True:
                now = time.perf_counter()
                if now >= stop_at:
                    return
                params = random_params(rng)
                t = time.perf_counter()
                try:
                    r = await client.get("/api/events", params=params)
                    await r.aread()
                    status = r.status_code
                except httpx.HTTPError:
                    status = -1
                dt = time.perf_counter() - t
                if t >= measure_from:
                    latencies.append(dt)
                    statuses[status] = statuses.get(status, 0) + 1
                    if status != 200:
                        errors += 1

    await asyncio.gather(*(worker(i) for i in range(clients)))
    lat = sorted(latencies)

    def pct(q: float) -> float:
        return lat[min(len(lat) - 1, int(q * len(lat)))] * 1000 if lat else float("nan")

    return {"requests": len(lat), "errors": errors, "statuses": statuses, "rps": len(lat) / duration,
            "p50_ms": pct(0.50), "p90_ms": pct(0.90), "p99_ms": pct(0.99),
            "max_ms": lat[-1] * 1000 if lat else float("nan"),
            "mean_ms": statistics.fmean(lat) * 1000 if lat else float("nan")}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, default=ROOT / "bench" / "out" / "load_events.db",
                    help="database to use; built if missing")
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--duration", type=float, default=20.0)
    ap.add_argument("--warmup", type=float, default=3.0)
    ap.add_argument("--rebuild", action="store_true", help="rebuild the database even if it exists")
    ap.add_argument("--server-threads", type=int, default=4)
    ap.add_argument("--processes", type=int, default=1, help="server processes (serve --processes)")
    args = ap.parse_args()

    if args.rebuild and args.db.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(str(args.db) + suffix).unlink(missing_ok=True)
    if not args.db.exists():
        args.db.parent.mkdir(parents=True, exist_ok=True)
        print(f"building {args.docs:,}-document database at {args.db} …", file=sys.stderr)
        t = time.perf_counter()
        build_db(args.db, args.docs)
        print(f"built in {time.perf_counter() - t:.1f} s", file=sys.stderr)

    import sqlite3

    conn = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    n_docs, n_events = (conn.execute("SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM events)").fetchone())
    conn.close()

    port = free_port()
    cmd = [sys.executable, "-c", "from claimscope.serve.cli import app; app()", "--db", str(args.db),
           "--port", str(port), "--workers", str(args.server_threads),
           "--processes", str(args.processes)]
    env = {**os.environ, "CLAIMSCOPE_TOKEN": ""}
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        import httpx

        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(base + "/api/stats", timeout=10).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                print("server did not start:", server.stderr.read().decode() if server.stderr else "",
                      file=sys.stderr)
                return 1
            time.sleep(0.2)
        res = asyncio.run(run_load(base, args.clients, args.duration, args.warmup))
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()

    print(f"database: {n_docs:,} documents, {n_events:,} events ({args.db})")
    print(f"server: {args.processes} process(es), {args.server_threads} threads each")
    print(f"load: {args.clients} concurrent clients, {args.duration:g} s (after {args.warmup:g} s warm-up), "
          f"GET /api/events with random filters/sorts/pages")
    print(f"requests: {res['requests']:,}  ({res['rps']:.0f} req/s)  non-200: {res['errors']}  {res['statuses']}")
    print(f"latency ms: p50 {res['p50_ms']:.1f}  p90 {res['p90_ms']:.1f}  p99 {res['p99_ms']:.1f}  "
          f"max {res['max_ms']:.1f}  mean {res['mean_ms']:.1f}")
    target = 200.0
    print(f"p99 target < {target:.0f} ms: {'MET' if res['p99_ms'] < target else 'NOT MET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
