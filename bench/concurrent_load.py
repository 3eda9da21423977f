"""Concurrent loaders: N processes store overlapping ranges of the same documents into one store
(SQLite path or PostgreSQL URL) at the same time; reports each loader's rate, the total rate,
and checks that every document is stored exactly once (and, for SQLite, PRAGMA integrity_check).

The documents are the analyses of an existing store (e.g. the one bench/load_events.py builds),
read once into a JSONL file that every loader reads. Loader k stores documents
[k*step, k*step + per_loader) in shuffled order, in transactions of --batch documents.

Example:
  .venv/bin/python bench/concurrent_load.py --source bench/out/load_events.db \
      --db postgresql://postgres@/bench?host=/tmp/pg --loaders 2 --per-loader 6000 --step 4000
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

LOADER = r"""
import json, random, sys, time
from claimscope.serialize import from_analysis
from claimscope.store import Store
path, target, first, last, batch, seed = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:7])
with open(path, encoding="utf-8") as handle:
    lines = handle.readlines()[first:last]
docs = [from_analysis(json.loads(line)) for line in lines]
random.Random(seed).shuffle(docs)
t = time.perf_counter()
stored = 0
with Store(target) as store:
    for k in range(0, len(docs), batch):
        stored += sum(store.add_many(docs[k:k + batch]))
print(json.dumps({"documents": len(docs), "stored": stored, "seconds": time.perf_counter() - t}))
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source", required=True, help="store to take the documents from")
    ap.add_argument("--db", required=True, help="store to load into (SQLite path or postgresql:// URL); should be empty")
    ap.add_argument("--loaders", type=int, default=2)
    ap.add_argument("--per-loader", type=int, default=6000)
    ap.add_argument("--step", type=int, default=4000, help="offset between loaders' ranges (< per-loader: overlap)")
    ap.add_argument("--batch", type=int, default=200)
    args = ap.parse_args()

    from claimscope.db import connect, describe
    from claimscope.store import iter_analyses, open_reader

    reader = open_reader(args.source)
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as out:
        n = 0
        for a in iter_analyses(reader):
            out.write(json.dumps(a, ensure_ascii=False) + "\n")
            n += 1
    reader.close()
    ranges = [(k * args.step, min(n, k * args.step + args.per_loader)) for k in range(args.loaders)]
    expected = set()
    try:
        t0 = time.perf_counter()
        procs = [subprocess.Popen([sys.executable, "-c", LOADER, out.name, args.db, str(a), str(b),
                                   str(args.batch), str(seed)], stdout=subprocess.PIPE, text=True)
                 for seed, (a, b) in enumerate(ranges)]
        results = []
        for proc in procs:
            stdout, _ = proc.communicate(timeout=3600)
            if proc.returncode != 0:
                print(f"a loader failed (exit {proc.returncode})", file=sys.stderr)
                return 1
            results.append(json.loads(stdout))
        wall = time.perf_counter() - t0
        with open(out.name, encoding="utf-8") as handle:
            lines = handle.readlines()
        for a, b in ranges:
            expected |= {json.loads(line)["document"]["id"] for line in lines[a:b]}
    finally:
        os.unlink(out.name)

    conn = connect(args.db)
    ids = [r[0] for r in conn.execute("SELECT id FROM documents")]
    once = len(ids) == len(set(ids)) and set(ids) == expected
    integrity = None if conn.is_pg else conn.execute("PRAGMA integrity_check").fetchone()[0]
    conn.close()
    print(f"store: {describe(args.db)}; {args.loaders} loaders, ranges {ranges}, {args.batch} documents a transaction")
    for k, r in enumerate(results):
        print(f"  loader {k}: {r['documents']:,} documents, stored {r['stored']:,} "
              f"(the rest were already there), {r['documents'] / r['seconds']:,.0f} docs/s")
    print(f"distinct documents: {len(expected):,}; stored by the loaders together: "
          f"{sum(r['stored'] for r in results):,}; in the store: {len(ids):,}")
    print(f"every document exactly once: {'YES' if once and sum(r['stored'] for r in results) == len(expected) else 'NO'}"
          + (f"; PRAGMA integrity_check: {integrity}" if integrity else ""))
    print(f"wall time {wall:.1f} s: {len(expected) / wall:,.0f} distinct docs/s overall")
    print(f"machine load (uptime): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0 if once else 1


if __name__ == "__main__":
    sys.exit(main())
