"""Load benchmark for `claimscope serve`: latency of /api/events with filters under concurrency.

1. Builds (or reuses, with --db) a database of --docs documents: copies of the analysed shared
   corpus plus the hand-coded sample documents, each copy with its own id and publication date,
   stored through `Store.add_many` (batches of --batch documents, one transaction each) so every
   table and index is filled as in real use; prints the bulk-load rate (docs/s). --db is a
   SQLite path or a PostgreSQL URL. The copies are stored without near-duplicate signatures:
   they stand for 10,000 distinct documents. A built store is reused by later runs (same --db;
   --rebuild to start over).
2. Starts `claimscope serve` in a subprocess on a free loopback port and reports how long it took
   to answer (start time). Every wait has a deadline; the server's output goes to a file, never a
   pipe the benchmark could block on.
3. Loads it for --duration seconds with --clients concurrent connections over a mix of
   filtered /api/events requests (type, mode, actor, recipient, country, sector, aux, date
   windows, text, sorts, pages) and prints p50/p90/p99/max latency and throughput.

Load generators (--client): `wrk` (Debian package `wrk`; default when it is on PATH) replays a
pre-generated list of --urls random URLs from a Lua script and costs a few % of a core, so the
numbers are the server's; `python` (httpx.AsyncClient loops, the fallback) needs ~0.5 core itself,
which on a 2-core machine is taken from the server. The script prints which one it used.
`--cache-size 0` starts the server without its result cache (counts, name resolution).

Example: .venv/bin/python bench/load_events.py --docs 10000 --clients 50 --duration 20
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import OrderedDict
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


def build_db(path: str, n_docs: int, batch: int = 500) -> float:
    """Build the database; returns the bulk-load rate of the store (docs/s, analysis excluded)."""
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
    storing = 0.0
    pending: list = []
    with Store(path) as store:
        for i in range(n_docs):
            a = analyses[i % len(analyses)]
            doc = from_analysis(a)
            doc.id = f"{a['document']['id'][:12]}{i:08d}"
            day = (start + timedelta(days=(i * 37) % 1600)).isoformat()
            shift = None
            try:
                shift = date.fromisoformat(day) - date.fromisoformat((doc.published or "")[:10])
            except ValueError:  # no or a partial publication date (e.g. "2020-09")
                pass
            doc.published, doc.published_from = day, "given"
            for ev in doc.events:
                if shift is not None and ev.date and len(ev.date) >= 10 and ev.date[4] == "-":
                    try:
                        ev.date = (date.fromisoformat(ev.date[:10]) + shift).isoformat()
                    except ValueError:
                        ev.date = day
                else:
                    ev.date = day
            pending.append(doc)
            if len(pending) == batch or i == n_docs - 1:
                t = time.perf_counter()
                # the copies stand for distinct documents: no MinHash signatures (with them every
                # copy would be a near-duplicate of its original, and the API counts a story once)
                store.add_many(pending, signatures={d.id: None for d in pending})
                storing += time.perf_counter() - t
                pending = []
            if (i + 1) % 2000 == 0:
                print(f"  stored {i + 1:,} documents ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
        # statistics for the planner; on PostgreSQL also the visibility map, without which
        # index-only scans (counts, walks) read the table (autovacuum would get there later)
        store.conn.execute("VACUUM ANALYZE" if store.conn.is_pg else "ANALYZE")
    return n_docs / storing


def has_documents(target: str) -> bool:
    from claimscope.db import connect, is_url

    if not is_url(target) and not Path(target).exists():
        return False
    conn = connect(target)
    try:
        return conn.execute("SELECT count(*) FROM documents").fetchone()[0] > 0
    except Exception:  # noqa: BLE001 - no schema yet
        return False
    finally:
        conn.close()


def drop_store(target: str) -> None:
    """--rebuild: delete the SQLite file, or drop claimscope's tables from the PostgreSQL database."""
    from claimscope.db import connect, is_url

    if not is_url(target):
        for suffix in ("", "-wal", "-shm"):
            Path(target + suffix).unlink(missing_ok=True)
        return
    conn = connect(target)
    conn.execute("DROP TABLE IF EXISTS meta, schema_version, documents, removed, sentences, entities,"
                 " mentions, events, event_roles, times, failures, entity_names, corrections, minhash"
                 " CASCADE")
    conn.close()


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
    return await asyncio.wait_for(_run_load(base, clients, duration, warmup), warmup + duration + 60)


