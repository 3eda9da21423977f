"""Throughput of the pipeline on one core: docs/s, sentences/s, per-stage split, peak RSS.

Builds a corpus of N documents (default 5,000) from the shared corpus: plain-text copies and
HTML-wrapped copies (a real page shell with nav/footer around the text), each made unique so
content hashes differ. Run: .venv/bin/python bench/throughput.py [--docs 5000] [--html-share 0.5]
With --processes N the corpus is split over N worker processes (each loads its own pipeline,
as `claimscope batch` workers do) and the wall-clock docs/s of the whole run is reported.
"""
from __future__ import annotations

import argparse
import html
import multiprocessing
import random
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

from claimscope.model import RawDocument
from claimscope.pipeline import Pipeline

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>{title}</title>
<meta name="author" content="Newsroom"><meta property="article:published_time" content="2023-0{m}-1{d}">
</head><body><nav><a href="/">Home</a> <a href="/news">All News</a> <a href="/about">About</a></nav>
<article><h1>{title}</h1>{paras}</article>
<footer><p>Share this</p><p>© Newsroom. All rights reserved.</p></footer></body></html>"""


def build_corpus(n: int, html_share: float, seed: int = 7) -> list[RawDocument]:
    texts = [p.read_text("utf-8") for p in sorted(SHARED.glob("*/*.txt"))]
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        base = texts[i % len(texts)]
        text = f"{base}\n\nReference {i}: archived copy {rng.randrange(10**9)}."
        if rng.random() < html_share:
            lines = [ln for ln in text.split("\n") if ln.strip()]
            page = PAGE.format(title=html.escape(lines[0][:120]), m=1 + i % 9, d=i % 10,
                               paras="".join(f"<p>{html.escape(ln)}</p>" for ln in lines[1:]))
            docs.append(RawDocument(f"bench/{i}.html", data=page.encode(), media_type="text/html"))
        else:
            docs.append(RawDocument(f"bench/{i}.txt", data=text.encode(), media_type="text/plain"))
    return docs


def _worker(job: tuple[int, int, float]) -> tuple[int, float]:
    """Analyse every `step`-th document from `offset` with a pipeline of this process's own."""
    offset, step, n_html = job
    pipeline = Pipeline()
    corpus = build_corpus(_worker.n, n_html)[offset::step]  # type: ignore[attr-defined]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for raw in corpus:
        pipeline.analyze(raw)
    return len(corpus), max(peak, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def parallel(n: int, html_share: float, processes: int) -> None:
    _worker.n = n  # type: ignore[attr-defined]
    ctx = multiprocessing.get_context("fork")
    start = time.perf_counter()
    with ctx.Pool(processes) as pool:
        results = pool.map(_worker, [(k, processes, html_share) for k in range(processes)])
    total = time.perf_counter() - start
    done = sum(r[0] for r in results)
    print(f"{processes} processes: {done} documents in {total:.2f} s wall (pipeline loads included): "
          f"{done / total:,.1f} docs/s; peak RSS per process {max(r[1] for r in results):,.0f} MiB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=5000)
    ap.add_argument("--html-share", type=float, default=0.5)
    ap.add_argument("--stop-after", default=None,
                    help="run only up to this stage (e.g. 'language' for the foundation stages)")
    ap.add_argument("--processes", type=int, default=1, help="worker processes (wall-clock docs/s)")
    args = ap.parse_args()
    if args.processes > 1:
        return parallel(args.docs, args.html_share, args.processes)
    t0 = time.perf_counter()
    pipeline = Pipeline()
    if args.stop_after:
        names = [name for name, _ in pipeline.stages]
        pipeline.stages = pipeline.stages[:names.index(args.stop_after) + 1]
    load = time.perf_counter() - t0
    corpus = build_corpus(args.docs, args.html_share)
    pipeline.analyze(corpus[0])  # warm lazy imports and caches outside the measurement
    per_stage: dict[str, float] = defaultdict(float)
    by_kind: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    sentences = events = 0
    start = time.perf_counter()
    for raw in corpus:
        t = time.perf_counter()
        doc = pipeline.extract(raw)
        per_stage["extract"] += time.perf_counter() - t
        for name, stage in pipeline.stages:
            t1 = time.perf_counter()
            stage(doc)
            per_stage[name] += time.perf_counter() - t1
        kind = by_kind[raw.media_type]
        kind[0] += 1
        kind[1] += time.perf_counter() - t
        sentences += len(doc.sentences)
        events += len(doc.events)
    total = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"pipeline load: {load:.2f} s")
    print(f"documents: {len(corpus)}  sentences: {sentences}  events: {events}")
    print(f"all:  {len(corpus) / total:,.0f} docs/s, {sentences / total:,.0f} sentences/s ({total:.2f} s)")
    for media, (n, secs) in sorted(by_kind.items()):
        print(f"  {media:<10} {n:>6} docs  {n / secs:,.0f} docs/s")
    print("per stage (share of time, docs/s if run alone):")
    for name, secs in per_stage.items():
        print(f"  {name:<9} {100 * secs / total:5.1f} %  {len(corpus) / secs:>10,.0f} docs/s")
    print(f"peak RSS: {rss:,.0f} MiB")


if __name__ == "__main__":
    sys.exit(main())
