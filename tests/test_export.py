"""Exports analysts expect (issue #11 item 6): country/sector columns, URL, language, site, real
list and date columns, one empty-value convention, a generated data dictionary, descriptive
download names; and the date companions of item 1."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from claimscope.export import (
    EVENT_COLUMNS, TABLES, csv_cell, data_dictionary, date_bounds, download_name,
)

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "corpus" / "dev"


@pytest.fixture(scope="module")
def dev_db(tmp_path_factory):
    from typer.testing import CliRunner

    from claimscope.cli import app

    db = tmp_path_factory.mktemp("export") / "dev.db"
    result = CliRunner().invoke(app, ["analyze", str(DEV), "--db", str(db), "--quiet"])
    assert result.exit_code == 0, result.output
    return db


def test_date_bounds():
    assert date_bounds("2020") == (date(2020, 1, 1), date(2020, 12, 31))
    assert date_bounds("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert date_bounds("2021-03-05") == (date(2021, 3, 5), date(2021, 3, 5))
    assert date_bounds("2021-W01") == (date(2021, 1, 4), date(2021, 1, 10))
    assert date_bounds("2021-03/2021-05") == (date(2021, 3, 1), date(2021, 5, 31))
    assert date_bounds("--02-24") == (None, None)
    assert date_bounds("2021-02-30") == (None, None)
    assert date_bounds(None) == (None, None)


def test_csv_cells_follow_one_convention():
    assert csv_cell(["a", None, "c"]) == "a; ; c" and csv_cell([]) == ""
    assert csv_cell(True) == "true" and csv_cell(None) is None and csv_cell(3) == 3


def test_event_export_columns_in_every_format(dev_db, cli, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    jsonl = cli("export", "--db", dev_db, "--format", "jsonl", "--table", "events")
    rows = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert rows and list(rows[0]) == EVENT_COLUMNS
    for row in rows:
        for col in ("recipients", "recipient_ids", "recipient_countries", "recipient_sectors", "contexts", "aux"):
            assert isinstance(row[col], list), col
        assert len(row["recipients"]) == len(row["recipient_ids"]) == len(row["recipient_countries"])
        assert row["url"] and row["url"].startswith("http") and row["language"] == "en" and row["site"]
        if row["date"] and row["date"][0].isdigit():
            assert row["date_start"] and row["date_start"] <= row["date_end"]
    assert any(r["actor_country"] == "BLR" for r in rows)
    assert any("BLR" in r["recipient_countries"] or "RUS" in r["recipient_countries"] for r in rows)
    assert any(r["actor_sector"] for r in rows)

    out = tmp_path / "events.csv"
    cli("export", "--db", dev_db, "--format", "csv", "--table", "events", "--out", out)
    with out.open(encoding="utf-8", newline="") as handle:
        csv_rows = list(csv.DictReader(handle))
    assert list(csv_rows[0]) == EVENT_COLUMNS and len(csv_rows) == len(rows)
    for c, j in zip(csv_rows, rows):
        assert c["recipients"] == "; ".join(j["recipients"])
        assert c["mode"] == (j["mode"] or "")  # None -> empty cell, never "None"

    pq_path = tmp_path / "events.parquet"
    cli("export", "--db", dev_db, "--format", "parquet", "--table", "events", "--out", pq_path)
    table = pq.read_table(pq_path)
    assert table.column_names == EVENT_COLUMNS and table.num_rows == len(rows)
    assert table.schema.field("date_start").type == pa.date32()
    assert table.schema.field("recipients").type == pa.list_(pa.string())
    assert table.schema.field("span_start").type == pa.int64()
    assert table.column("aux").to_pylist() == [r["aux"] for r in rows]


def test_document_and_entity_exports(dev_db, cli, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    docs = [json.loads(line) for line in cli("export", "--db", dev_db, "--format", "jsonl",
                                             "--table", "documents").stdout.splitlines()]
    assert list(docs[0]) == [c.name for c in TABLES["documents"]]
    assert all(d["events"] >= 0 and d["published_start"] for d in docs)
    out = tmp_path / "docs.parquet"
    cli("export", "--db", dev_db, "--format", "parquet", "--table", "documents", "--out", out)
    assert pq.read_table(out).schema.field("published_end").type == pa.date32()
    ents = [json.loads(line) for line in cli("export", "--db", dev_db, "--format", "jsonl",
                                             "--table", "entities").stdout.splitlines()]
    assert {type(e["linked"]) for e in ents} == {bool}
    fails = tmp_path / "fails.parquet"
    cli("export", "--db", dev_db, "--format", "parquet", "--table", "failures", "--out", fails)
    assert str(pq.read_table(fails).schema.field("first_seen").type).startswith("timestamp")


def test_download_names_say_what_is_inside():
    name = download_name("events", [("type", "ACCUSE"), ("country", "BLR"), ("offset", "50"),
                                    ("text", "political prisoners/../x")], "csv", date(2024, 5, 1))
    assert name == "claimscope-events-type-ACCUSE-country-BLR-text-political_prisoners_.._x-2024-05-01.csv"
    assert download_name("documents", [], "json", date(2024, 5, 1)) == "claimscope-documents-2024-05-01.json"
    assert len(download_name("events", [("text", "x" * 500)] * 9, "csv", date(2024, 5, 1))) < 130


def test_data_dictionary_is_current():
    """docs/data-dictionary.md is generated (scripts/data_dictionary.py) from TABLES."""
    assert (ROOT / "docs" / "data-dictionary.md").read_text("utf-8") == data_dictionary()
    for name, columns in TABLES.items():
        assert f"## {name}" in data_dictionary()
        assert all(f"| `{c.name}` |" in data_dictionary() for c in columns)
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "data_dictionary.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_api_download_name_and_newline(tmp_path, analyze_text):
    from fastapi.testclient import TestClient

    from claimscope.serve.app import create_app
    from claimscope.serve.sample import sample_documents
    from claimscope.store import Store

    with Store(tmp_path / "s.db") as store:
        for doc in sample_documents():
            store.add(doc)
        undated = analyze_text("The Coordination Council of Belarus accused the regime of torture.")
        assert undated.published is None and undated.events
        store.add(undated)
    client = TestClient(create_app(tmp_path / "s.db"))
    r = client.get("/api/events/download", params={"type": "ACCUSE", "format": "csv"})
    assert r.status_code == 200
    assert f'filename="claimscope-events-type-ACCUSE-{date.today().isoformat()}.csv"' in r.headers["content-disposition"]
    assert r.content.endswith(b"\r\n")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert list(rows[0]) == EVENT_COLUMNS
    # date sorts put undated events last, ascending too
    items = client.get("/api/events", params={"sort": "date", "order": "asc", "limit": 500}).json()["items"]
    days = [i["date"] or i["published"] for i in items]
    assert None in days and days[-1] is None
    assert days.index(None) > max(i for i, d in enumerate(days) if d)
    timeline = client.get("/api/timeline").json()
    assert timeline["undated"] == days.count(None)
