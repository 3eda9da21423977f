"""Batch analysis on Dask into a Parquet dataset (docs/scale.md).

The inputs are cut into partitions (one JSONL/JSONL.gz shard, one WARC file, or up to N
documents of a directory / of the loose files and URLs given), and every partition is one Dask
task that runs the same `Pipeline` (built once per worker process, `_pipeline`) and writes:

    DATASET/<table>/part-<pid>.parquet   documents, events, entities, mentions, times, failures
                                         (the columns of `claimscope export`, claimscope.export)
    DATASET/analyses/part-<pid>.jsonl.gz the full analyses (what `claimscope load` stores)
    DATASET/minhash/part-<pid>.parquet   doc_id, signature (near-duplicate detection)
    DATASET/_manifest/<pid>.json         written last: the partition is finished

Every file is written to a temporary name and renamed, so a killed worker or client leaves
finished files or none. A rerun skips the partitions whose manifest entry matches their inputs
(paths, sizes, mtimes) and redoes the others under the same file names, so nothing is written
twice. When all partitions are finished, the client marks near-duplicates across the whole
dataset (claimscope.dedup; the original is the first in partition order) in the documents
tables and writes DATASET/dataset.json: its presence means the dataset is complete.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from uuid import uuid4

from claimscope.model import Document, Failure
from claimscope.pipeline import Pipeline, PipelineConfig
from claimscope.read import JSONL_SUFFIXES, ReadOptions, _expand, is_jsonl_gz

TABLES = ("documents", "events", "entities", "mentions", "times", "failures")
MANIFEST = "_manifest"
COMPLETE = "dataset.json"
URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


@dataclass(frozen=True)
class Partition:
    pid: str  # stable: the same inputs give the same id, hence the same output file names
    group: str  # what it was cut from: a shard file, a directory, or the loose inputs
    chunk: int  # position within the group
    inputs: tuple[str, ...]
    fingerprint: str  # of the inputs' paths, sizes and mtimes: a changed input is redone
    size: int  # bytes (progress and ETA)


@dataclass
class BatchResult:
    planned: int = 0
    skipped: int = 0
    finished: int = 0
    documents: int = 0
    events: int = 0
    duplicates: int = 0
    seconds: float = 0.0
    failures: list[dict[str, Any]] = field(default_factory=list)  # source, stage, reason


def _is_shard(path: Path) -> bool:
    name = path.name.lower()
    return path.suffix.lower() in JSONL_SUFFIXES or is_jsonl_gz(path) or name.endswith((".warc", ".warc.gz"))


def _fingerprint(inputs: tuple[str, ...]) -> tuple[str, int]:
    h = hashlib.sha1()
    size = 0
    for item in inputs:
        h.update(item.encode("utf-8", "surrogatepass") + b"\0")
        if not URL.match(item):
            try:
                st = os.stat(item)
            except OSError:
                continue
            h.update(f"{st.st_size}:{st.st_mtime_ns}\0".encode())
            size += st.st_size
    return h.hexdigest(), size


def _partition(group: str, chunk: int, inputs: list[str]) -> Partition:
    pid = hashlib.sha1(f"{group}\0{chunk}".encode("utf-8", "surrogatepass")).hexdigest()[:20]
    fingerprint, size = _fingerprint(tuple(inputs))
    return Partition(pid, group, chunk, tuple(inputs), fingerprint, size)


def plan(inputs: list[str], per_partition: int = 100,
         opts: ReadOptions | None = None) -> tuple[list[Partition], list[Failure]]:
    """Partitions in input order, and the inputs that name nothing readable."""
    parts: list[Partition] = []
    failures: list[Failure] = []
    loose: list[str] = []
    for item in inputs:
        if item == "-":
            failures.append(Failure("<stdin>", "read", "batch cannot read stdin: pass files, directories or URLs"))
        elif URL.match(item):
            loose.append(item)
        else:
            found = list(_expand(item, opts or ReadOptions()))
            failures += [f for f in found if isinstance(f, Failure)]
            paths = [str(p.resolve()) for p in found if isinstance(p, Path)]
            shards = [p for p in paths if _is_shard(Path(p))]
            parts += [_partition(p, 0, [p]) for p in shards]
            documents = [p for p in paths if p not in set(shards)]
            if Path(item).is_dir():
                group = str(Path(item).resolve())
                parts += [_partition(group, i // per_partition, documents[i:i + per_partition])
                          for i in range(0, len(documents), per_partition)]
            else:
                loose += documents
    parts += [_partition("<inputs>", i // per_partition, loose[i:i + per_partition])
              for i in range(0, len(loose), per_partition)]
    return parts, failures


# ---------------------------------------------------------------- files

def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Write through a temporary file in the same directory, then rename over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{uuid4().hex}")
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _write_parquet(path: Path, table) -> None:
    import pyarrow.parquet as pq

    atomic_write(path, lambda tmp: pq.write_table(table, tmp))


def _write_json(path: Path, data: dict[str, Any]) -> None:
    atomic_write(path, lambda tmp: tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8"))


def part_file(out: Path, table: str, pid: str) -> Path:
    suffix = "jsonl.gz" if table == "analyses" else "parquet"
    return out / table / f"part-{pid}.{suffix}"


def read_manifest(out: Path) -> dict[str, dict[str, Any]]:
    entries = {}
    for path in sorted((out / MANIFEST).glob("*.json")):
        try:
            entry = json.loads(path.read_text("utf-8"))
            entries[entry["pid"]] = entry
        except (OSError, ValueError, KeyError):
            continue  # unreadable: the partition counts as not finished and is redone
    return entries


def _finished(entry: dict[str, Any] | None, part: Partition, out: Path) -> bool:
    return bool(entry) and entry["fingerprint"] == part.fingerprint and all(
        (out / f).exists() for f in entry["outputs"].values())


def _remove_partition(out: Path, entry: dict[str, Any]) -> None:
    (out / MANIFEST / f"{entry['pid']}.json").unlink(missing_ok=True)
    for f in entry["outputs"].values():
        (out / f).unlink(missing_ok=True)


def _sweep_temporaries(out: Path) -> None:
    for tmp in out.glob("*/.part-*.tmp-*"):
        tmp.unlink(missing_ok=True)


# ---------------------------------------------------------------- the task

_PIPELINES: dict[str, Pipeline] = {}
_PIPELINE_LOCK = threading.Lock()


def _pipeline(config: PipelineConfig) -> Pipeline:
    """One Pipeline per worker process and configuration: the KB, lexicons and the spaCy
    parser are loaded by the first task, not per task or document. The lock also serialises
    analysis on a worker started with several threads (the parser is not thread-safe)."""
    key = repr(config)
    if key not in _PIPELINES:
        _PIPELINES[key] = Pipeline(config)
    return _PIPELINES[key]


def run_partition(part: Partition, out: str, config: PipelineConfig) -> dict[str, Any]:
    """Analyse one partition and write its files; returns its manifest entry."""
    from claimscope.dedup import signature
    from claimscope.export import TABLES as COLUMNS, arrow_table, table_rows
    from claimscope.serialize import to_analysis
    from claimscope.store import Store

    started = time.perf_counter()
    dataset = Path(out)
    docs: list[Document] = []
    failures: list[Failure] = []
    with _PIPELINE_LOCK:
        for item in _pipeline(config).run(part.inputs):
            (failures if isinstance(item, Failure) else docs).append(item)
    # the tables come out of an in-memory store through the export queries: the same columns
    # and values as `claimscope export` by construction
    stored = list({d.id: d for d in docs}.values())  # the same content twice is one document
    with Store(":memory:") as mem:
        signatures = {d.id: signature(d.text) for d in stored}
        mem.add_many(stored, signatures=signatures)
        for failure in failures:
            mem.add_failure(failure)
        outputs: dict[str, str] = {}
        counts: dict[str, int] = {}
        for table in TABLES:
            arrow = arrow_table(table_rows(mem.conn, table), COLUMNS[table])
            _write_parquet(part_file(dataset, table, part.pid), arrow)
            outputs[table] = f"{table}/part-{part.pid}.parquet"
            counts[table] = arrow.num_rows
    import pyarrow as pa

    sig_table = pa.table({"doc_id": pa.array([d.id for d in stored], pa.string()),
                          "signature": pa.array([signatures[d.id] for d in stored], pa.binary())})
    _write_parquet(part_file(dataset, "minhash", part.pid), sig_table)
    outputs["minhash"] = f"minhash/part-{part.pid}.parquet"

    def write_analyses(tmp: Path) -> None:
        with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=5) as handle:
            for doc in stored:
                handle.write(json.dumps(to_analysis(doc), ensure_ascii=False) + "\n")
    atomic_write(part_file(dataset, "analyses", part.pid), write_analyses)
    outputs["analyses"] = f"analyses/part-{part.pid}.jsonl.gz"
    entry = {**asdict(part), "inputs": list(part.inputs), "outputs": outputs, "counts": counts,
             "seconds": round(time.perf_counter() - started, 3), "worker_pid": os.getpid(),
             "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    _write_json(dataset / MANIFEST / f"{part.pid}.json", entry)  # last: the partition is done
    return entry


# ---------------------------------------------------------------- the client

def open_client(workers: int | None = None, scheduler: str | None = None,
                memory_limit: str | None = None):
    """A distributed Client: on an existing scheduler, or on a LocalCluster of worker processes
    (one thread each, loopback only). Returns (client, cluster or None)."""
    import importlib.util

    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler), None
    dashboard = "127.0.0.1:8787" if importlib.util.find_spec("bokeh") else None
    cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1,
                           processes=True, host="127.0.0.1", dashboard_address=dashboard,
                           memory_limit=memory_limit or "auto")
    return Client(cluster), cluster


def _resolved(config: PipelineConfig) -> PipelineConfig:
    """Absolute data-file paths: workers may run in another directory (or on another host
    with the same shared file system)."""
    return replace(config, kb_files=[Path(p).resolve() for p in config.kb_files],
                   boilerplate_files=[Path(p).resolve() for p in config.boilerplate_files],
                   lexicon_files=[Path(p).resolve() for p in config.lexicon_files],
                   model=Path(config.model).resolve() if config.model else None)


def run_batch(inputs: list[str], out: Path, client, config: PipelineConfig | None = None,
              per_partition: int = 100, progress: Callable[[dict[str, Any] | None, Partition], None] | None = None,
              todo_hook: Callable[[list[Partition]], None] | None = None) -> BatchResult:
    """Analyse every unfinished partition on the cluster, then mark near-duplicates."""
    from distributed import as_completed

    started = time.perf_counter()
    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    (out / COMPLETE).unlink(missing_ok=True)
    _sweep_temporaries(out)
    config = _resolved(config or PipelineConfig())
    parts, failures = plan(inputs, per_partition, config.read)
    result = BatchResult(planned=len(parts), failures=[asdict(f) for f in failures])
    manifest = read_manifest(out)
    # a directory that now has fewer chunks leaves stale ones behind: their documents are in
    # the new chunks, so the old files would duplicate them
    chunks = {}
    for p in parts:
        chunks[p.group] = max(chunks.get(p.group, -1), p.chunk)
    for entry in list(manifest.values()):
        if entry["group"] in chunks and entry["chunk"] > chunks[entry["group"]]:
            _remove_partition(out, entry)
            del manifest[entry["pid"]]
    todo = [p for p in parts if not _finished(manifest.get(p.pid), p, out)]
    result.skipped = len(parts) - len(todo)
    if todo_hook:
        todo_hook(todo)
    by_key = {}
    futures = []
    for part in todo:
        fut = client.submit(run_partition, part, str(out), config, pure=False, retries=1,
                            key=f"claimscope-partition-{part.pid}-{uuid4().hex[:8]}")
        by_key[fut.key] = part
        futures.append(fut)
    for fut in as_completed(futures):
        part = by_key[fut.key]
        try:
            entry = fut.result()
        except Exception as exc:  # noqa: BLE001 - the partition failed (e.g. its workers kept dying)
            reason = f"partition failed: {exc.__class__.__name__}: {exc}"
            result.failures += [{"source": src, "stage": "batch", "reason": reason} for src in part.inputs]
            _write_failure_partition(out, part, reason)
            entry = None
        else:
            result.finished += 1
        if progress:
            progress(entry, part)
    entries = read_manifest(out)
    for pid, entry in entries.items():
        result.documents += entry["counts"].get("documents", 0)
        result.events += entry["counts"].get("events", 0)
    result.failures += _partition_failures(out, [entries[p.pid] for p in parts if p.pid in entries])
    result.duplicates = mark_duplicates(out, entries)
    result.seconds = time.perf_counter() - started
    _sweep_temporaries(out)
    if all(p.pid in entries for p in parts):
        _write_json(out / COMPLETE, {"partitions": len(entries), "documents": result.documents,
                                     "events": result.events, "duplicates": result.duplicates,
                                     "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds")})
    return result


def _write_failure_partition(out: Path, part: Partition, reason: str) -> None:
    """A partition that could not run: its inputs become failures rows (no manifest entry, so
    a rerun tries it again and overwrites this file)."""
    from claimscope.export import FAILURE_TABLE, arrow_table

    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    rows = [{"source": src, "stage": "batch", "reason": reason, "first_seen": now, "last_seen": now,
             "count": 1} for src in part.inputs]
    _write_parquet(part_file(out, "failures", part.pid), arrow_table(rows, FAILURE_TABLE))


def _partition_failures(out: Path, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    rows = []
    for entry in entries:
        if entry["counts"].get("failures"):
            table = pq.read_table(out / entry["outputs"]["failures"], columns=["source", "stage", "reason"])
            rows += table.to_pylist()
    return rows


def dataset_order(entries: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Partitions in a fixed order (group, then chunk): it decides which copy is the original."""
    return sorted(entries.values(), key=lambda e: (e["group"], e["chunk"]))