async def _run_load(base: str, clients: int, duration: float, warmup: float) -> dict:
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


WRK_LUA = r"""
local paths = {}
for line in io.lines(os.getenv("CLAIMSCOPE_BENCH_URLS")) do paths[#paths + 1] = line end
-- one wrk thread: URLs are sent in list order, from CLAIMSCOPE_BENCH_START on (past the warm-up)
function init(args) idx = tonumber(os.getenv("CLAIMSCOPE_BENCH_START") or "0") end
function request()
  idx = idx % #paths + 1
  return wrk.format("GET", paths[idx])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration=%.3f p50=%.3f p90=%.3f p99=%.3f max=%.3f mean=%.3f non2xx=%d errors=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(90) / 1e3, latency:percentile(99) / 1e3, latency.max / 1e3,
    latency.mean / 1e3, e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def event_urls(n: int, seed: int = 1) -> list[str]:
    from urllib.parse import urlencode

    rng = random.Random(seed)
    return ["/api/events?" + urlencode(random_params(rng), doseq=True) for _ in range(n)]


def count_cache_hit_rate(urls: list[str], n_requests: int, cache_size: int, skip: int = 0) -> float:
    """Hit rate of the server's per-filter-set count cache (an LRU of `cache_size` entries) over
    the first `n_requests` URLs as wrk sends them (one thread: in list order), counted after the
    first `skip` (warm-up). Approximate: the cache also holds name resolutions (same LRU)."""
    if cache_size <= 0 or n_requests <= skip:
        return 0.0
    from urllib.parse import parse_qsl, urlsplit

    lru: OrderedDict = OrderedDict()
    hits = 0
    for i in range(n_requests):
        q = [kv for kv in parse_qsl(urlsplit(urls[i % len(urls)]).query)
             if kv[0] not in ("sort", "order", "limit", "offset")]
        key = tuple(sorted(q))
        if key in lru:
            hits += i >= skip
            lru.move_to_end(key)
        else:
            lru[key] = True
            if len(lru) > cache_size:
                lru.popitem(last=False)
    return hits / (n_requests - skip)


def run_wrk(base: str, urls: list[str], clients: int, duration: float, warmup: float) -> dict:
    with tempfile.TemporaryDirectory(prefix="claimscope-bench-") as tmp:
        url_file, lua = Path(tmp) / "urls.txt", Path(tmp) / "urls.lua"
        url_file.write_text("\n".join(urls) + "\n")
        lua.write_text(WRK_LUA)
        env = {**os.environ, "CLAIMSCOPE_BENCH_URLS": str(url_file)}

        def wrk(seconds: float, start: int = 0) -> str:
            env["CLAIMSCOPE_BENCH_START"] = str(start)
            cmd = ["wrk", "-t1", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--timeout", "30s",
                   "--latency", "-s", str(lua), base]
            out = subprocess.run(cmd, env=env, capture_output=True, text=True,
                                 timeout=seconds + 60, check=True).stdout
            m = re.search(r"^RESULT (.*)$", out, re.M)
            if not m:
                raise RuntimeError(f"unexpected wrk output:\n{out}")
            return {k: float(x) for k, x in (kv.split("=") for kv in m.group(1).split())}

        warm = int(wrk(warmup)["requests"]) if warmup > 0 else 0
        v = wrk(duration, start=warm)
    errors = int(v["non2xx"] + v["errors"])
    return {"requests": int(v["requests"]), "errors": errors,
            "statuses": {"non-2xx": int(v["non2xx"]), "socket errors": int(v["errors"])},
            "warmup_requests": warm,
            "rps": v["requests"] / v["duration"], "p50_ms": v["p50"], "p90_ms": v["p90"],
            "p99_ms": v["p99"], "max_ms": v["max"], "mean_ms": v["mean"]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default=str(ROOT / "bench" / "out" / "load_events.db"),
                    help="SQLite path or postgresql:// URL; built if missing (empty)")
    ap.add_argument("--batch", type=int, default=500, help="documents per transaction when building")
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--duration", type=float, default=20.0)
    ap.add_argument("--warmup", type=float, default=3.0)
    ap.add_argument("--rebuild", action="store_true", help="rebuild the database even if it exists")
    ap.add_argument("--server-threads", type=int, default=4)
    ap.add_argument("--processes", type=int, default=1, help="server processes (serve --processes)")
    ap.add_argument("--cache-size", type=int, default=512,
                    help="server result-cache entries (serve --cache-size; 0 = no cache)")
    ap.add_argument("--client", choices=("auto", "wrk", "python"), default="auto",
                    help="load generator: wrk if on PATH (auto), or the Python httpx one")
    ap.add_argument("--urls", type=int, default=20_000, help="random URLs pre-generated for wrk")
    args = ap.parse_args()
    client = args.client
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "python"
    elif client == "wrk" and not shutil.which("wrk"):
        print("wrk is not on PATH (Debian: apt-get install wrk)", file=sys.stderr)
        return 2

    from claimscope.db import connect, describe, is_url

    if args.rebuild:
        drop_store(args.db)
    load_rate = None
    if not has_documents(args.db):
        if not is_url(args.db):
            Path(args.db).parent.mkdir(parents=True, exist_ok=True)
        print(f"building {args.docs:,}-document database at {describe(args.db)} …", file=sys.stderr)
        t = time.perf_counter()
        load_rate = build_db(args.db, args.docs, args.batch)
        print(f"built in {time.perf_counter() - t:.1f} s", file=sys.stderr)

    conn = connect(args.db, read_only=True)
    n_docs, n_events = (conn.execute("SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM events)").fetchone())
    conn.close()

    port = free_port()
    cmd = [sys.executable, "-c", "from claimscope.serve.cli import app; app()", "--db", str(args.db),
           "--port", str(port), "--workers", str(args.server_threads),
           "--processes", str(args.processes), "--cache-size", str(args.cache_size)]
    env = {**os.environ, "CLAIMSCOPE_TOKEN": ""}
    log = tempfile.NamedTemporaryFile(prefix="claimscope-bench-serve-", suffix=".log", delete=False)
    t_launch = time.perf_counter()
    server = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        import httpx

        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/api/stats", timeout=10).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                print("server did not start within 60 s:", Path(log.name).read_text(errors="replace")[-4000:],
                      file=sys.stderr)
                return 1
            time.sleep(0.05)
        start_s = time.perf_counter() - t_launch
        if client == "wrk":
            urls = event_urls(args.urls)
            res = run_wrk(base, urls, args.clients, args.duration, args.warmup)
            # the warm-up run's requests fill the cache too: simulate from the first URL
            hit = count_cache_hit_rate(urls, res["warmup_requests"] + res["requests"],
                                       args.cache_size, skip=res["warmup_requests"])
        else:
            res = asyncio.run(run_load(base, args.clients, args.duration, args.warmup))
            hit = None
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        log.close()
        os.unlink(log.name)

    print(f"database: {n_docs:,} documents, {n_events:,} events ({describe(args.db)})")
    if load_rate is not None:
        print(f"bulk load (Store.add_many, {args.batch} documents a transaction): {load_rate:,.0f} docs/s")
    print(f"server start (launch to first answer): {start_s:.2f} s")
    print(f"machine load (uptime): {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    print(f"server: {args.processes} process(es), {args.server_threads} threads each, "
          f"result cache {args.cache_size} entries" + (" (off)" if args.cache_size <= 0 else ""))
    gen = (f"wrk (1 thread, {args.urls:,} pre-generated URLs)" if client == "wrk"
           else "python (httpx.AsyncClient loops)")
    print(f"load generator: {gen}")
    print(f"load: {args.clients} concurrent clients, {args.duration:g} s (after {args.warmup:g} s warm-up), "
          f"GET /api/events with random filters/sorts/pages")
    if hit is not None and args.cache_size > 0:
        print(f"count cache hit rate (simulated over the requests sent): {hit:.0%}")
    print(f"requests: {res['requests']:,}  ({res['rps']:.0f} req/s)  non-200: {res['errors']}  {res['statuses']}")
    print(f"latency ms: p50 {res['p50_ms']:.1f}  p90 {res['p90_ms']:.1f}  p99 {res['p99_ms']:.1f}  "
          f"max {res['max_ms']:.1f}  mean {res['mean_ms']:.1f}")
    target = 200.0
    print(f"p99 target < {target:.0f} ms: {'MET' if res['p99_ms'] < target else 'NOT MET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
