"""`claimscope serve`: JSON API, UI pages, safety (escaping, read-only, ingest token, URL checks)."""
from __future__ import annotations

import csv
import io
import json
import threading
import warnings
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

warnings.filterwarnings("ignore", category=DeprecationWarning)
from fastapi.testclient import TestClient  # noqa: E402

from claimscope.export import EVENT_COLUMNS  # noqa: E402
from claimscope.serve.app import create_app  # noqa: E402
from claimscope.serve.highlight import segments  # noqa: E402
from claimscope.serve.ingest import IngestError, check_url, fetch_url, token_ok  # noqa: E402
from claimscope.serve.sample import sample_documents  # noqa: E402
from claimscope.db import connect  # noqa: E402
from claimscope.serialize import to_analysis  # noqa: E402
from claimscope.store import Store  # noqa: E402

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
TOKEN = "test-token-0123456789"


def build_db(path: Path, corpus: bool = True) -> Path:
    with Store(path) as store:
        for doc in sample_documents():
            store.add(doc)
        if corpus and CORPUS.exists():
            from claimscope.pipeline import Pipeline

            for item in Pipeline().run([str(CORPUS)]):
                if hasattr(item, "text"):
                    store.add(item)
    return path


@pytest.fixture(scope="module")
def sqlite_db(tmp_path_factory) -> Path:
    return build_db(tmp_path_factory.mktemp("serve") / "serve.db")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def db_path(request, sqlite_db, store_copier):
    """The API's store on both backends (the PostgreSQL one a copy of the SQLite one)."""
    if request.param == "sqlite":
        yield sqlite_db
        return
    cluster = request.getfixturevalue("pg_cluster")
    url = store_copier(sqlite_db, cluster.create_database())
    yield url
    cluster.drop_database(url)


@pytest.fixture(scope="module")
def client(db_path) -> TestClient:
    with TestClient(create_app(db_path)) as client:  # the lifespan closes the connections
        yield client


@pytest.fixture()
def ingest_client(db_target) -> TestClient:
    path = build_db(db_target, corpus=False)
    with TestClient(create_app(path, allow_ingest=True, token=TOKEN)) as client:
        yield client


SAMPLE = {d.title: d for d in sample_documents()}
STATEMENT = next(d for d in SAMPLE.values() if d.site == "rada.vision")
HOSTILE = next(d for d in SAMPLE.values() if d.source == "sample:hostile")


# ------------------------------------------------------------------ documents

def test_documents_search_and_filters(client):
    r = client.get("/api/documents", params={"q": "sanctions expand"})
    assert r.status_code == 200
    ids = [d["id"] for d in r.json()["items"]]
    assert any(SAMPLE[t].id in ids for t in SAMPLE if "sanctions" in t)
    r = client.get("/api/documents", params={"site": "rada.vision"}).json()
    # the corpus's index.jsonl gives its rada.vision texts that site too (their URL's host)
    assert STATEMENT.id in [d["id"] for d in r["items"]]
    assert {d["site"] for d in r["items"]} == {"rada.vision"}
    r = client.get("/api/documents", params={"date_from": "2023-02-24", "date_to": "2023-02-24"}).json()
    assert STATEMENT.id in [d["id"] for d in r["items"]]
    assert all(d["published"] == "2023-02-24" for d in r["items"])
    r = client.get("/api/documents", params={"language": "en", "limit": 2, "offset": 1}).json()
    assert r["limit"] == 2 and r["offset"] == 1 and len(r["items"]) == 2 and r["total"] >= 3


@pytest.mark.parametrize("q", ['"', "AND OR NOT", "*", "foo NEAR(", "a\"b'c", ")(", "--"])
def test_documents_fts_syntax_never_500(client, q):
    r = client.get("/api/documents", params={"q": q})
    assert r.status_code == 200


@pytest.mark.parametrize("params", [
    {"limit": 0}, {"limit": 501}, {"offset": -1}, {"date_from": "2023-02-30"},
    {"date_from": "yesterday"}, {"sort": "text; DROP TABLE documents"}, {"language": "english"},
])
def test_documents_bad_params_are_422(client, params):
    r = client.get("/api/documents", params=params)
    assert r.status_code == 422
    assert r.json()["detail"]


