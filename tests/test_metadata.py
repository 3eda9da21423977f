"""Metadata for text inputs (issue #11 item 1): sidecar index beside the files or --meta FILE,
the usual field aliases, --published/--url/--title for one input, warnings for dates that are
no dates, the dateline winning where it is more precise, ingest form fields."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimscope.metadata import Sidecars, normalise

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"
DATELINE = ("MINSK, August 10, 2021 — The Coordination Council of Belarus called on the European "
            "Union to impose new sanctions on the regime.\n")
PLAIN = "The Coordination Council of Belarus fully supports the people of Ukraine.\n"


def _docs(result) -> dict[str, dict]:
    out = {}
    for line in result.stdout.splitlines():
        d = json.loads(line)["document"]
        out[Path(d["source"]).name] = d
    return out


def test_aliases_of_the_shared_corpus_indexes():
    rows = [json.loads(line) for line in (SHARED / "dev" / "index.jsonl").read_text("utf-8").splitlines()]
    meta = normalise(rows[0])
    assert meta["url"] == rows[0]["source_url"] and meta["title"] == rows[0]["title"]
    assert meta["published"] == rows[0]["published"]
    assert meta["site"] == "belsat.eu"  # the URL's host, not the long publisher string
    assert normalise({"approx_date": "2020-08", "publisher_or_actor": "X Y"}) == {
        "published": "2020-08", "site": "X Y"}
    assert normalise({"date": 2021, "url": "http://[bad"}) == {"published": "2021", "url": "http://[bad"}


def test_sidecar_jsonl_beside_the_files(tmp_path, cli):
    (tmp_path / "a.txt").write_text(DATELINE, "utf-8")
    (tmp_path / "b.txt").write_text(PLAIN, "utf-8")
    (tmp_path / "index.jsonl").write_text(
        json.dumps({"file": "a.txt", "approx_date": "2021-08", "source_url": "https://www.example.org/a"}) + "\n"
        + json.dumps({"file": "b.txt", "date": "2020-03-05", "title": "B title", "publisher": "Example Pub"}) + "\n"
        + "not json\n", "utf-8")
    result = cli("analyze", tmp_path, "--format", "jsonl")
    docs = _docs(result)
    # the dateline (a full day) is more precise than the index's month: it wins
    assert (docs["a.txt"]["published"], docs["a.txt"]["published_from"]) == ("2021-08-10", "dateline")
    assert docs["a.txt"]["url"] == "https://www.example.org/a" and docs["a.txt"]["site"] == "example.org"
    assert (docs["b.txt"]["published"], docs["b.txt"]["published_from"]) == ("2020-03-05", "given")
    assert docs["b.txt"]["title"] == "B title" and docs["b.txt"]["site"] == "Example Pub"
    # a malformed index line is a reported failure, not silence
    assert result.exit_code == 1 and "index.jsonl:3: malformed JSON" in result.stderr


def test_sidecar_csv_and_unparseable_dates(tmp_path, cli):
    (tmp_path / "a.txt").write_text(PLAIN, "utf-8")
    (tmp_path / "b.txt").write_text(PLAIN.replace("Ukraine", "Lithuania"), "utf-8")
    (tmp_path / "index.csv").write_text(
        "File,URL,Published\na.txt,https://news.example.net/x,spring 2021\nb.txt,,2022-10 (approx.)\n", "utf-8")
    result = cli("analyze", tmp_path, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    docs = _docs(result)
    assert docs["a.txt"]["published"] is None and docs["a.txt"]["site"] == "news.example.net"
    assert "a.txt: published 'spring 2021' is not a date" in result.stderr
    assert docs["b.txt"]["published"] == "2022-10"
    assert "b.txt: published '2022-10 (approx.)' read as '2022-10'" in result.stderr


def test_explicit_meta_file_and_single_input_options(tmp_path, cli):
    docs_dir = tmp_path / "texts"
    docs_dir.mkdir()
    (docs_dir / "a.txt").write_text(PLAIN, "utf-8")
    (docs_dir / "index.jsonl").write_text(json.dumps({"file": "a.txt", "published": "1999"}) + "\n", "utf-8")
    meta = tmp_path / "meta.jsonl"
    meta.write_text(json.dumps({"file": "texts/a.txt", "published": "2021-02-03", "url": "https://e.org/a"}) + "\n", "utf-8")
    with_meta = _docs(cli("analyze", docs_dir / "a.txt", "--meta", meta, "--format", "jsonl"))
    assert with_meta["a.txt"]["published"] == "2021-02-03" and with_meta["a.txt"]["url"] == "https://e.org/a"
    beside = _docs(cli("analyze", docs_dir / "a.txt", "--format", "jsonl"))
    assert beside["a.txt"]["published"] == "1999"
    given = _docs(cli("analyze", docs_dir / "a.txt", "--published", "2020-08-09", "--url", "https://x.org/1",
                      "--title", "Given title", "--format", "jsonl"))
    assert given["a.txt"]["published"] == "2020-08-09" and given["a.txt"]["title"] == "Given title"
    assert given["a.txt"]["url"] == "https://x.org/1" and given["a.txt"]["site"] == "x.org"
    two = cli("analyze", docs_dir / "a.txt", docs_dir / "a.txt", "--published", "2020")
    assert two.exit_code == 2 and "single input" in two.output


def test_jsonl_input_accepts_the_aliases(tmp_path, cli):
    lines = tmp_path / "in.jsonl"
    lines.write_text(json.dumps({"text": PLAIN, "approx_date": "2021-04", "source_url": "https://a.example/p"}) + "\n", "utf-8")
    doc = json.loads(cli("analyze", lines, "--format", "jsonl").stdout)["document"]
    assert doc["published"] == "2021-04" and doc["url"] == "https://a.example/p"


def test_jsonl_of_documents_named_index_is_no_metadata_index(tmp_path):
    (tmp_path / "index.jsonl").write_text(json.dumps({"text": "From JSONL."}) + "\nnot json\n", "utf-8")
    side = Sidecars()
    assert side.meta_for(tmp_path / "x.txt") == {} and side.drain() == []


def test_sidecars_cache_per_directory(tmp_path):
    (tmp_path / "index.jsonl").write_text(json.dumps({"file": "x.txt", "title": "T"}) + "\n", "utf-8")
    side = Sidecars()
    assert side.meta_for(tmp_path / "x.txt") == {"title": "T"}
    assert side.meta_for(tmp_path / "y.txt") == {}
    assert side.drain() == []


def test_shared_corpus_gets_dates(tmp_path, cli):
    """The issue's complaint: the index beside the texts was ignored and most events undated."""
    db = tmp_path / "dev.db"
    cli("analyze", SHARED / "dev", "--db", db, "--quiet")
    import sqlite3

    conn = sqlite3.connect(db)
    undated = conn.execute("SELECT count(*) FROM documents WHERE published IS NULL").fetchone()[0]
    assert undated == 0
    assert conn.execute("SELECT count(*) FROM documents WHERE url LIKE 'http%'").fetchone()[0] >= 19


@pytest.fixture()
def ingest(tmp_path):
    from fastapi.testclient import TestClient

    from claimscope.serve.app import create_app

    return TestClient(create_app(tmp_path / "i.db", allow_ingest=True, token="t0ken-for-tests"))


def test_ingest_form_fields(ingest):
    r = ingest.post("/api/ingest", data={"text": PLAIN, "published": "2021-05-06", "token": "t0ken-for-tests",
                                         "source_url": "https://www.example.com/s"})
    assert r.status_code == 200, r.text
    doc = ingest.get(f"/api/documents/{r.json()['id']}").json()["document"]
    assert doc["published"] == "2021-05-06" and doc["url"] == "https://www.example.com/s"
    assert doc["site"] == "example.com"
    bad = ingest.post("/api/ingest", data={"text": PLAIN + "x", "published": "soon", "token": "t0ken-for-tests"})
    assert bad.status_code == 400 and "not a date" in bad.json()["detail"]
    page = ingest.post("/ingest", data={"text": PLAIN + "y", "published": "soon", "token": "t0ken-for-tests"})
    assert page.status_code == 400 and "not a date" in page.text and 'value="soon"' in page.text
    form = ingest.get("/ingest").text
    assert 'name="published"' in form and 'name="source_url"' in form