def iter_signatures(out: Path, entries: dict[str, dict[str, Any]]) -> Iterator[tuple[str, bytes | None]]:
    import pyarrow.parquet as pq

    for entry in dataset_order(entries):
        table = pq.read_table(out / entry["outputs"]["minhash"])
        yield from zip(table.column("doc_id").to_pylist(), table.column("signature").to_pylist())


def mark_duplicates(out: Path, entries: dict[str, dict[str, Any]]) -> int:
    """Set `duplicate_of` in every documents file from one pass over all signatures; a file is
    rewritten (atomically) only when its values change. Returns the number of duplicates."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from claimscope.dedup import NearDuplicates

    near = NearDuplicates()
    original = {doc_id: near.add(doc_id, sig) for doc_id, sig in iter_signatures(out, entries)}
    for entry in dataset_order(entries):
        path = out / entry["outputs"]["documents"]
        table = pq.read_table(path)
        values = [original.get(i) for i in table.column("id").to_pylist()]
        if values != table.column("duplicate_of").to_pylist():
            index = table.schema.get_field_index("duplicate_of")
            _write_parquet(path, table.set_column(index, "duplicate_of", pa.array(values, pa.string())))
    return sum(v is not None for v in original.values())


# ---------------------------------------------------------------- load

def iter_dataset(out: Path, batch: int = 500) -> Iterator[tuple[list[Document], dict[str, bytes | None]]]:
    """The documents of a dataset (from its analyses), in dataset order, in batches, with their
    MinHash signatures."""
    from claimscope.serialize import from_analysis

    out = Path(out)
    entries = read_manifest(out)
    if not entries:
        raise ValueError(f"{out} is not a claimscope dataset (no {MANIFEST}/ entries)")
    signatures = dict(iter_signatures(out, entries))
    for entry in dataset_order(entries):
        docs: list[Document] = []
        with gzip.open(out / entry["outputs"]["analyses"], "rt", encoding="utf-8") as handle:
            for line in handle:
                docs.append(from_analysis(json.loads(line)))
                if len(docs) >= batch:
                    yield docs, signatures
                    docs = []
        if docs:
            yield docs, signatures


def iter_failures(out: Path) -> Iterator[dict[str, Any]]:
    import pyarrow.parquet as pq

    out = Path(out)
    for entry in dataset_order(read_manifest(out)):
        if entry["counts"].get("failures"):
            for row in pq.read_table(out / entry["outputs"]["failures"]).to_pylist():
                # Parquet timestamps -> the store's ISO text
                yield {**row, "first_seen": row["first_seen"].isoformat(timespec="seconds"),
                       "last_seen": row["last_seen"].isoformat(timespec="seconds")}
