"""`claimscope batch` figures (issue #12): Dask speed-up, per-worker throughput and peak RSS, a
WARC end to end, near-duplicate precision/recall, and `Store.add` docs/s.

Run: .venv/bin/python bench/batch.py [--docs 4000] [--warc 1000] [--store 2000] [--json out.json]

- corpus: N plain-text documents from the shared corpus (bench/throughput.py's build_corpus:
  every text repeated, each copy made unique), one file each, partitions of 100;
- single process: `Pipeline.run` over the same files, no Dask; and one partition analysed alone
  vs as a batch task in one process (what the task adds: tables, analyses, signatures);
- 1 and 2 workers: `run_batch` on a LocalCluster of that many processes, the pipeline loaded in
  each worker before the clock starts (as a long run amortises it);
- WARC: one .warc.gz of N HTML response records (corpus texts in a page shell), written with
  warcio, through `run_batch` (one file is one partition, so one worker does it);
- near-duplicates: originals (real corpus texts) republished as other sites' pages (another
  headline, site boilerplate, small edits: two word changes, sometimes a sentence cut), plus
  same-topic distinct statements (other corpus texts) and half-reused articles (the first half
  of one text, the second half of another); pairwise precision and recall of "same story";
- store: `Store.add` one at a time (the `analyze` path) and `Store.add_many` in batches of 500,
  on documents analysed beforehand, and analysis alone vs analysis + Store.add.
The machine may be shared: `uptime` is printed before and after.
"""
from __future__ import annotations

import argparse
import html
import itertools
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from throughput import PAGE, SHARED, build_corpus

from claimscope.batch import _pipeline, run_batch
from claimscope.dedup import NearDuplicates, signature
from claimscope.model import Document, RawDocument
from claimscope.pipeline import Pipeline, PipelineConfig
from claimscope.store import Store


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def write_corpus(n: int, root: Path) -> Path:
    docs = root / "docs"
    docs.mkdir(parents=True)
    for raw in build_corpus(n, 0.0):
        (docs / Path(raw.source).name).write_bytes(raw.data)
    return docs


def single_process(docs: Path, keep: int) -> tuple[float, int, list[Document], float]:
    pipeline = Pipeline()
    started = time.perf_counter()
    kept: list[Document] = []
    n = 0
    for item in pipeline.run([str(docs)]):
        if isinstance(item, Document):
            n += 1
            if len(kept) < keep:
                kept.append(item)
    seconds = time.perf_counter() - started
    return seconds, n, kept, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def on_cluster(workers: int, inputs: list[str], out: Path, per_partition: int = 100) -> dict:
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        config = PipelineConfig()
        client.run(lambda: bool(_pipeline(config)))  # every worker loads its pipeline first
        started = time.perf_counter()
        result = run_batch(inputs, out, client, config, per_partition)
        seconds = time.perf_counter() - started
        rss = client.run(peak_rss_mb)
    busy: dict[int, float] = {}
    from claimscope.batch import read_manifest

    for entry in read_manifest(out).values():
        busy[entry["worker_pid"]] = busy.get(entry["worker_pid"], 0.0) + entry["seconds"]
    return {"workers": workers, "seconds": round(seconds, 2), "documents": result.documents,
            "docs_per_s": round(result.documents / seconds, 1),
            "per_worker_docs_per_busy_s": round(result.documents / sum(busy.values()) * len(busy), 1),
            "peak_rss_mb_per_worker": sorted(round(v) for v in rss.values()),
            "failures": len(result.failures), "duplicates": result.duplicates}


