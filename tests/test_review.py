"""Review and correction (issue #11 item 4) on both backends: stored apart from the machine
output with who/when/before/after, surviving re-analysis, applied in the API and exports with
`reviewed`, exported as SPEC §5 gold lines that scripts/check_gold.py accepts and `claimscope
eval` reads; the API needs the token."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from claimscope import review
from claimscope.db import connect
from claimscope.export import event_rows

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
TOKEN = "review-token-0123"


@pytest.fixture()
def db(db_target, cli):
    assert cli("analyze", *sorted(SEEDS.glob("*.txt")), "--db", db_target, "--quiet").exit_code == 0
    return db_target


def _doc_rows(conn, doc_id):
    return list(event_rows(conn, "e.doc_id = ?", (doc_id,), order="e.span_start, e.rowid", corrected=False))


def _busiest(conn) -> str:
    return conn.execute("SELECT doc_id FROM events GROUP BY doc_id ORDER BY count(*) DESC, doc_id").fetchone()[0]


def test_corrections_apply_and_survive_reanalysis(db, cli):
    conn = connect(db)
    doc_id = _busiest(conn)
    rows = _doc_rows(conn, doc_id)
    wrong, fix = rows[0], rows[1]
    new_type = "PROTEST" if fix["type"] != "PROTEST" else "ACCUSE"
    review.record(conn, doc_id, "reject", "Analyst A", event=wrong, note="not an event")
    review.record(conn, doc_id, "edit", "Analyst B", event=fix,
                  changes={"type": new_type.lower(), "recipients": "Russia; Ukraine"})
    text = conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]
    start = text.index(" ", 20) + 1
    review.record(conn, doc_id, "add", "Analyst A", changes={"type": "SUPPORT", "actor": "Belarus"},
                  selection=(start, start + 25))
    hist = review.history(conn, doc_id)
    assert [c["action"] for c in hist] == ["reject", "edit", "add"]
    assert hist[1]["before"]["type"] == fix["type"] and hist[1]["after"]["type"] == new_type
    assert hist[1]["after"]["recipients"] == ["Russia", "Ukraine"] and hist[1]["reviewer"] == "Analyst B"
    assert hist[0]["created_at"] and hist[2]["anchor_text"] == text[start:start + 25]

    def check(conn):
        out = [r for r in event_rows(conn, added="all") if r["doc_id"] == doc_id]
        assert not any(r["span_start"] == wrong["span_start"] and r["trigger"] == wrong["trigger"]
                       and not r["reviewed"] for r in out if wrong["trigger"] != fix["trigger"])
        edited = next(r for r in out if r["span_start"] == fix["span_start"] and r["trigger"] == fix["trigger"])
        assert edited["reviewed"] and edited["type"] == new_type and edited["recipients"] == ["Russia", "Ukraine"]
        added = [r for r in out if r["event_id"].startswith("r")]
        assert len(added) == 1 and added[0]["type"] == "SUPPORT" and added[0]["reviewed"]
        assert sum(not r["reviewed"] for r in out) == len(rows) - 2
        # the machine output itself is untouched
        assert [r["type"] for r in _doc_rows(conn, doc_id)] == [r["type"] for r in rows]

    check(conn)
    conn.close()
    # re-analysis of the same documents replaces the machine rows; the corrections stay and apply
    assert cli("analyze", *sorted(SEEDS.glob("*.txt")), "--db", db, "--replace", "--quiet").exit_code == 0
    conn = connect(db)
    assert len(review.history(conn, doc_id)) == 3
    check(conn)
    conn.close()


def test_invalid_corrections_name_the_field(db):
    conn = connect(db)
    doc_id = _busiest(conn)
    row = _doc_rows(conn, doc_id)[0]
    for changes, needle in (({"type": "BOGUS"}, "type"), ({"aux": ["maybe"]}, "aux"),
                            ({"date": "soon"}, "date"), ({"colour": "red"}, "unknown field"),
                            ({"type": "AGREE", "mode": "beat"}, "mode")):
        with pytest.raises(review.ReviewError, match=needle):
            review.record(conn, doc_id, "edit", "A", event=row, changes=changes)
    with pytest.raises(review.ReviewError, match="reviewer"):
        review.record(conn, doc_id, "reject", " ", event=row)
    with pytest.raises(review.ReviewError, match="selection"):
        review.record(conn, doc_id, "add", "A", changes={"type": "AGREE"}, selection=(5, 5))
    assert review.history(conn) == []
    conn.close()


def test_gold_export_passes_the_checker_and_eval_reads_it(db, cli, claimscope_proc, tmp_path):
    conn = connect(db)
    doc_id = _busiest(conn)
    rows = _doc_rows(conn, doc_id)
    review.record(conn, doc_id, "edit", "A", event=rows[0], changes={"type": "ACCUSE", "mode": None})
    review.record(conn, doc_id, "reject", "A", event=rows[1])
    conn.close()
    out = tmp_path / "reviewed.jsonl"
    result = cli("export", "--db", db, "--table", "corrections", "--format", "gold", "--out", out)
    assert result.exit_code == 0, result.output
    assert "exported 1 gold line of a reviewed document" in result.stderr
    [line] = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert Path(line["file"]).is_file() and len(line["events"]) == len(rows) - 1
    assert line["events"][0]["type"] == "ACCUSE" and line["events"][0]["reviewed"] is True
    check = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_gold.py"), str(out)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "1 documents, 0 problems" in check.stdout
    scored = claimscope_proc("eval", out, "--json")
    assert scored.returncode == 0, scored.stderr
    assert json.loads(scored.stdout)["events"]["f1"] > 0
    assert cli("export", "--db", db, "--table", "events", "--format", "gold").exit_code == 2


def test_review_api_needs_the_token_and_updates_the_views(db):
    from claimscope.serve.app import create_app

    client = TestClient(create_app(db, allow_review=True, token=TOKEN))
    ev = client.get("/api/events", params={"limit": 1, "sort": "date"}).json()["items"][0]
    assert ev["reviewed"] is False
    body = {"doc_id": ev["doc_id"], "action": "edit", "event_id": ev["event_id"], "reviewer": "A",
            "changes": {"type": "THREATEN"}}
    assert client.post("/api/corrections", json=body).status_code == 401
    assert client.post("/api/corrections", json=body, headers={"X-Claimscope-Token": "nope"}).status_code == 401
    r = client.post("/api/corrections", json=body, headers={"X-Claimscope-Token": TOKEN})
    assert r.status_code == 200, r.text
    assert r.json()["before"]["type"] == ev["type"] and r.json()["after"]["type"] == "THREATEN"
    # the API's rows and downloads show the corrected event at once
    rows = client.get("/api/events", params={"doc": ev["doc_id"], "limit": 500}).json()["items"]
    row = next(x for x in rows if x["event_id"] == ev["event_id"])
    assert row["reviewed"] is True and row["type"] == "THREATEN"
    csv_text = client.get("/api/events/download", params={"doc": ev["doc_id"], "format": "csv"}).text
    assert "THREATEN" in csv_text and ",true" in csv_text
    bad = client.post("/api/corrections", json={**body, "changes": {"type": "NOPE"}},
                      headers={"X-Claimscope-Token": TOKEN})
    assert bad.status_code == 400 and "type" in bad.json()["detail"]
    gone = client.post("/api/corrections", json={**body, "doc_id": "nosuchdocument"},
                       headers={"X-Claimscope-Token": TOKEN})
    assert gone.status_code == 404
    page = client.get(f"/documents/{ev['doc_id']}").text
    assert 'id="review-form"' in page and "corrected by A" in page
    # read-only servers have no POST and no review form
    ro = TestClient(create_app(db))
    assert ro.post("/api/corrections", json=body).status_code in (404, 405)
    assert 'id="review-form"' not in ro.get(f"/documents/{ev['doc_id']}").text
    assert len(ro.get("/api/corrections").json()) == 1
