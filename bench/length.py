"""Cost against document length: seconds per KB for one document of ~10 KB, ~100 KB and ~1 MB,
made by joining corpus texts (each copy numbered so it stays distinct). Linear cost means the
per-KB figures stay flat (target: 1 MB within 1.3x of 10 KB).

Run: .venv/bin/python bench/length.py [--sizes 10,100,1000]
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from claimscope.model import RawDocument
from claimscope.pipeline import Pipeline

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def document(kb: int) -> str:
    texts = [p.read_text("utf-8") for p in sorted((SHARED / "train").glob("*.txt"))]
    parts, size, i = [], 0, 0
    while size < kb * 1024:
        # every line numbered: cleaning drops lines repeated across a page as boilerplate
        body = "\n".join(f"{ln} ({i})" if ln.strip() else ln for ln in texts[i % len(texts)].split("\n"))
        t = f"{body}\n\nSection {i}.\n\n"
        parts.append(t)
        size += len(t.encode())
        i += 1
    return "".join(parts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10,100,1000", help="document sizes in KB")
    args = ap.parse_args()
    pipeline = Pipeline()
    pipeline.analyze(RawDocument("warm-up", text=document(5)))
    base = None
    for kb in (int(x) for x in args.sizes.split(",")):
        text = document(kb)
        raw = RawDocument(f"bench/{kb}kb.txt", data=text.encode())
        doc = pipeline.extract(raw)
        times = {}
        t0 = time.perf_counter()
        for name, stage in pipeline.stages:
            t = time.perf_counter()
            stage(doc)
            times[name] = time.perf_counter() - t
        total = time.perf_counter() - t0
        per_kb = total / (len(doc.text.encode()) / 1024)  # the cleaned text the stages see
        base = base or per_kb
        split = ", ".join(f"{k} {v / total:.0%}" for k, v in times.items() if v / total >= 0.02)
        print(f"{kb:>6} KB ({len(doc.text.encode()) // 1024} KB cleaned): {total:7.2f} s  {per_kb * 1000:6.2f} ms/KB  x{per_kb / base:4.2f}  "
              f"({len(doc.events)} events; {split})", flush=True)


if __name__ == "__main__":
    main()