def task_overhead(docs: Path, out: Path, rounds: int = 3) -> dict:
    """What a batch task adds to the analysis of its documents (tables, analyses, signatures,
    manifest), in this process: the cluster's share of the machine plays no part. The same
    partition analysed alone and as a task, alternately, `rounds` times; the medians."""
    from claimscope.batch import plan, run_partition

    part = plan([str(docs)], 100)[0][0]
    config = PipelineConfig()
    pipeline = _pipeline(config)
    list(pipeline.run(part.inputs[:5]))  # warm
    alone, task = [], []
    for i in range(rounds):
        started = time.perf_counter()
        list(pipeline.run(part.inputs))
        alone.append(time.perf_counter() - started)
        started = time.perf_counter()
        run_partition(part, str(out / f"r{i}"), config)
        task.append(time.perf_counter() - started)
    a, t = sorted(alone)[rounds // 2], sorted(task)[rounds // 2]
    return {"documents": len(part.inputs), "analysis_s": round(a, 2), "task_s": round(t, 2),
            "task_vs_analysis": round(a / t, 3)}


# ---------------------------------------------------------------- WARC

def write_warc(n: int, path: Path) -> None:
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    texts = [p.read_text("utf-8") for p in sorted(SHARED.glob("*/*.txt"))]
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for i in range(n):
            lines = [ln for ln in texts[i % len(texts)].split("\n") if ln.strip()] + [f"Archive item {i}."]
            page = PAGE.format(title=html.escape(lines[0][:120]), m=1 + i % 9, d=i % 10,
                               paras="".join(f"<p>{html.escape(ln)}</p>" for ln in lines[1:]))
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                f"https://news.example/{i}", "response", payload=BytesIO(page.encode()), http_headers=http))


# ---------------------------------------------------------------- near-duplicates

SITES = [("Baltic Wire", "Subscribe to our newsletter", "All rights reserved. Baltic Wire 2024"),
         ("Minsk Daily Review", "Follow us on Telegram", "Reprinting requires a link to the source"),
         ("Eastern Europe Monitor", "Share this story", "Our journalists need your support: donate")]
SWAPS = [("said", "stated"), ("government", "authorities"), ("president", "President"),
         ("people", "citizens"), (" and ", " & ")]


def republish(text: str, site: int, rng: random.Random) -> RawDocument:
    """The same story as another site's page: its headline, chrome and boilerplate, small edits."""
    name, header, footer = SITES[site]
    lines = [ln for ln in text.split("\n") if ln.strip()]
    for old, new in rng.sample(SWAPS, 2):  # an editor's touches
        i = rng.randrange(len(lines))
        lines[i] = lines[i].replace(old, new, 1)
    if rng.random() < 0.5:  # one sentence cut
        i = rng.randrange(len(lines))
        sentences = lines[i].split(". ")
        if len(sentences) > 1:
            del sentences[rng.randrange(len(sentences))]
            lines[i] = ". ".join(sentences)
    headline = f"{name}: " + " ".join(lines[0].split()[:8])
    page = (f"<!doctype html><html><head><title>{html.escape(headline)}</title></head><body>"
            f"<header><a href='/'>{name}</a> | <a href='/world'>World</a> | {header}</header>"
            f"<article><h1>{html.escape(headline)}</h1>"
            + "".join(f"<p>{html.escape(ln)}</p>" for ln in lines)
            + f"</article><aside>{header}</aside><footer>{footer}</footer></body></html>")
    return RawDocument(f"{name}/{rng.randrange(10**9)}", data=page.encode(), media_type="text/html")


