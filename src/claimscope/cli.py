"""The `claimscope` command. Stage subpackages contribute sub-apps (`actors`, `serve`)."""
from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Annotated, Optional

import typer
import typer.core

from claimscope.errors import ClaimscopeError


def _value_type(param, ctx) -> str | None:
    """The value column of --help in click's words (TEXT, PATH, INTEGER), nothing for flags and
    arguments: typer >= 0.2x prints Python annotations there (`<bool>`, `<list[Path]>`)."""
    if isinstance(param, typer.core.TyperArgument) or getattr(param, "is_flag", False):
        return None
    if param.metavar is not None:
        return param.metavar
    bare = re.sub(r"^list\[(.*)\]$", r"\1", param.display_type(ctx).strip("<>"))
    return {"str": "TEXT", "int": "INTEGER", "float": "NUMBER", "Path": "PATH", "file": "FILE",
            "directory": "DIR", "path": "PATH"}.get(bare, bare.upper())


typer.core.TyperOption.display_type_rich = _value_type
typer.core.TyperArgument.display_type_rich = _value_type

app = typer.Typer(
    help="claimscope: who says, demands, accuses, supports or does what, to whom, and when — "
         "with the exact source characters of every field.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
)

KbOpt = Annotated[Optional[list[Path]], typer.Option(
    "--kb", help="Extra knowledge-base YAML file (repeatable).", exists=True, dir_okay=False)]
BoilerplateOpt = Annotated[Optional[list[Path]], typer.Option(
    "--boilerplate", help="Extra boilerplate-pattern YAML file (repeatable).", exists=True, dir_okay=False)]
TriggersOpt = Annotated[Optional[list[Path]], typer.Option(
    "--triggers", help="Extra trigger-lexicon YAML file (repeatable).", exists=True, dir_okay=False)]
NlpOpt = Annotated[Optional[str], typer.Option(
    "--nlp", envvar="CLAIMSCOPE_NLP",
    help="spaCy English pipeline: installed package name or path (default en_core_web_sm).")]
ModelOpt = Annotated[Optional[Path], typer.Option(
    "--model", help="Trained trigger model (.npz) instead of the bundled one.", exists=True, dir_okay=False)]
CombineOpt = Annotated[str, typer.Option(
    "--combine", help="Event candidates from: rules, model or both.")]
DB_HELP = "SQLite database file, or a PostgreSQL URL postgresql://user@host:port/dbname."
DbOpt = Annotated[str, typer.Option("--db", help=DB_HELP)]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")]

def _pipeline(kb, boilerplate, triggers, nlp=None, model=None, combine="both", **read_opts):
    from claimscope.pipeline import Pipeline

    return Pipeline(_config(kb, boilerplate, triggers, nlp, model, combine, **read_opts))


def _config(kb, boilerplate, triggers, nlp=None, model=None, combine="both", **read_opts):
    from claimscope.pipeline import PipelineConfig
    from claimscope.read import ReadOptions

    if combine not in ("rules", "model", "both"):
        raise typer.BadParameter("must be rules, model or both", param_hint="--combine")
    config = PipelineConfig(kb_files=list(kb or []), boilerplate_files=list(boilerplate or []),
                            lexicon_files=list(triggers or []), read=ReadOptions(**read_opts),
                            nlp=nlp, combine=combine)
    if model is not None:
        config.model = model
    return config


def _err(message: str) -> None:
    typer.echo(message, err=True)


@app.command(epilog="Example: claimscope analyze ../shared/corpus --db claimscope.db\n\n"
                    "Example: claimscope analyze page.html https://example.org/news --format jsonl")
