"""Every view as data and facets with counts (issue #11 items 2 and 3), through the real app on
both backends: /documents, /events, /actors, /timeline and /network have .json and .csv forms
with the page's filters, linked from each page; facet counts follow the other filters; the HTML
pages take the API's parameters (site, language, year, sort, …); empty form fields are no filter."""
from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from claimscope.serve.app import create_app
from claimscope.serve.sample import sample_documents
from claimscope.store import Store


@pytest.fixture()
def client(db_target):
    with Store(db_target) as store:
        for doc in sample_documents():
            store.add(doc)
    return TestClient(create_app(db_target))


def _csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


VIEWS = ["documents", "events", "actors", "timeline", "network"]


def test_every_view_has_json_and_csv_with_the_page_filters(client):
    for view in VIEWS:
        page = client.get(f"/{view}")
        assert page.status_code == 200
        assert f'href="/{view}.json' in page.text and f'href="/{view}.csv' in page.text
        j = client.get(f"/{view}.json")
        assert j.status_code == 200 and j.headers["content-type"].startswith("application/json")
        c = client.get(f"/{view}.csv")
        assert c.status_code == 200 and c.headers["content-type"].startswith("text/csv")
        assert f'filename="claimscope-{view}-' in c.headers["content-disposition"]
        assert c.text.endswith("\r\n") and _csv(c.text)
    # the page's links carry its filters
    assert 'href="/events.csv?type=ACCUSE"' in client.get("/events", params={"type": "ACCUSE"}).text
    all_events = client.get("/events.json", params={"limit": 500}).json()
    accuse = client.get("/events.json", params={"type": "ACCUSE", "limit": 500}).json()
    assert 0 < accuse["total"] < all_events["total"]
    rows = _csv(client.get("/events.csv", params={"type": "ACCUSE"}).text)
    assert len(rows) == accuse["total"] and {r["type"] for r in rows} == {"ACCUSE"}
    docs = client.get("/documents.json", params={"site": "rada.vision"}).json()
    assert docs["items"] and {d["site"] for d in docs["items"]} == {"rada.vision"}
    assert len(_csv(client.get("/documents.csv", params={"site": "rada.vision"}).text)) == docs["total"]
    actors = client.get("/actors.json", params={"country": "BLR"}).json()
    assert actors["items"] and {a["country"] for a in actors["items"]} == {"BLR"}
    assert {r["country"] for r in _csv(client.get("/actors.csv", params={"country": "BLR"}).text)} == {"BLR"}
    timeline = client.get("/timeline.json", params={"type": "ACCUSE", "step": "month"}).json()
    assert set(timeline["types"]) == {"ACCUSE"} and timeline["step"] == "month"
    rows = _csv(client.get("/timeline.csv", params={"type": "ACCUSE"}).text)
    assert rows and {r["type"] for r in rows} == {"ACCUSE"}
    assert sum(int(r["events"]) for r in rows) == timeline["totals"]["ACCUSE"]
    network = client.get("/network.json", params={"type": "ACCUSE"}).json()
    rows = _csv(client.get("/network.csv", params={"type": "ACCUSE"}).text)
    assert len(rows) == len(network["edges"]) and {r["type"] for r in rows} == {"ACCUSE"}
    assert client.get("/events.xml").status_code in (404, 422)
    assert client.get("/events.csv", params={"typo": "x"}).status_code == 422


def test_html_pages_accept_the_api_parameters(client):
    page = client.get("/actors", params={"country": "RUS"})
    assert page.status_code == 200
    api = client.get("/api/actors", params={"country": "RUS"}).json()
    assert api["items"] and all(str(escape(a["name"])) in page.text for a in api["items"])
    assert "Coordination Council of Belarus" not in page.text
    titles = client.get("/documents", params={"sort": "title", "order": "asc"})
    api_titles = [d["title"] for d in client.get("/api/documents", params={"sort": "title", "order": "asc"}).json()["items"]]
    positions = [titles.text.index(str(escape(t))) for t in api_titles if t]
    assert len(positions) >= 2 and positions == sorted(positions)
    # the document and event filters of the API, on the pages and the API
    year = client.get("/api/events", params={"year": "2022", "limit": 500}).json()
    assert year["total"] and all(r["date"].startswith("2022") for r in year["items"])
    en = client.get("/api/events", params={"language": "en"}).json()["total"]
    assert en == client.get("/api/events").json()["total"]
    assert client.get("/api/events", params={"site": "rada.vision"}).json()["total"] == \
        sum(1 for d in sample_documents() if d.site == "rada.vision" for _ in d.events)
    assert client.get("/events", params={"year": "2022", "site": "", "language": ""}).status_code == 200
    assert client.get("/api/documents", params={"year": "2023"}).json()["total"] == \
        sum(1 for d in sample_documents() if (d.published or "").startswith("2023"))
    assert client.get("/documents", params={"year": "", "site": "", "sort": "title"}).status_code == 200
    assert client.get("/api/events", params={"year": "22"}).status_code == 422


def test_facet_counts_follow_the_filters(client):
    f = client.get("/api/facets/events").json()
    total = client.get("/api/events").json()["total"]
    assert sum(x["count"] for x in f["type"]) == total
    assert set(f) == {"type", "mode", "country", "sector", "site", "language", "year", "aux"}
    assert f["aux"] and all(x["value"] in ("negation", "hypothetical", "future", "historical") for x in f["aux"])
    accuse = client.get("/api/facets/events", params={"type": "ACCUSE"}).json()
    # the type facet ignores the type filter itself; the others count only ACCUSE events
    assert accuse["type"] == f["type"]
    n_accuse = next(x["count"] for x in f["type"] if x["value"] == "ACCUSE")
    assert sum(x["count"] for x in accuse["language"]) == n_accuse
    for x in accuse["year"]:
        assert client.get("/api/events", params={"type": "ACCUSE", "year": x["value"]}).json()["total"] == x["count"]
    for x in f["aux"]:
        assert client.get("/api/events", params={"aux": x["value"]}).json()["total"] == x["count"]
    page = client.get("/events", params={"type": "ACCUSE"}).text
    assert f"ACCUSE ({n_accuse})" in page
    docs = client.get("/api/facets/documents", params={"language": "en"}).json()
    assert sum(x["count"] for x in docs["language"]) == client.get("/api/documents").json()["total"]
    assert 'rada.vision (1)' in client.get("/documents").text
    actors = client.get("/api/facets/actors").json()
    assert any(x["value"] == "BLR" for x in actors["country"])
    assert {x["value"] for x in actors["linked"]} <= {True, False}