def test_document_analysis_by_id_and_prefix(client):
    a = client.get(f"/api/documents/{STATEMENT.id}").json()
    assert a == json.loads(json.dumps(to_analysis(STATEMENT)))
    assert client.get(f"/api/documents/{STATEMENT.id[:8]}").json()["document"]["id"] == STATEMENT.id
    assert client.get("/api/documents/nope").status_code == 404
    assert client.get(f"/api/documents/{STATEMENT.id[:3]}").status_code == 404  # prefix too short


# ------------------------------------------------------------------ events

def _events(client, **params):
    r = client.get("/api/events", params={"limit": 500, **params})
    assert r.status_code == 200, r.text
    return r.json()


def test_events_filters(client):
    body = _events(client, type="REQUEST", doc=STATEMENT.id)
    assert [e["type"] for e in body["items"]] == ["REQUEST"]
    assert set(body["items"][0]) == set(EVENT_COLUMNS)
    both = _events(client, type=["REQUEST", "ACCUSE"], doc=STATEMENT.id)
    assert {e["type"] for e in both["items"]} == {"REQUEST", "ACCUSE"} and both["total"] == 2
    assert _events(client, type="ASSAULT", mode="aerial", doc=STATEMENT.id)["total"] == 1
    assert _events(client, actor="rus", doc=STATEMENT.id)["total"] == 2  # by entity id
    assert _events(client, actor="coordination council", doc=STATEMENT.id)["total"] == 3  # by name
    rec = _events(client, recipient="blr-gov", doc=STATEMENT.id)["items"]
    assert [e["type"] for e in rec] == ["ACCUSE"]
    rus = _events(client, country="RUS", doc=STATEMENT.id)["items"]
    assert [e["actor_id"] for e in rus] == ["rus", "rus"]
    sec = _events(client, sector="OPP", doc=STATEMENT.id)["items"]
    assert sec and all(e["actor_id"] == "blr-cc" for e in sec)
    neg = _events(client, aux="negation", doc=STATEMENT.id)["items"]
    assert [e["type"] for e in neg] == ["MOBILIZE"]
    assert _events(client, text="all necessary assistance")["items"][0]["type"] == "REQUEST"
    dated = _events(client, date_from="2022-02-24", date_to="2022-02-24", doc=STATEMENT.id)["items"]
    assert [e["type"] for e in dated] == ["ASSAULT"]


def test_events_sort_and_pagination(client):
    all_rows = _events(client, sort="type", order="asc")
    types = [e["type"] for e in all_rows["items"]]
    assert types == sorted(types)
    page1 = _events(client, sort="type", order="asc", limit=3, offset=0)
    page2 = client.get("/api/events", params={"sort": "type", "order": "asc", "limit": 3, "offset": 3}).json()
    keys = lambda p: [(e["doc_id"], e["event_id"]) for e in p["items"]]  # noqa: E731
    assert keys(page1) + keys(page2) == keys(all_rows)[:6]
    assert page1["total"] == all_rows["total"]


@pytest.mark.parametrize("params", [
    {"type": "BOGUS"}, {"aux": "maybe"}, {"country": "belarus"}, {"sector": "x"},
    {"date_from": "2023-02-30"}, {"limit": 10_000}, {"sort": "span_text"},
    {"order": "sideways"}, {"mode": "DROP TABLE"}, {"actor": "x" * 201},
])
def test_events_bad_params_are_422(client, params):
    r = client.get("/api/events", params=params)
    assert r.status_code == 422, r.text
    assert "detail" in r.json()


def test_events_filters_are_parameterised(client, db_path):
    before = connect(db_path).execute("SELECT count(*) FROM events").fetchone()[0]
    for evil in ["' OR 1=1 --", "%", "_", "x'); DROP TABLE events; --", "\\"]:
        for key in ("actor", "recipient", "text", "doc"):
            r = client.get("/api/events", params={key: evil})
            assert r.status_code == 200
            if evil in ("%", "_", "\\", "' OR 1=1 --"):
                assert r.json()["total"] < before  # LIKE wildcards are escaped
    assert connect(db_path).execute("SELECT count(*) FROM events").fetchone()[0] == before