def analyze(
    inputs: Annotated[list[str], typer.Argument(
        help="Files, directories, globs, URLs, JSONL or WARC files; '-' reads stdin.")],
    fmt: Annotated[Optional[str], typer.Option(
        "--format", "-f", help="Print analyses to stdout: json or jsonl (then --db is optional).")] = None,
    db: Annotated[Optional[str], typer.Option(
        "--db", help=DB_HELP + " Written to (default claimscope.db when no --format).")] = None,
    replace: Annotated[bool, typer.Option(help="Re-analyse documents already stored.")] = False,
    max_bytes: Annotated[int, typer.Option(help="Per-document size limit in bytes.")] = 10 * 1024 * 1024,
    timeout: Annotated[float, typer.Option(help="URL fetch timeout in seconds.")] = 10.0,
    kb: KbOpt = None, boilerplate: BoilerplateOpt = None, triggers: TriggersOpt = None,
    nlp: NlpOpt = None, model: ModelOpt = None, combine: CombineOpt = "both",
    meta: Annotated[Optional[Path], typer.Option(
        "--meta", help="Metadata index (JSONL or CSV: file, url, title, published, publisher) for "
                       "all inputs, instead of the index.jsonl/index.csv beside the files.",
        exists=True, dir_okay=False)] = None,
    published: Annotated[Optional[str], typer.Option(
        help="Publication date of the single input (YYYY, YYYY-MM or YYYY-MM-DD).")] = None,
    url: Annotated[Optional[str], typer.Option(help="Source URL of the single input.")] = None,
    title: Annotated[Optional[str], typer.Option(help="Title of the single input.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar, no summary.")] = False,
    debug: DebugOpt = False,
) -> None:
    """Analyse documents: print schema-valid analyses and/or store them (SQLite or PostgreSQL).

    Text files get url, title, published date and publisher from a sidecar index beside them
    (index.jsonl or index.csv, one record per `file`), or from --meta FILE; a dateline in the
    text wins where it is more precise. A value that is not a date is a warning.

    Exit code 0 when every document was analysed, 1 when any failed (each failure is listed
    with its reason), 2 on a usage or data-file error.
    """
    from claimscope.model import Failure
    from claimscope.pipeline import AlreadyStored
    from claimscope.read import one_line, safe_source
    from claimscope.store import Store

    if fmt not in (None, "json", "jsonl"):
        raise typer.BadParameter("must be json or jsonl", param_hint="--format")
    if fmt is None and db is None:
        db = "claimscope.db"
    from claimscope.metadata import normalise

    given = normalise({"published": published, "url": url, "title": title})
    if given and len(inputs) != 1:
        raise typer.BadParameter("--published, --url and --title describe a single input",
                                 param_hint="--published/--url/--title")
    pipeline = _pipeline(kb, boilerplate, triggers, nlp, model, combine, max_bytes=max_bytes,
                         url_timeout=timeout, meta_file=meta, given=given)
    # the store is opened on the first analysed document: a batch of missing inputs must not
    # leave an empty database behind (its failures go to an existing database only)
    store: Store | None = None
    counts: Counter = Counter()
    types: Counter = Counter()
    entity_ids: set[str] = set()
    failures: list = []
    warnings: list[str] = []
    printed: list = []
    progress = None
    if not quiet and sys.stderr.isatty():
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        progress = Progress(SpinnerColumn(), TextColumn("{task.description}"),
                            TextColumn("{task.completed} documents"), TimeElapsedColumn(),
                            console=__import__("rich.console").console.Console(stderr=True),
                            transient=True)
        task = progress.add_task("analysing", total=None)
        progress.start()
    if db and _db_exists(db):  # opened now so that stored documents can be skipped
        store = Store(db)
    try:
        # without --replace or printed output, stored documents are skipped before analysis
        known = (lambda doc_id: store is not None and store.has(doc_id)) \
            if db and not replace and fmt is None else None
        for item in pipeline.run(inputs, known=known):
            if progress:
                progress.advance(task)
            if isinstance(item, AlreadyStored):
                counts["documents"] += 1
                counts["already stored"] += 1
                continue
            if not isinstance(item, Failure):
                if db and store is None:
                    store = Store(db)
                    for failure in failures:
                        store.add_failure(failure)
                try:  # the per-document error boundary of the store/print step
                    line = _store_and_print(item, store, replace, fmt, counts, types, entity_ids, warnings)
                except Exception as exc:  # noqa: BLE001 - one document must not end the batch
                    item = Failure(item.source, "store", f"cannot store: {exc.__class__.__name__}: {exc}")
                else:
                    if line is not None:
                        printed.append(line)
                    continue
            item = Failure(safe_source(item.source), item.stage, one_line(item.reason))
            failures.append(item)
            if store:
                store.add_failure(item)
    finally:
        if progress:
            progress.stop()
        if store is None and db and _db_exists(db) and failures:
            store = Store(db)
            for failure in failures:
                store.add_failure(failure)
        if store:
            store.close()
    if fmt == "json":
        out = printed[0] if len(printed) == 1 else printed
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    if not quiet:
        _err(_summary(counts, types, len(entity_ids), failures, warnings,
                      db if store else None, db if db and not store and not _db_exists(db) else None))
    raise typer.Exit(1 if failures else 0)