def near_duplicate_set(seed: int = 11) -> tuple[list[RawDocument], dict[str, str]]:
    """Documents and their story label (same label = same story)."""
    rng = random.Random(seed)
    texts = [p.read_text("utf-8") for p in sorted((SHARED / "train").glob("*.txt"))
             + sorted((SHARED / "dev").glob("*.txt"))]
    texts = [t for t in texts if len(t.split()) >= 80]
    rng.shuffle(texts)
    originals, others = texts[:60], texts[60:]
    docs: list[RawDocument] = []
    story: dict[str, str] = {}
    for i, text in enumerate(originals):
        versions = [RawDocument(f"orig/{i}", text=text)] + [republish(text, s, rng) for s in rng.sample(range(3), 2)]
        for raw in versions:
            docs.append(raw)
            story[raw.source] = f"story{i}"
    for j, text in enumerate(others):  # distinct statements, many on the same topics
        docs.append(RawDocument(f"other/{j}", text=text))
        story[f"other/{j}"] = f"other{j}"
    for k in range(30):  # a new article whose one half is reused from an earlier one: a different story
        a, b = (t.split(" ") for t in rng.sample(texts, 2))
        while not 0.8 < len(a) / len(b) < 1.25:  # halves of similar size
            a, b = (t.split(" ") for t in rng.sample(texts, 2))
        docs.append(RawDocument(f"mixed/{k}", text=" ".join(a[:len(a) // 2] + b[len(b) // 2:])))
        story[f"mixed/{k}"] = f"mixed{k}"
    rng.shuffle(docs)  # the original is not always seen first
    return docs, story


def near_duplicate_scores(pipeline: Pipeline, threshold: float | None = None) -> dict:
    docs, story = near_duplicate_set()
    near = NearDuplicates(threshold) if threshold else NearDuplicates()
    root = {}
    for raw in docs:
        doc = pipeline.extract(raw)  # the cleaned text: boilerplate removed, as stored
        original = near.add(raw.source, signature(doc.text))
        root[raw.source] = original or raw.source
    pairs = list(itertools.combinations(story, 2))
    truth = {p for p in pairs if story[p[0]] == story[p[1]]}
    found = {p for p in pairs if root[p[0]] == root[p[1]]}
    hit = len(truth & found)
    return {"documents": len(docs), "true_pairs": len(truth), "found_pairs": len(found),
            "precision": round(hit / len(found), 4) if found else 1.0,
            "recall": round(hit / len(truth), 4) if truth else 1.0}


# ---------------------------------------------------------------- store

def store_speed(docs: list[Document], analysis_seconds: float) -> dict:
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        with Store(Path(tmp) / "one.db") as store:
            started = time.perf_counter()
            for doc in docs:
                store.add(doc)
            one = time.perf_counter() - started
        with Store(Path(tmp) / "many.db") as store:
            started = time.perf_counter()
            for i in range(0, len(docs), 500):
                store.add_many(docs[i:i + 500])
            many = time.perf_counter() - started
        out = {"documents": len(docs), "add_docs_per_s": round(len(docs) / one),
               "add_many_docs_per_s": round(len(docs) / many),
               "db_mb": round(os.path.getsize(Path(tmp) / "one.db") / 1e6, 1),
               "analysis_s": round(analysis_seconds, 2), "store_add_s": round(one, 2),
               "analyze_end_to_end_vs_analysis": round((analysis_seconds + one) / analysis_seconds, 3)}
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=4000)
    ap.add_argument("--warc", type=int, default=1000)
    ap.add_argument("--store", type=int, default=2000)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    report: dict = {"uptime_before": uptime(), "cores": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        docs = write_corpus(args.docs, root)
        seconds, n, kept, rss = single_process(docs, args.store)
        report["single_process"] = {"documents": n, "seconds": round(seconds, 2),
                                    "docs_per_s": round(n / seconds, 1), "peak_rss_mb": round(rss)}
        print(json.dumps(report["single_process"]), file=sys.stderr)
        report["task_overhead"] = task_overhead(docs, root / "overhead")
        print(json.dumps(report["task_overhead"]), file=sys.stderr)
        report["store"] = store_speed(kept, seconds * len(kept) / n)
        print(json.dumps(report["store"]), file=sys.stderr)
        del kept
        for workers in (1, 2):
            report[f"dask_{workers}"] = on_cluster(workers, [str(docs)], root / f"ds{workers}")
            print(json.dumps(report[f"dask_{workers}"]), file=sys.stderr)
        report["speedup_2_vs_1"] = round(report["dask_1"]["seconds"] / report["dask_2"]["seconds"], 2)
        report["per_worker_vs_single_process"] = round(
            report["dask_1"]["per_worker_docs_per_busy_s"] / report["single_process"]["docs_per_s"], 3)
        warc = root / "crawl.warc.gz"
        write_warc(args.warc, warc)
        report["warc"] = {**on_cluster(2, [str(warc)], root / "dswarc"), "records": args.warc,
                          "bytes": warc.stat().st_size}
        print(json.dumps(report["warc"]), file=sys.stderr)
    pipeline = Pipeline()
    report["near_duplicates"] = near_duplicate_scores(pipeline)
    report["near_duplicates_by_threshold"] = {t: near_duplicate_scores(pipeline, t) for t in (0.6, 0.8, 0.9)}
    report["uptime_after"] = uptime()
    text = json.dumps(report, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", "utf-8")


if __name__ == "__main__":
    main()