def test_events_download_csv_and_jsonl(client):
    total = _events(client, type="ACCUSE")["total"]
    r = client.get("/api/events/download", params={"type": "ACCUSE", "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == total and list(rows[0]) == EVENT_COLUMNS
    assert {row["type"] for row in rows} == {"ACCUSE"}
    r = client.get("/api/events/download", params={"type": "ACCUSE", "format": "jsonl"})
    lines = [json.loads(x) for x in r.text.splitlines()]
    assert len(lines) == total and all(x["type"] == "ACCUSE" for x in lines)
    r = client.get("/api/events/download", params={"type": "AID", "text": "no such words", "format": "csv"})
    assert r.text.strip() == ",".join(EVENT_COLUMNS)


def test_download_streams_many_batches(client):
    r = client.get("/api/events/download", params={"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == _events(client)["total"]
    assert sum(1 for row in rows if row["doc_id"] == "doc_id") == 0  # header once


def test_timeline_and_network(client):
    t = client.get("/api/timeline", params={"doc": STATEMENT.id, "step": "week"}).json()
    weeks = {w["start"]: w for w in t["periods"]}
    assert weeks["2023-02-20"]["counts"]["SUPPORT"] == 1  # 2023-02-24 is in the week of Mon 20th
    assert weeks["2022-02-21"]["counts"] == {"ASSAULT": 1}
    n = client.get("/api/network", params={"doc": STATEMENT.id}).json()
    edges = {(e["source"], e["target"], e["type"]): e["weight"] for e in n["edges"]}
    assert edges[("blr-cc", "ukr-gov", "SUPPORT")] == 1
    assert edges[("blr-cc", "blr-gov", "ACCUSE")] == 1
    assert all(e["type"] in ("REQUEST", "ACCUSE", "SUPPORT") for e in n["edges"])
    n2 = client.get("/api/network", params={"doc": STATEMENT.id, "type": "ASSAULT"}).json()
    assert {(e["source"], e["target"]) for e in n2["edges"]} == {("rus", "ukr-gov")}
    assert n2["edges"][0]["weight"] == 2


# ------------------------------------------------------------------ actors, stats

def test_actors_list_and_detail(client):
    body = client.get("/api/actors", params={"q": "Coordination Council of Belarus"}).json()
    cc = next(a for a in body["items"] if a["id"] == "blr-cc")
    assert cc["as_actor"] >= 4 and cc["documents"] >= 2 and cc["first_seen"] <= cc["last_seen"]
    d = client.get("/api/actors/blr-cc").json()
    assert d["as_actor"]["total"] >= 4
    assert {e["actor_id"] for e in d["as_actor"]["items"]} == {"blr-cc"}
    assert any(m["text"] == "Coordination Council of Belarus" for m in d["mentions"])
    assert "Kaardynacyjnaja rada" in d["aliases"]
    g = client.get("/api/actors/blr-gov").json()
    assert g["as_recipient"]["total"] >= 2
    assert client.get("/api/actors/no-such-actor").status_code == 404
    assert client.get("/api/actors", params={"limit": 501}).status_code == 422
    srt = client.get("/api/actors", params={"sort": "name", "order": "asc", "limit": 500}).json()["items"]
    assert [a["name"] for a in srt] == sorted(a["name"] for a in srt)


def test_stats(client):
    s = client.get("/api/stats").json()
    assert s["documents"] >= 3 and s["events"] >= 12 and "ACCUSE" in s["events_by_type"]


def test_openapi_describes_the_api(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/documents", "/api/documents/{doc_id}", "/api/events", "/api/events/download",
                 "/api/actors", "/api/actors/{actor_id}", "/api/stats", "/api/timeline", "/api/network"):
        assert path in spec["paths"], path
    assert "/api/ingest" not in spec["paths"]  # read-only server


# ------------------------------------------------------------------ UI pages and safety

@pytest.mark.parametrize("url", ["/", "/documents", "/documents?q=Ukraine", "/events",
                                 "/events?type=ACCUSE&mode=&actor=&date_from=", "/timeline",
                                 "/network", "/actors", "/actors/blr-cc"])
def test_pages_render(client, url):
    r = client.get(url)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in r.headers["content-security-policy"]


def test_ui_bad_filter_gives_html_422(client):
    r = client.get("/events", params={"type": "NOPE"})
    assert r.status_code == 422 and "<h1>Error 422</h1>" in r.text


def test_document_page_highlights(client):
    html = client.get(f"/documents/{STATEMENT.id}").text
    assert 'class="hl-trigger in-event" data-s="e2" data-g="e2">fully supports</span>' in html
    assert 'class="hl-time' in html and ">February 24, 2022</span>" in html
    assert html.count('class="event" data-event=') == len(STATEMENT.events)


def test_hostile_document_is_escaped(client):
    html = client.get(f"/documents/{HOSTILE.id}").text
    for raw in ("<script>window", "<img src=x", "<svg onload", "<b onmouseover", "<b>evil"):
        assert raw not in html
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
    for page in ("/", "/documents", f"/events?doc={HOSTILE.id}", "/actors/blr-cc"):
        assert "<script>window" not in client.get(page).text


def test_segments_cover_text_exactly():
    for doc in sample_documents():
        a = to_analysis(doc)
        segs = segments(a)
        assert "".join(s.text for s in segs) == doc.text
        for ev in doc.events:
            covered = "".join(s.text for s in segs if ev.id in s.triggers)
            assert covered == ev.trigger.text


# ------------------------------------------------------------------ read-only and ingest

def test_read_only_by_default(client, db_path):
    db = client.app.state.db
    with pytest.raises(Exception, match="(?i)read-only|readonly"):
        db.conn().execute("DELETE FROM documents")
    with pytest.raises(PermissionError):
        db.add(sample_documents()[0])
    assert client.post("/api/ingest", data={"text": "x", "token": TOKEN}).status_code in (404, 405)
    assert client.get("/ingest").status_code == 404


def test_ingest_needs_token_to_start(tmp_path):
    with pytest.raises(ValueError, match="token"):
        create_app(tmp_path / "x.db", allow_ingest=True)
    with pytest.raises(ValueError, match="token"):
        create_app(tmp_path / "x.db", allow_ingest=True, token="")


def test_cli_refuses_ingest_without_token(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from claimscope.errors import ClaimscopeError
    from claimscope.serve.cli import app

    monkeypatch.delenv("CLAIMSCOPE_TOKEN", raising=False)
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "x.db"), "--allow-ingest"])
    assert result.exit_code != 0 and isinstance(result.exception, ClaimscopeError)
    assert "token" in str(result.exception)
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "missing.db")])
    assert isinstance(result.exception, ClaimscopeError) and "no database" in str(result.exception)