def _store_and_print(doc, store, replace: bool, fmt: str | None, counts: Counter, types: Counter,
                     entity_ids: set[str], warnings: list[str]) -> dict | None:
    """Store and/or print one analysed document; the analysis to print as one JSON document."""
    from claimscope.serialize import to_analysis

    analysis = to_analysis(doc) if fmt else None
    if store:
        counts["stored" if store.add(doc, replace=replace) else "already stored"] += 1
    counts["documents"] += 1
    counts["sentences"] += len(doc.sentences)
    counts["entities"] += len(doc.entities)
    counts["events"] += len(doc.events)
    counts["times"] += len(doc.times)
    types.update(e.type for e in doc.events)
    entity_ids.update(e.id for e in doc.entities)
    warnings += [f"{doc.source}: {w}" for w in doc.warnings]
    if fmt == "jsonl":
        sys.stdout.write(json.dumps(analysis, ensure_ascii=False) + "\n")
    return analysis if fmt == "json" else None


def _db_exists(db: str) -> bool:
    """A PostgreSQL database always 'exists' (claimscope never creates one); a file may not."""
    from claimscope.db import is_url

    return is_url(db) or Path(db).exists()


def _summary(counts: Counter, types: Counter, distinct_entities: int, failures: list,
             warnings: list[str], db: str | None, not_created: str | None) -> str:
    from claimscope.db import describe

    lines = [f"documents: {counts['documents']}"
             + (f" ({counts['stored']} stored, {counts['already stored']} already in {describe(db)})"
                if db else "")
             + (f" (nothing to store: {not_created} not created)" if not_created else ""),
             f"sentences: {counts['sentences']}   entities: {distinct_entities} distinct "
             f"({counts['entities']} in documents)   time expressions: {counts['times']}   "
             f"events: {counts['events']}"]
    if types:
        lines.append("events by type: " + ", ".join(f"{t} {n}" for t, n in types.most_common()))
    lines += [f"warning: {w}" for w in warnings]
    lines.append(f"failures: {len(failures)}")
    lines += [f"  {f.source}: {f.reason}" for f in failures]
    return "\n".join(lines)


@app.command(epilog="Example: claimscope export --db claimscope.db --format csv --out events.csv\n\n"
                    "Example: claimscope export --table corrections --format gold --out reviewed.jsonl")
