"""Cost of the analyst views (issue #11): facet counts, timeline and network queries, uncached
(the server caches them per store state; this measures a cold first request after a write).

Builds (or reuses) the store of bench/load_events.py (--docs copies of the analysed shared corpus
and the sample documents; SQLite path or PostgreSQL URL), then runs each query --repeat times per
filter set with the result cache off and prints median and max milliseconds.

Example: .venv/bin/python bench/views.py --docs 10000
         .venv/bin/python bench/views.py --db postgresql://postgres@/bench?host=/tmp/pg --docs 10000
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_events import ROOT, build_db, drop_store, has_documents  # noqa: E402

FILTERS = {"none": {}, "type=ACCUSE": {"types": ("ACCUSE",)}, "country=BLR": {"country": "BLR"},
           "year=2022": {"year": "2022"}, "aux=negation": {"aux": ("negation",)},
           "actor=Lukashenko": {"actor": "Lukashenko"}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default=str(ROOT / "bench" / "out" / "views.db"), help="SQLite path or postgresql:// URL")
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args()

    from claimscope.serve import charts
    from claimscope.serve.facets import document_facets, event_facets
    from claimscope.serve.queries import Database, EventFilter

    if args.rebuild:
        drop_store(args.db)
    if not has_documents(args.db):
        if not args.db.startswith("postgresql"):
            Path(args.db).parent.mkdir(parents=True, exist_ok=True)
        print(f"building {args.docs:,} documents …", file=sys.stderr)
        build_db(args.db, args.docs)
    db = Database(args.db, cache_size=0)
    events = db.event_count()
    print(f"store: {args.db} ({events:,} events); ms per query, uncached, {args.repeat} runs: median / max")
    queries = {
        "event facets (8)": lambda f: event_facets(db, f),
        "timeline auto": lambda f: charts.timeline(db, f),
        "network": lambda f: charts.network(db, f),
        "network unlinked": lambda f: charts.network(db, f, unlinked=True),
    }
    for label, run in queries.items():
        for name, kw in FILTERS.items():
            f = EventFilter(**kw)
            times = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                run(f)
                times.append((time.perf_counter() - t) * 1000)
            print(f"  {label:18} {name:18} {statistics.median(times):8.1f} {max(times):8.1f}")
    for name, kw in {"none": {}, "language=en": {"language": "en"}, "year=2022": {"year": "2022"}}.items():
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            document_facets(db, **kw)
            times.append((time.perf_counter() - t) * 1000)
        print(f"  {'document facets':18} {name:18} {statistics.median(times):8.1f} {max(times):8.1f}")
    db.close()


if __name__ == "__main__":
    main()