TEXT = ("The Coordination Council of Belarus calls on the European Union to impose new sanctions "
        "on the regime. It said on Monday that it supports the people of Ukraine.")


def test_ingest_token_checks(ingest_client):
    assert ingest_client.post("/api/ingest", data={"text": TEXT}).status_code == 401
    assert ingest_client.post("/api/ingest", data={"text": TEXT, "token": "wrong"}).status_code == 401
    r = ingest_client.post("/api/ingest", data={"text": TEXT},
                           headers={"X-Claimscope-Token": TOKEN + "x"})
    assert r.status_code == 401
    assert token_ok("abc", "abc") and not token_ok("abc", "abd") and not token_ok(None, "")


def test_ingest_text_file_and_form(ingest_client):
    r = ingest_client.post("/api/ingest", data={"text": TEXT, "title": "Pasted"},
                           headers={"X-Claimscope-Token": TOKEN})
    assert r.status_code == 200, r.text
    doc_id = r.json()["id"]
    assert r.json()["stored"] is True
    a = ingest_client.get(f"/api/documents/{doc_id}").json()
    assert a["document"]["text"].startswith("The Coordination Council")
    assert ingest_client.get("/api/stats").json()["documents"] == 4  # cache dropped on write
    n_events = len(a["events"])
    assert ingest_client.get("/api/events", params={"doc": doc_id}).json()["total"] == n_events
    if n_events:  # the serving index was updated too
        assert ingest_client.get("/api/events", params={"text": "impose new sanctions"}).json()["total"] >= 1
    again = ingest_client.post("/api/ingest", data={"text": TEXT, "token": TOKEN}).json()
    assert again["id"] == doc_id and again["stored"] is False
    html = b"<html><body><article><p>" + TEXT.replace("Monday", "Tuesday").encode() + b"</p></article></body></html>"
    r = ingest_client.post("/api/ingest", data={"token": TOKEN},
                           files={"file": ("page.html", html, "text/html")})
    assert r.status_code == 200, r.text
    r = ingest_client.post("/ingest", data={"token": TOKEN, "text": TEXT + " Again."},
                           follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/documents/")
    r = ingest_client.post("/ingest", data={"token": "nope", "text": TEXT})
    assert r.status_code == 401 and "wrong token" in r.text
    assert "Add document" in ingest_client.get("/").text


@pytest.mark.parametrize("data", [{}, {"text": "  "}, {"text": TEXT, "url": "https://example.org/"}])
def test_ingest_needs_exactly_one_input(ingest_client, data):
    r = ingest_client.post("/api/ingest", data={**data, "token": TOKEN})
    assert r.status_code == 400


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://x",
                                 "http://127.0.0.1:9/", "http://localhost/", "http://[::1]/",
                                 "http://10.1.2.3/", "http://192.168.0.1/", "http://169.254.169.254/latest",
                                 "http://0.0.0.0/", "http://user:pw@example.org/", "javascript:alert(1)"])