def export(
    db: DbOpt = "claimscope.db",
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl, csv, parquet, or gold (corrections).")] = "jsonl",
    table: Annotated[str, typer.Option(
        help="analyses (jsonl only), events, documents, entities, mentions, times, failures, or "
             "corrections (--format gold: SPEC §5 gold lines of the reviewed documents).")] = "",
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Output file (default stdout).")] = None,
    debug: DebugOpt = False,
) -> None:
    """Export the store: full analyses as JSONL, or a flat table as CSV/Parquet."""
    from claimscope.export import FORMATS, TABLES, export as run_export

    if fmt not in FORMATS:
        raise typer.BadParameter(f"must be one of {', '.join(FORMATS)}", param_hint="--format")
    table = table or {"jsonl": "analyses", "gold": "corrections"}.get(fmt, "events")
    if (fmt == "gold") != (table == "corrections"):
        raise typer.BadParameter("corrections export as --format gold, and only they do",
                                 param_hint="--format")
    if table not in ("analyses", "corrections") and table not in TABLES:
        raise typer.BadParameter(f"unknown table {table!r}", param_hint="--table")
    if fmt == "parquet" and out is None:
        raise typer.BadParameter("parquet is binary: give --out FILE", param_hint="--out")
    conn = _open_db(db)
    if fmt == "parquet":
        n = run_export(conn, fmt, table, None, out)
    elif out:
        with out.open("w", encoding="utf-8", newline="") as handle:
            n = run_export(conn, fmt, table, handle, out)
    else:
        n = run_export(conn, fmt, table, sys.stdout, None)
    _err(f"exported {n} {_RECORD_NAMES[table][n == 1]}" + (f" to {out}" if out else ""))


# (plural, singular) of what one exported record of a table is
_RECORD_NAMES = {"analyses": ("analyses", "analysis"), "events": ("events", "event"),
                 "documents": ("documents", "document"), "entities": ("entities", "entity"),
                 "failures": ("failures", "failure"),
                 "corrections": ("gold lines of reviewed documents", "gold line of a reviewed document")}


def _open_db(db: str):
    from claimscope.store import open_reader

    return open_reader(db)


@app.command(epilog="Example: claimscope show 3f2a9c --db claimscope.db")
def show(
    doc_id: Annotated[str, typer.Argument(help="Document id or a unique prefix of it.")],
    db: DbOpt = "claimscope.db",
    as_json: Annotated[bool, typer.Option("--json", help="Print the stored analysis as JSON.")] = False,
    debug: DebugOpt = False,
) -> None:
    """Show one stored document: text summary, entities, events with their sentences."""
    from claimscope.store import get_analysis

    conn = _open_db(db)
    analysis = get_analysis(conn, doc_id)
    if analysis is None:
        matches = conn.execute("SELECT id, published, title FROM documents WHERE substr(id, 1, ?) = ?"
                               " ORDER BY id LIMIT 21", (len(doc_id), doc_id)).fetchall()
        if not matches:
            raise ClaimscopeError(f"no document with id starting {doc_id!r}")
        listing = "\n".join(f"  {m['id']}  {m['published'] or '-':<10}  {_clip(m['title'] or '', 60)}"
                             for m in matches[:20])
        more = "\n  …" if len(matches) > 20 else ""
        raise ClaimscopeError(f"{len(matches) if len(matches) <= 20 else 'more than 20'} documents have"
                              f" ids starting {doc_id!r}; give more characters:\n{listing}{more}")
    if as_json:
        typer.echo(json.dumps(analysis, ensure_ascii=False, indent=2))
        return
    d = analysis["document"]
    typer.echo(f"{d['id']}  {d.get('title') or ''}\nsource: {d['source']}\n"
               f"published: {d['published']} ({d['published_from']})   language: {d['language']}")
    typer.echo(f"sentences: {len(analysis['sentences'])}   removed lines: {len(d.get('removed', []))}")
    typer.echo("\nentities:")
    for e in analysis["entities"]:
        typer.echo(f"  {e['name']} [{e.get('country') or '-'}/{e.get('sector') or '-'}]"
                   f"{'' if e['linked'] else ' (unlinked)'} ×{len(e['mentions'])}")
    typer.echo("\nevents:")
    for ev in analysis["events"]:
        actor = ev["actor"]["name"] if ev["actor"] else "?"
        rec = ", ".join(r["name"] for r in ev["recipients"]) or "-"
        aux = f" [{', '.join(ev['aux'])}]" if ev["aux"] else ""
        typer.echo(f"  {ev['type']}{'/' + ev['mode'] if ev['mode'] else ''}{aux}  {actor} → {rec}"
                   f"  ({ev['date'] or 'no date'})\n      “{_clip(ev['span']['text'], 160)}”")


