"""The `claimscope` command: bad input batches, reruns, output formats, export, show, stats,
help texts and exit codes. Commands that use the store run on both backends (`db_target`:
a SQLite file, then a database on the throw-away PostgreSQL server)."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from claimscope.db import connect

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds"

GOOD_A = "The Coordination Council of Belarus fully supports the people of Ukraine. Glory to Ukraine!"
GOOD_B = "We call on the governments of all countries to provide Ukraine with assistance.\n\nLong live Belarus!"
MALFORMED_HTML = ("<html><head><title>Broken page</title><body><div><p>The Council condemned the arrest of "
                  "journalists in Minsk and called for their immediate release <p>It also said the regime "
                  "must stop the repression of independent media <b>now<div><span></td></table>")


def _table(db, table: str) -> list[tuple]:
    conn = connect(db)
    try:
        return [tuple(r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2")]
    finally:
        conn.close()


def _count(db, table: str) -> int:
    conn = connect(db)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture()
def good(tmp_path):
    a, b = tmp_path / "good_a.txt", tmp_path / "good_b.md"
    a.write_text(GOOD_A, "utf-8")
    b.write_text(GOOD_B, "utf-8")
    return [a, b]


@pytest.fixture()
def bad(tmp_path, http_server):
    """(input, substring expected in its one-line reason) for every kind of bad input."""
    d = tmp_path / "bad"
    d.mkdir()
    (d / "empty.txt").write_bytes(b"")
    (d / "blank.txt").write_text(" \n\t\n   \n", "utf-8")
    (d / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    (d / "broken_utf8.txt").write_bytes("Лукашэнка заявіў, што “выбары” адбудуцца. ".encode() * 20 + b"\xff"
                                        + " Канец.".encode())
    with (d / "huge.txt").open("wb") as handle:  # sparse: instant, no 60 MB written
        handle.truncate(60 * 1024 * 1024)
    return [
        (d / "empty.txt", "empty"),
        (d / "blank.txt", "whitespace"),
        (d / "image.png", "PNG"),
        (d / "broken_utf8.txt", "UTF-8"),
        (d / "huge.txt", "too large"),
        (d / "missing.txt", "no such file"),
        (http_server + "/nothing-here", "404"),
    ]


def test_bad_inputs_in_one_batch(tmp_path, good, bad, claimscope_proc, db_target):
    malformed = tmp_path / "malformed.html"
    malformed.write_text(MALFORMED_HTML, "utf-8")
    db = db_target
    inputs = [good[0], *[b for b, _ in bad], malformed, good[1]]
    proc = claimscope_proc("analyze", *inputs, "--db", db)
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert "Traceback" not in err and "Error:" not in err.replace("error:", "")
    failures = {r[1]: (r[2], r[3]) for r in _table(db, "failures")}
    for source, needle in bad:
        reason_line = next((line for line in err.splitlines() if line.strip().startswith(f"{source}: ")), None)
        assert reason_line is not None, f"no summary line for {source}:\n{err}"
        assert needle.lower() in reason_line.lower(), reason_line
        assert str(source) in failures, f"no failures row for {source}"
        assert needle.lower() in failures[str(source)][1].lower()
    stored = {r[0] for r in connect(db).execute("SELECT source FROM documents")}
    assert {str(good[0]), str(good[1])} <= stored
    # malformed HTML is either analysed or a failure with a reason — never a crash
    assert str(malformed) in stored or str(malformed) in failures
    assert f"failures: {len(failures)}" in err
    assert len(failures) == len(bad) + (str(malformed) not in stored)


def test_malformed_html_is_analysed(tmp_path, cli):
    path = tmp_path / "malformed.html"
    path.write_text(MALFORMED_HTML, "utf-8")
    result = cli("analyze", path, "--format", "json", "--quiet")
    assert result.exit_code == 0, result.output
    text = json.loads(result.stdout)["document"]["text"]
    assert "The Council condemned the arrest of journalists in Minsk" in text


def test_second_run_with_bad_inputs_leaves_rows_untouched(db_target, cli, good, bad):
    db = db_target
    first = cli("analyze", *good, "--db", db)
    assert first.exit_code == 0, first.output
    before = {t: _table(db, t) for t in ("documents", "sentences", "removed")}
    assert len(before["documents"]) == 2
    second = cli("analyze", *[b for b, _ in bad], "--db", db)
    assert second.exit_code == 1
    assert {t: _table(db, t) for t in before} == before
    assert _count(db, "failures") == len(bad)


def test_rerun_adds_nothing_twice(db_target, cli, good, bad):
    db = db_target
    inputs = [*good, *[b for b, _ in bad]]
    assert cli("analyze", *inputs, "--db", db).exit_code == 1
    docs, sents, fails = _table(db, "documents"), _count(db, "sentences"), _table(db, "failures")
    rerun = cli("analyze", *inputs, "--db", db)
    assert rerun.exit_code == 1
    assert "0 stored, 2 already in" in rerun.stderr
    assert _table(db, "documents") == docs and _count(db, "sentences") == sents
    again = _table(db, "failures")
    assert [(r[1], r[2], r[3]) for r in again] == [(r[1], r[2], r[3]) for r in fails]
    assert all(r[6] == 2 for r in again)  # count incremented


def test_replace_flag(db_target, cli, good):
    db = db_target
    cli("analyze", *good, "--db", db)
    added = {r[0]: r[1] for r in connect(db).execute("SELECT id, rowid FROM documents")}
    result = cli("analyze", *good, "--db", db, "--replace")
    assert result.exit_code == 0 and "2 stored" in result.stderr
    assert _count(db, "documents") == 2
    if not db.startswith("postgresql:"):
        assert _count(db, "documents_fts") == 2
    assert set(added) == {r[0] for r in connect(db).execute("SELECT id FROM documents")}


# ---------------------------------------------------------------- output formats

def test_format_json_single(cli, validator):
    result = cli("analyze", next(SEEDS.glob("003_*.txt")), "--format", "json", "--quiet")
    assert result.exit_code == 0, result.output
    analysis = json.loads(result.stdout)
    validator.validate(analysis)
    assert analysis["document"]["text"].startswith("We Belarusians are against the war!")


def test_format_json_many_and_jsonl(cli, validator):
    seeds = sorted(SEEDS.glob("*.txt"))
    result = cli("analyze", *seeds, "--format", "json", "--quiet")
    assert result.exit_code == 0
    many = json.loads(result.stdout)
    assert isinstance(many, list) and len(many) == 4
    for a in many:
        validator.validate(a)
    result = cli("analyze", *seeds, "--format", "jsonl", "--quiet")
    lines = result.stdout.splitlines()
    assert len(lines) == 4
    parsed = [json.loads(line) for line in lines]
    for a in parsed:
        validator.validate(a)
    assert [a["document"]["id"] for a in parsed] == [a["document"]["id"] for a in many]


def test_format_does_not_write_default_db(tmp_path, good, monkeypatch, cli):
    monkeypatch.chdir(tmp_path)
    assert cli("analyze", good[0], "--format", "json", "--quiet").exit_code == 0
    assert not (tmp_path / "claimscope.db").exists()
    assert cli("analyze", good[0], "--quiet").exit_code == 0
    assert (tmp_path / "claimscope.db").exists()


def test_format_with_db_does_both(tmp_path, good, cli):
    result = cli("analyze", good[0], "--format", "jsonl", "--db", tmp_path / "x.db", "--quiet")
    assert result.exit_code == 0 and json.loads(result.stdout)
    assert _count(tmp_path / "x.db", "documents") == 1


def test_quiet_and_summary(tmp_path, good, cli):
    loud = cli("analyze", *good, "--db", tmp_path / "x.db")
    assert "documents: 2 (2 stored" in loud.stderr and "failures: 0" in loud.stderr
    assert loud.stdout == ""
    quiet = cli("analyze", *good, "--db", tmp_path / "y.db", "--quiet")
    assert quiet.stderr == "" and quiet.stdout == ""


# ---------------------------------------------------------------- export / show / stats

@pytest.fixture()
def filled_db(tmp_path, cli, db_target):
    db = db_target
    result = cli("analyze", *sorted(SEEDS.glob("*.txt")), tmp_path / "missing.txt", "--db", db)
    assert result.exit_code == 1
    return db


def test_export_jsonl_analyses(filled_db, cli, validator):
    result = cli("export", "--db", filled_db, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 4
    for line in lines:
        validator.validate(json.loads(line))
    assert "exported 4 analyses" in result.stderr and "records" not in result.stderr


def test_export_csv(filled_db, cli, tmp_path):
    from claimscope.export import EVENT_COLUMNS

    result = cli("export", "--db", filled_db, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert next(csv.reader(io.StringIO(result.stdout))) == EVENT_COLUMNS
    out = tmp_path / "docs.csv"
    result = cli("export", "--db", filled_db, "--format", "csv", "--table", "documents", "--out", out)
    assert result.exit_code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert len(rows) == 4 and {"id", "source", "title", "characters"} <= set(rows[0])
    failures = cli("export", "--db", filled_db, "--format", "csv", "--table", "failures")
    rows = list(csv.DictReader(io.StringIO(failures.stdout)))
    assert len(rows) == 1 and rows[0]["reason"] == "no such file or directory"


def test_export_parquet(filled_db, cli, tmp_path):
    import pyarrow.parquet as pq

    out = tmp_path / "docs.parquet"
    result = cli("export", "--db", filled_db, "--format", "parquet", "--table", "documents", "--out", out)
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    assert table.num_rows == 4
    assert set(table.column("language").to_pylist()) == {"en"}
    titles = table.column("title").to_pylist()
    assert "Russia has occupied Belarus" in titles
    entities = tmp_path / "entities.parquet"
    assert cli("export", "--db", filled_db, "--format", "parquet", "--table", "entities",
               "--out", entities).exit_code == 0


def test_export_parquet_events_even_when_empty(tmp_path, cli, good, db_target):
    import pyarrow.parquet as pq

    from claimscope.export import EVENT_COLUMNS

    db = db_target
    cli("analyze", good[0], "--db", db)
    out = tmp_path / "events.parquet"
    result = cli("export", "--db", db, "--format", "parquet", "--table", "events", "--out", out)
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    if table.num_rows == 0:
        assert table.column_names in ([], EVENT_COLUMNS)
    else:
        assert table.column_names == EVENT_COLUMNS


def test_export_usage_errors(filled_db, cli):
    assert cli("export", "--db", filled_db, "--format", "csv", "--table", "nope").exit_code == 2
    bad = cli("export", "--db", filled_db, "--format", "parquet", "--table", "documents")
    assert bad.exit_code != 0  # parquet needs --out


def test_show_prefix(filled_db, cli):
    doc_id = connect(filled_db).execute(
        "SELECT id FROM documents WHERE title = 'Russia has occupied Belarus'").fetchone()[0]
    result = cli("show", doc_id[:8], "--db", filled_db)
    assert result.exit_code == 0, result.output
    assert doc_id in result.stdout and "Russia has occupied Belarus" in result.stdout
    as_json = cli("show", doc_id[:8], "--db", filled_db, "--json")
    assert json.loads(as_json.stdout)["document"]["id"] == doc_id


def test_stats_json(filled_db, cli):
    result = cli("stats", "--db", filled_db, "--json")
    assert result.exit_code == 0, result.output
    s = json.loads(result.stdout)
    assert s["documents"] == 4 and s["failures"] == 1 and s["sentences"] > 60
    assert s["languages"] == {"en": 4}
    plain = cli("stats", "--db", filled_db)
    assert "documents: 4" in plain.stdout


# ---------------------------------------------------------------- exit codes via the real entry point

@pytest.mark.parametrize("args, code", [
    (["{good}", "--db", "{db}"], 0),
    (["{good}", "{tmp}/missing.txt", "--db", "{db}"], 1),
    (["{good}", "--format", "xml"], 2),
    (["{good}", "--no-such-option"], 2),
    ([], 2),
], ids=["ok", "failed-doc", "bad-format", "bad-option", "no-inputs"])
def test_analyze_exit_codes(tmp_path, good, claimscope_proc, args, code):
    fill = {"good": good[0], "db": tmp_path / "e.db", "tmp": tmp_path}
    proc = claimscope_proc("analyze", *[a.format(**fill) for a in args])
    assert proc.returncode == code, proc.stderr
    assert b"Traceback" not in proc.stderr


@pytest.mark.parametrize("command", ["show abc", "stats", "export"])
def test_missing_db_is_one_line_exit_2(tmp_path, claimscope_proc, command):
    proc = claimscope_proc(*command.split(), "--db", tmp_path / "nope.db")
    assert proc.returncode == 2
    err = proc.stderr.decode().strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err and "nope.db" in err
    assert not (tmp_path / "nope.db").exists()


def test_show_unknown_id_exit_2(filled_db, claimscope_proc):
    proc = claimscope_proc("show", "zzzzzz", "--db", filled_db)
    assert proc.returncode == 2 and "zzzzzz" in proc.stderr.decode()
    assert b"Traceback" not in proc.stderr


# ---------------------------------------------------------------- help

HELP_SCRIPT = r"""
import json, typer
from typer.testing import CliRunner
from claimscope.cli import app, _mount_subapps
try:
    _mount_subapps()
