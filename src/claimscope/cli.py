"""The `claimscope` command. Stage subpackages contribute sub-apps (`actors`, `serve`)."""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Annotated, Optional

import typer

from claimscope.errors import ClaimscopeError

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
DbOpt = Annotated[Path, typer.Option("--db", help="SQLite database.")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")]

def _pipeline(kb, boilerplate, triggers, nlp=None, model=None, combine="both", **read_opts):
    from claimscope.pipeline import Pipeline, PipelineConfig
    from claimscope.read import ReadOptions

    if combine not in ("rules", "model", "both"):
        raise typer.BadParameter("must be rules, model or both", param_hint="--combine")
    config = PipelineConfig(kb_files=list(kb or []), boilerplate_files=list(boilerplate or []),
                            lexicon_files=list(triggers or []), read=ReadOptions(**read_opts),
                            nlp=nlp, combine=combine)
    if model is not None:
        config.model = model
    return Pipeline(config)


def _err(message: str) -> None:
    typer.echo(message, err=True)


@app.command(epilog="Example: claimscope analyze ../shared/corpus --db claimscope.db\n\n"
                    "Example: claimscope analyze page.html https://example.org/news --format jsonl")
def analyze(
    inputs: Annotated[list[str], typer.Argument(
        help="Files, directories, globs, URLs, JSONL or WARC files; '-' reads stdin.")],
    fmt: Annotated[Optional[str], typer.Option(
        "--format", "-f", help="Print analyses to stdout: json or jsonl (then --db is optional).")] = None,
    db: Annotated[Optional[Path], typer.Option(
        "--db", help="SQLite database to write (default claimscope.db when no --format).")] = None,
    replace: Annotated[bool, typer.Option(help="Re-analyse documents already stored.")] = False,
    max_bytes: Annotated[int, typer.Option(help="Per-document size limit in bytes.")] = 10 * 1024 * 1024,
    timeout: Annotated[float, typer.Option(help="URL fetch timeout in seconds.")] = 10.0,
    kb: KbOpt = None, boilerplate: BoilerplateOpt = None, triggers: TriggersOpt = None,
    nlp: NlpOpt = None, model: ModelOpt = None, combine: CombineOpt = "both",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar, no summary.")] = False,
    debug: DebugOpt = False,
) -> None:
    """Analyse documents: print schema-valid analyses and/or store them in SQLite.

    Exit code 0 when every document was analysed, 1 when any failed (each failure is listed
    with its reason), 2 on a usage or data-file error.
    """
    from claimscope.model import Failure
    from claimscope.serialize import to_analysis
    from claimscope.store import Store

    if fmt not in (None, "json", "jsonl"):
        raise typer.BadParameter("must be json or jsonl", param_hint="--format")
    if fmt is None and db is None:
        db = Path("claimscope.db")
    pipeline = _pipeline(kb, boilerplate, triggers, nlp, model, combine, max_bytes=max_bytes, url_timeout=timeout)
    store = Store(db) if db else None
    counts: Counter = Counter()
    types: Counter = Counter()
    failures: list = []
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
    try:
        for item in pipeline.run(inputs):
            if progress:
                progress.advance(task)
            if isinstance(item, Failure):
                failures.append(item)
                if store:
                    store.add_failure(item)
                continue
            counts["documents"] += 1
            counts["sentences"] += len(item.sentences)
            counts["entities"] += len(item.entities)
            counts["events"] += len(item.events)
            counts["times"] += len(item.times)
            types.update(e.type for e in item.events)
            if store:
                counts["stored" if store.add(item, replace=replace) else "already stored"] += 1
            if fmt == "jsonl":
                sys.stdout.write(json.dumps(to_analysis(item), ensure_ascii=False) + "\n")
            elif fmt == "json":
                printed.append(to_analysis(item))
    finally:
        if progress:
            progress.stop()
        if store:
            store.close()
    if fmt == "json":
        out = printed[0] if len(printed) == 1 else printed
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    if not quiet:
        _err(_summary(counts, types, failures, db))
    raise typer.Exit(1 if failures else 0)


def _summary(counts: Counter, types: Counter, failures: list, db: Path | None) -> str:
    lines = [f"documents: {counts['documents']}"
             + (f" ({counts['stored']} stored, {counts['already stored']} already in {db})" if db else ""),
             f"sentences: {counts['sentences']}   entities: {counts['entities']}   "
             f"time expressions: {counts['times']}   events: {counts['events']}"]
    if types:
        lines.append("events by type: " + ", ".join(f"{t} {n}" for t, n in types.most_common()))
    lines.append(f"failures: {len(failures)}")
    lines += [f"  {f.source}: {f.reason}" for f in failures]
    return "\n".join(lines)


@app.command(epilog="Example: claimscope export --db claimscope.db --format csv --out events.csv")
def export(
    db: DbOpt = Path("claimscope.db"),
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl, csv or parquet.")] = "jsonl",
    table: Annotated[str, typer.Option(
        help="analyses (jsonl only), events, documents, entities or failures.")] = "",
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Output file (default stdout).")] = None,
    debug: DebugOpt = False,
) -> None:
    """Export the store: full analyses as JSONL, or a flat table as CSV/Parquet."""
    from claimscope.export import TABLES, export as run_export

    table = table or ("analyses" if fmt == "jsonl" else "events")
    if table != "analyses" and table not in TABLES:
        raise typer.BadParameter(f"unknown table {table!r}", param_hint="--table")
    conn = _open_db(db)
    if fmt == "parquet":
        n = run_export(conn, fmt, table, None, out)
    elif out:
        with out.open("w", encoding="utf-8", newline="") as handle:
            n = run_export(conn, fmt, table, handle, out)
    else:
        n = run_export(conn, fmt, table, sys.stdout, None)
    _err(f"exported {n} {table} records")


def _open_db(db: Path):
    from claimscope.store import connect

    if not db.exists():
        raise ClaimscopeError(f"no database at {db} (run `claimscope analyze … --db {db}` first)")
    return connect(db, read_only=True)


@app.command(epilog="Example: claimscope show 3f2a9c --db claimscope.db")
def show(
    doc_id: Annotated[str, typer.Argument(help="Document id or a unique prefix of it.")],
    db: DbOpt = Path("claimscope.db"),
    as_json: Annotated[bool, typer.Option("--json", help="Print the stored analysis as JSON.")] = False,
    debug: DebugOpt = False,
) -> None:
    """Show one stored document: text summary, entities, events with their sentences."""
    from claimscope.store import get_analysis

    analysis = get_analysis(_open_db(db), doc_id)
    if analysis is None:
        raise ClaimscopeError(f"no single document with id starting {doc_id!r}")
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
                   f"  ({ev['date'] or 'no date'})\n      “{ev['span']['text'][:160]}”")


@app.command(epilog="Example: claimscope stats --db claimscope.db")
def stats(
    db: DbOpt = Path("claimscope.db"),
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
    debug: DebugOpt = False,
) -> None:
    """Counts of documents, sentences, entities and events per type in the store."""
    from claimscope.store import stats as store_stats

    s = store_stats(_open_db(db))
    if as_json:
        typer.echo(json.dumps(s, indent=2))
        return
    for key in ("documents", "sentences", "entities", "linked_entities", "mentions", "events",
                "times", "failures"):
        typer.echo(f"{key:>16}: {s[key]}")
    typer.echo(f"{'published':>16}: {s['published_range'][0]} … {s['published_range'][1]}")
    typer.echo("  events by type: " + (", ".join(f"{t} {n}" for t, n in s["events_by_type"].items()) or "none"))


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
    from claimscope.evaluate import compare_gold, evaluate, render_table

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


def _mount_subapps() -> None:
    from claimscope.actors.cli import app as actors_app
    from claimscope.serve.cli import app as serve_app

    app.add_typer(actors_app, name="actors", help="Knowledge-base tools: lint, find.")
    app.add_typer(serve_app, name="serve")


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