def _clip(text: str, width: int) -> str:
    """At most `width` characters, cut at a word boundary and marked with '…' when cut."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[:width - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut[width // 2:] else cut) + "…"


@app.command("list", epilog="Example: claimscope list --db claimscope.db --from 2022-02-01 --sort title\n\n"
                             "Example: claimscope list --site belsat.eu --json")
def list_command(
    db: DbOpt = "claimscope.db",
    q: Annotated[Optional[str], typer.Option("--q", help="Full-text search (all words).")] = None,
    site: Annotated[Optional[str], typer.Option(help="Only documents of this site.")] = None,
    language: Annotated[Optional[str], typer.Option(help="Only this language (ISO 639-1).")] = None,
    date_from: Annotated[Optional[str], typer.Option("--from", help="Published on or after YYYY-MM-DD.")] = None,
    date_to: Annotated[Optional[str], typer.Option("--to", help="Published on or before YYYY-MM-DD.")] = None,
    sort: Annotated[str, typer.Option(help="published, title, site or added.")] = "published",
    order: Annotated[str, typer.Option(help="asc or desc.")] = "desc",
    limit: Annotated[int, typer.Option(help="At most this many documents.", min=1)] = 50,
    offset: Annotated[int, typer.Option(help="Skip this many first.", min=0)] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the page as JSON.")] = False,
    debug: DebugOpt = False,
) -> None:
    """List stored documents: id, publication date, events, title (the filters of /api/documents;
    undated documents sort last)."""
    from claimscope.serve.queries import DOCUMENT_SORTS, document_page

    if sort not in DOCUMENT_SORTS:
        raise typer.BadParameter(f"must be one of {', '.join(DOCUMENT_SORTS)}", param_hint="--sort")
    if order not in ("asc", "desc"):
        raise typer.BadParameter("must be asc or desc", param_hint="--order")
    for value, hint in ((date_from, "--from"), (date_to, "--to")):
        if value is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise typer.BadParameter("must be YYYY-MM-DD", param_hint=hint)
    page = document_page(_open_db(db), q, site, language, date_from, date_to, sort, order, limit, offset)
    if as_json:
        typer.echo(json.dumps(page, ensure_ascii=False, indent=2))
        return
    for d in page["items"]:
        typer.echo(f"{d['id']}  {d['published'] or '-':<10}  {d['events']:>4} events  "
                   f"{_clip(d['title'] or d['source'], 100)}")
    shown = f"{offset + 1}–{offset + len(page['items'])}" if page["items"] else "none"
    _err(f"{page['total']} documents ({shown} shown)")


@app.command(epilog='Example: claimscope search "political prisoners" --db claimscope.db')
def search(
    text: Annotated[str, typer.Argument(help="Words to find (all of them, in any order).")],
    db: DbOpt = "claimscope.db",
    limit: Annotated[int, typer.Option(help="At most this many documents.", min=1)] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print the hits as JSON.")] = False,
    debug: DebugOpt = False,
) -> None:
    """Full-text search of titles and texts: the best-matching documents with a snippet around
    the words ([…] marks them)."""
    from claimscope.serve.queries import fts_query, search_hits

    if fts_query(text) is None:
        raise typer.BadParameter("give at least one word", param_hint="TEXT")
    hits = search_hits(_open_db(db), text, limit)
    if as_json:
        typer.echo(json.dumps(hits, ensure_ascii=False, indent=2))
        return
    for h in hits:
        typer.echo(f"{h['id']}  {h['published'] or '-':<10}  {_clip(h['title'] or h['source'], 90)}\n"
                   f"    {' '.join(h['snippet'].split())}")
    _err(f"{len(hits)} documents match {text!r}" + (" (limit reached)" if len(hits) == limit else ""))


@app.command(epilog="Example: claimscope stats --db claimscope.db")
def stats(
    db: DbOpt = "claimscope.db",
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
    include_duplicates: Annotated[bool, typer.Option(
        "--include-duplicates", help="Count near-duplicate documents (republished stories) too.")] = False,
    debug: DebugOpt = False,
) -> None:
    """Counts of documents, sentences, entities and events per type in the store (a story
    republished elsewhere counts once, see docs/scale.md)."""
    from claimscope.store import stats as store_stats

    s = store_stats(_open_db(db), include_duplicates)
    if as_json:
        typer.echo(json.dumps(s, indent=2))
        return
    for key in ("documents", "duplicates", "sentences", "entities", "linked_entities", "mentions",
                "events", "times", "failures"):
        extra = f" distinct ({s['entity_records']} in documents)" if key == "entities" else ""
        typer.echo(f"{key:>16}: {s[key]}{extra}")
    typer.echo(f"{'published':>16}: {s['published_range'][0]} … {s['published_range'][1]}")
    typer.echo("  events by type: " + (", ".join(f"{t} {n}" for t, n in s["events_by_type"].items()) or "none"))


@app.command(epilog="Example: claimscope batch ../shared/corpus/train --out dataset/ --workers 2\n\n"
                    "Example: claimscope batch crawl/*.warc.gz --out dataset/ --scheduler tcp://10.0.0.5:8786")
def batch(
    inputs: Annotated[list[str], typer.Argument(
        help="Files, directories, globs, URLs, JSONL(.gz) shards or WARC(.gz) files.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Dataset directory (created; a rerun resumes it).")],
    workers: Annotated[Optional[int], typer.Option(
        "--workers", min=1, help="Start a local cluster of N worker processes (default: one per core).")] = None,
    scheduler: Annotated[Optional[str], typer.Option(
        "--scheduler", help="Use the running Dask cluster at this address (tcp://HOST:PORT).")] = None,
    partition_size: Annotated[int, typer.Option(
        "--partition-size", min=1, help="Documents per partition of a directory or of loose files.")] = 100,
    memory_limit: Annotated[Optional[str], typer.Option(
        "--memory-limit", help="Per local worker, e.g. 2GB (default: the machine's memory / workers).")] = None,
    max_bytes: Annotated[int, typer.Option(help="Per-document size limit in bytes.")] = 10 * 1024 * 1024,
    timeout: Annotated[float, typer.Option(help="URL fetch timeout in seconds.")] = 10.0,
    kb: KbOpt = None, boilerplate: BoilerplateOpt = None, triggers: TriggersOpt = None,
    nlp: NlpOpt = None, model: ModelOpt = None, combine: CombineOpt = "both",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar, no summary.")] = False,
    debug: DebugOpt = False,
) -> None:
    """Analyse a crawl-sized input on a Dask cluster into a Parquet dataset (docs/scale.md).

    Finished partitions are skipped on a rerun. Exit code 0 when every document was analysed,
    1 when any failed (listed at the end), 2 on a usage or data-file error.
    """
    from claimscope.batch import open_client, run_batch

    if workers and scheduler:
        raise typer.BadParameter("use --workers (a local cluster) or --scheduler, not both", param_hint="--workers")
    config = _config(kb, boilerplate, triggers, nlp, model, combine, max_bytes=max_bytes, url_timeout=timeout)
    client, cluster = open_client(workers, scheduler, memory_limit)
    try:
        if not quiet:
            _err(f"cluster: {len(client.scheduler_info()['workers'])} workers at {client.scheduler.address}"
                 + (f"; dashboard: {client.dashboard_link}" if _has_dashboard(client) else ""))
        with _BatchProgress(quiet) as progress:
            result = run_batch(inputs, out, client, config, partition_size, progress.update, progress.start)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    if not quiet:
        _err(f"partitions: {result.planned} ({result.finished} run now, {result.skipped} already finished)\n"
             f"documents: {result.documents}   events: {result.events}   near-duplicates: {result.duplicates}\n"
             f"time: {result.seconds:.1f} s\nfailures: {len(result.failures)}")
        for f in result.failures[:50]:
            _err(f"  {f['source']}: [{f['stage']}] {f['reason']}")
        if len(result.failures) > 50:
            _err(f"  … and {len(result.failures) - 50} more (DATASET/failures/)")
    raise typer.Exit(1 if result.failures else 0)


def _has_dashboard(client) -> bool:
    import importlib.util

    return importlib.util.find_spec("bokeh") is not None and bool(client.dashboard_link)


class _BatchProgress:
    """A progress bar over partitions: bytes done drive the ETA, documents/s is shown."""

    def __init__(self, quiet: bool):
        self.bar = None
        self.docs = 0
        self.started = 0.0
        if not quiet and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(TextColumn("analysing"), BarColumn(), TextColumn("{task.fields[parts]}"),
                                TextColumn("{task.fields[docs]} documents, {task.fields[rate]} docs/s"),
                                TextColumn("ETA"), TimeRemainingColumn(), console=Console(stderr=True),
                                transient=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.bar:
            self.bar.stop()

    def start(self, todo) -> None:
        import time

        self.started = time.perf_counter()
        self.todo = len(todo)
        self.done = 0
        if self.bar:
            self.task = self.bar.add_task("", total=sum(p.size for p in todo) or 1,
                                          parts=f"0/{self.todo} partitions", docs=0, rate="-")
            self.bar.start()

    def update(self, entry, part) -> None:
        import time

        self.done += 1
        self.docs += entry["counts"]["documents"] if entry else 0
        if self.bar:
            rate = self.docs / max(time.perf_counter() - self.started, 1e-9)
            self.bar.update(self.task, advance=part.size, parts=f"{self.done}/{self.todo} partitions",
                            docs=self.docs, rate=f"{rate:.1f}")


@app.command(epilog="Example: claimscope load dataset/ --db claimscope.db")
def load(
    dataset: Annotated[Path, typer.Argument(help="A dataset written by `claimscope batch`.",
                                            exists=True, file_okay=False)],
    db: DbOpt = Path("claimscope.db"),
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary.")] = False,
    debug: DebugOpt = False,
) -> None:
    """Load a batch dataset into the store (idempotent: documents already stored are skipped)."""
    import time

    from claimscope.batch import COMPLETE, iter_dataset, iter_failures
    from claimscope.store import Store

    started = time.perf_counter()
    counts: Counter = Counter()
    if not (dataset / COMPLETE).exists() and not quiet:
        _err(f"warning: {dataset} is incomplete (a batch is running or was interrupted): loading its finished partitions")
    with Store(db) as store:
        try:
            for docs, signatures in iter_dataset(dataset):
                added = store.add_many(docs, signatures=signatures)
                counts["stored"] += sum(added)
                counts["already stored"] += len(added) - sum(added)
        except ValueError as exc:
            raise ClaimscopeError(str(exc)) from None
        counts["failures"] = store.merge_failures(list(iter_failures(dataset)))
    if not quiet:
        seconds = time.perf_counter() - started
        total = counts["stored"] + counts["already stored"]
        _err(f"documents: {total} ({counts['stored']} stored, {counts['already stored']} already in {db})"
             f"   failures added: {counts['failures']}   {seconds:.1f} s ({total / max(seconds, 1e-9):.0f} docs/s)")


@app.command("eval", epilog="Example: claimscope eval ../shared/corpus/gold.jsonl --json")
def eval_command(
    gold: Annotated[Path, typer.Argument(help="Gold JSONL (SPEC §5).", exists=True, dir_okay=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    compare: Annotated[Optional[Path], typer.Option(
        "--compare", help="Score this gold file against GOLD (annotator vs annotator) instead of the "
                          "pipeline.", exists=True, dir_okay=False)] = None,
    kb: KbOpt = None, boilerplate: BoilerplateOpt = None, triggers: TriggersOpt = None,
    nlp: NlpOpt = None, model: ModelOpt = None, combine: CombineOpt = "both",
    debug: DebugOpt = False,
) -> None:
    """Score the pipeline (or, with --compare, a second annotator) against hand-coded gold
    documents: events, per-type confusion, actors, dates, times."""
    from claimscope.evaluate import compare_gold, evaluate, read_gold, render_table

    for path in (gold, compare):
        try:
            lines = read_gold(path) if path is not None else [{"events": []}]
        except ValueError as exc:
            raise ClaimscopeError(str(exc)) from None
        if not any("events" in line for line in lines):
            raise ClaimscopeError(f"{path} has no gold lines: a SPEC §5 gold line has 'file' and "
                                  "'events' (is this an index or an export?)")
    if compare is not None:
        report = compare_gold(gold, compare)
    else:
        report = evaluate(gold, _pipeline(kb, boilerplate, triggers, nlp, model, combine))
    typer.echo(json.dumps(report, indent=2) if as_json else render_table(report))


@app.command("train", epilog="Example: claimscope train corpus/gold/train.jsonl --out triggers.npz")
def train_command(
    gold: Annotated[list[Path], typer.Argument(help="Gold JSONL files to learn from.", exists=True, dir_okay=False)],
    out: Annotated[Path, typer.Option("--out", help="Where to write the model (.npz).")],
    c: Annotated[float, typer.Option("--c", help="Inverse L2 regularisation strength.")] = 0.3,
    nlp: NlpOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Train the trigger model (which tokens carry an event, of which type) from gold files.
    Needs scikit-learn: pip install -e '.[train]'."""
    from claimscope.pipeline import Pipeline, PipelineConfig
    from claimscope.train import train

    summary = train(list(gold), out, Pipeline(PipelineConfig(nlp=nlp, model=None)), c=c)
    typer.echo(json.dumps(summary, indent=2))