def test_ingest_refuses_unsafe_urls(ingest_client, url):
    r = ingest_client.post("/api/ingest", data={"url": url, "token": TOKEN})
    assert r.status_code == 400, r.text
    with pytest.raises(IngestError):
        fetch_url(url)


def test_check_url():
    assert check_url("https://example.org/a?b=1") == ("https", "example.org", 443)
    with pytest.raises(IngestError):
        check_url("http://example.org:99999/")


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/page")
            self.end_headers()
            return
        if self.path == "/to-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
            return
        body = f"<html><head><title>Local</title></head><body><article><p>{TEXT}</p><p>{self.headers['Host']}</p></article></body></html>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture()
def local_http():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_private_urls_only_with_option(local_http, tmp_path):
    with pytest.raises(IngestError, match="allow-private-urls"):
        fetch_url(local_http + "/page")
    raw = fetch_url(local_http + "/redirect", allow_private=True)
    assert raw.media_type == "text/html" and raw.meta["url"].endswith("/page")
    assert b"127.0.0.1" in raw.data  # Host header kept while connecting to the resolved IP
    with pytest.raises(IngestError, match="http and https"):
        fetch_url(local_http + "/to-file", allow_private=True)
    app = create_app(build_db(tmp_path / "p.db", corpus=False), allow_ingest=True, token=TOKEN,
                     allow_private_urls=True)
    r = TestClient(app).post("/api/ingest", data={"url": local_http + "/page", "token": TOKEN})
    assert r.status_code == 200, r.text


def test_walk_and_set_plans_give_the_same_pages(client, monkeypatch):
    """Set-valued filters (recipient, aux, text) run either from the set or by walking the sort
    index (queries._page_rowids picks by the set's share of the events); the pages must agree."""
    from claimscope.serve import queries as Q

    db = client.app.state.db
    rows = client.get("/api/events", params={"limit": 500}).json()["items"]
    recipient = next(r["recipient_ids"][0] for r in rows if r["recipient_ids"] and r["recipient_ids"][0])
    word = next(w for r in rows for w in r["sentence_text"].split() if w.isalpha() and len(w) > 4)
    filters = [Q.EventFilter(recipient=recipient), Q.EventFilter(text=word),
               Q.EventFilter(aux=("negation",)), Q.EventFilter(text=word, types=("ASSERT", "REQUEST"))]
    for f in filters:
        total = Q.count_events(db, f)
        for sort in Q.EVENT_SORTS:
            for order in ("asc", "desc"):
                for offset in (0, 3):
                    pages = []
                    for factor in (0, 10 ** 9):  # never walk / always walk
                        monkeypatch.setattr(Q, "WALK_FACTOR", factor)
                        pages.append(Q._page_rowids(db, f, sort, order, 5, offset, total))
                    assert pages[0] == pages[1], (f, sort, order, offset)
    assert Q._page_rowids(db, Q.EventFilter(), "date", "desc", 5, 10 ** 6, 10) == []