except ImportError:
    pass
group = typer.main.get_command(app)
runner = CliRunner()
out = {}
def walk(cmd, path):
    res = runner.invoke(app, path + ["--help"], terminal_width=200)
    out[" ".join(path) or "claimscope"] = [res.exit_code, res.output]
    for name, sub in sorted(getattr(cmd, "commands", {}).items()):
        walk(sub, path + [name])
walk(group, [])
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def help_texts():
    proc = subprocess.run([sys.executable, "-c", HELP_SCRIPT], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_help_lists_core_commands(help_texts):
    assert {"analyze", "export", "show", "stats", "eval"} <= set(help_texts)


def test_every_command_help_has_example(help_texts):
    missing = [name for name, (code, text) in help_texts.items()
               if name != "claimscope" and (code != 0 or "Example" not in text)]
    assert not missing, f"--help without an 'Example' line: {missing}"


@pytest.mark.parametrize("command", ["analyze", "export", "show", "stats", "eval"])
def test_help_in_process(cli, command):
    result = cli(command, "--help")
    assert result.exit_code == 0 and "Example" in result.stdout


# ---------------------------------------------------------------- a crashing stage is one failure, not a crashed batch

def test_unexpected_stage_error_is_a_per_document_failure(tmp_path, good, monkeypatch):
    from claimscope.model import Document, Failure
    from claimscope.pipeline import Pipeline

    pipeline = Pipeline()
    real = pipeline.complete

    def flaky(doc):
        if doc.source.endswith("good_a.txt"):
            raise AttributeError("'NoneType' object has no attribute 'start'")
        return real(doc)

    monkeypatch.setattr(pipeline, "complete", flaky)
    items = list(pipeline.run([str(good[0]), str(good[1])]))
    assert [type(i) for i in items] == [Failure, Document]
    assert "AttributeError" in items[0].reason and "\n" not in items[0].reason


# ---------------------------------------------------------------- rough edges of issue #11

def test_missing_inputs_create_no_database(tmp_path, cli):
    db = tmp_path / "never.db"
    result = cli("analyze", tmp_path / "missing.txt", "--db", db)
    assert result.exit_code == 1
    assert not db.exists() and "not created" in result.stderr
    assert "missing.txt: no such file or directory" in result.stderr


def test_missing_input_is_recorded_in_an_existing_database(tmp_path, cli, good):
    db = tmp_path / "there.db"
    assert cli("analyze", good[0], "--db", db).exit_code == 0
    assert cli("analyze", tmp_path / "missing.txt", "--db", db).exit_code == 1
    assert _count(db, "failures") == 1 and _count(db, "documents") == 1


def test_export_unknown_format_is_a_usage_error(filled_db, claimscope_proc):
    proc = claimscope_proc("export", "--db", filled_db, "--format", "xlsx")
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert "jsonl, csv, parquet" in err and "ValueError" not in err


def test_export_message_counts_in_words(filled_db, cli):
    one = cli("export", "--db", filled_db, "--format", "csv", "--table", "failures")
    assert one.stderr.strip() == "exported 1 failure"
    many = cli("export", "--db", filled_db, "--format", "csv", "--table", "documents")
    assert many.stderr.strip() == "exported 4 documents"


def test_csv_exports_end_with_a_newline(filled_db, cli, tmp_path):
    for table in ("events", "documents", "failures", "entities"):
        out = tmp_path / f"{table}.csv"
        assert cli("export", "--db", filled_db, "--format", "csv", "--table", table, "--out", out).exit_code == 0
        data = out.read_bytes()
        assert data.endswith(b"\r\n"), table
        assert b"\n" not in data.replace(b"\r\n", b"")[-200:] or table == "events"


def test_show_ambiguous_prefix_lists_the_matches(filled_db, claimscope_proc):
    ids = [r[0] for r in connect(filled_db).execute("SELECT id FROM documents")]
    prefix = next(p for n in range(1, 4) for p in {i[:n] for i in ids}
                  if sum(i.startswith(p) for i in ids) > 1)
    matches = [i for i in ids if i.startswith(prefix)]
    proc = claimscope_proc("show", prefix, "--db", filled_db)
    err = proc.stderr.decode()
    assert proc.returncode == 2
    assert f"{len(matches)} documents have ids starting {prefix!r}" in err
    assert all(m in err for m in matches)


def test_show_marks_cut_sentences(filled_db, cli):
    from claimscope.cli import _clip

    assert _clip("short", 10) == "short"
    clipped = _clip("one two three four five six seven eight nine ten", 20)
    assert clipped.endswith("…") and len(clipped) <= 20 and "one two" in clipped
    doc_id = connect(filled_db).execute(
        "SELECT doc_id FROM events WHERE span_end - span_start > 160 LIMIT 1").fetchone()[0]
    out = cli("show", doc_id, "--db", filled_db).stdout
    quoted = [line for line in out.splitlines() if line.strip().startswith("“")]
    assert any(line.rstrip().endswith("…”") for line in quoted)


def test_analyze_and_stats_agree_on_entities(tmp_path, cli):
    db = tmp_path / "agree.db"
    result = cli("analyze", *sorted(SEEDS.glob("*.txt")), "--db", db)
    stats = json.loads(cli("stats", "--db", db, "--json").stdout)
    assert f"entities: {stats['entities']} distinct ({stats['entity_records']} in documents)" in result.stderr
    plain = cli("stats", "--db", db).stdout
    assert f"entities: {stats['entities']} distinct ({stats['entity_records']} in documents)" in plain


def test_help_shows_click_value_types(help_texts):
    for name, (_, text) in help_texts.items():
        assert "<bool>" not in text and "<list[" not in text and "<str>" not in text, name
    assert "COMMAND [ARGS]" not in help_texts["serve"][1]
    assert "serve [OPTIONS]" in " ".join(help_texts["serve"][1].split())
    assert "PATH" in help_texts["analyze"][1] and "INTEGER" in help_texts["analyze"][1]


def test_serve_on_a_busy_port_fails_before_announcing(filled_db, claimscope_proc):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = claimscope_proc("serve", "--db", filled_db, "--port", port)
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert "serving" not in err and f"cannot listen on 127.0.0.1:{port}" in err


def test_unparseable_published_is_a_warning(tmp_path, cli):
    lines = tmp_path / "docs.jsonl"
    lines.write_text(json.dumps({"text": GOOD_A, "published": "spring 2021"}) + "\n"
                     + json.dumps({"text": GOOD_B, "published": "2021-04-04"}) + "\n", "utf-8")
    result = cli("analyze", lines, "--format", "jsonl")
    assert result.exit_code == 0
    assert "warning:" in result.stderr and "'spring 2021' is not a date" in result.stderr
    published = [json.loads(line)["document"]["published"] for line in result.stdout.splitlines()]
    assert published[1] == "2021-04-04"


def test_eval_on_a_file_without_gold_lines(claimscope_proc, tmp_path):
    index = tmp_path / "index.jsonl"
    index.write_text(json.dumps({"file": "001.txt", "title": "x", "published": "2021-01-01"}) + "\n", "utf-8")
    proc = claimscope_proc("eval", index)
    assert proc.returncode == 2 and "has no gold lines" in proc.stderr.decode()
    notgold = tmp_path / "other.jsonl"
    notgold.write_text('{"text": "x"}\n', "utf-8")
    proc = claimscope_proc("eval", notgold)
    assert proc.returncode == 2 and "no 'file'" in proc.stderr.decode()
    assert b"Traceback" not in proc.stderr


def test_list_documents(filled_db, cli):
    result = cli("list", "--db", filled_db, "--sort", "title", "--order", "asc")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 4 and "4 documents" in result.stderr
    titles = [line.split("events  ", 1)[1] for line in lines]
    assert titles == sorted(titles)
    page = json.loads(cli("list", "--db", filled_db, "--json", "--q", "occupied").stdout)
    assert page["total"] == 1 and page["items"][0]["title"] == "Russia has occupied Belarus"
    assert page["items"][0]["events"] > 0
    assert cli("list", "--db", filled_db, "--from", "2022").exit_code == 2
    assert cli("list", "--db", filled_db, "--sort", "nope").exit_code == 2


def test_search_documents_with_snippets(filled_db, cli):
    result = cli("search", "occupied Belarus", "--db", filled_db)
    assert result.exit_code == 0, result.output
    assert "Russia has occupied Belarus" in result.stdout and "[occupied]" in result.stdout
    hits = json.loads(cli("search", "occupied", "--db", filled_db, "--json").stdout)
    assert hits and all("[occupied]" in h["snippet"].lower() or "[occupied]" in h["snippet"] for h in hits)
    assert json.loads(cli("search", "zzzyyyxxx", "--db", filled_db, "--json").stdout) == []
    assert cli("search", "!!!", "--db", filled_db).exit_code == 2