db_app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True,
                     help="The store's schema: version, upgrade.",
                     epilog="Example: claimscope db upgrade --db claimscope.db")


@db_app.command("upgrade", epilog="Example: claimscope db upgrade --db postgresql://claimscope@dbhost/claimscope")
def db_upgrade(db: DbOpt = "claimscope.db", debug: DebugOpt = False) -> None:
    """Apply pending schema migrations (creates the schema in an empty database). Refuses a
    database whose schema is newer than this claimscope."""
    from claimscope.db import connect, describe, retrying
    from claimscope.migrations import LATEST, current_version, upgrade

    conn = connect(db, must_exist=True)
    try:
        before = current_version(conn)
        applied = retrying(lambda: upgrade(conn))
    finally:
        conn.close()
    for m in applied:
        _err(f"applied migration {m.version}: {m.description}")
    _err(f"{describe(db)}: schema version {LATEST}" + ("" if applied else " (already current)")
         + (f", was {before}" if applied and before else ""))


@db_app.command("version", epilog="Example: claimscope db version --db claimscope.db")
def db_version(db: DbOpt = "claimscope.db", debug: DebugOpt = False) -> None:
    """Print the database's schema version and the one this claimscope writes."""
    from claimscope.db import connect
    from claimscope.migrations import LATEST, current_version

    conn = connect(db, read_only=True)
    try:
        typer.echo(f"database: {current_version(conn)}   claimscope: {LATEST}")
    finally:
        conn.close()


app.add_typer(db_app, name="db")


def _mount_subapps() -> None:
    from claimscope.actors.cli import app as actors_app
    from claimscope.serve.cli import EPILOG, serve

    app.add_typer(actors_app, name="actors", help="Knowledge-base tools: lint, find.")
    app.command("serve", epilog=EPILOG)(serve)


def main() -> None:
    _mount_subapps()
    try:
        app()
    except ClaimscopeError as exc:
        if "--debug" in sys.argv:  # every command takes --debug; it only changes this handler
            raise
        _err(f"error: {exc}")
        sys.exit(2)
    except Exception as exc:  # noqa: BLE001 - one line instead of a traceback
        if "--debug" in sys.argv:
            raise
        _err(f"error: {exc.__class__.__name__}: {exc} (rerun with --debug for the traceback)")
        sys.exit(3)
