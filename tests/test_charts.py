"""The charts' data (issue #11 item 5) on both backends: timeline periods by step (chosen by the
range unless given), the undated count; the network's linked-only default, merge by entity id,
minimum weight, neighbourhood, and its parameters on the API and the page."""
from __future__ import annotations

import copy
from datetime import date

import pytest
from fastapi.testclient import TestClient

from claimscope.serve import charts
from claimscope.serve.app import create_app
from claimscope.serve.queries import Database, EventFilter
from claimscope.serve.sample import sample_documents
from claimscope.store import Store

DOCS = sample_documents()
STATEMENT = next(d for d in DOCS if d.site == "rada.vision")


def _undated(doc):
    """The same document with no publication date and undated events (another id)."""
    twin = copy.deepcopy(doc)
    twin.id = "undated-" + doc.id[:20]
    twin.published = None
    for ev in twin.events:
        ev.date = None
    return twin


@pytest.fixture()
def db(db_target):
    with Store(db_target) as store:
        for doc in DOCS:
            store.add(doc)
        store.add(_undated(STATEMENT))
    database = Database(db_target, cache_size=0)
    yield database
    database.close()


def test_pick_step_follows_the_range():
    assert charts.pick_step("2022-01-01", "2022-02-15") == "day"
    assert charts.pick_step("2022-01-01", "2022-11-01") == "week"
    assert charts.pick_step("2020-01-01", "2024-06-01") == "month"
    assert charts.pick_step("1995-01-01", "2024-06-01") == "year"
    assert charts.period_start(date(2023, 2, 24), "week") == date(2023, 2, 20)  # a Friday: Monday 20th
    assert charts.period_start(date(2023, 2, 24), "month") == date(2023, 2, 1)
    assert charts.period_start(date(2023, 2, 24), "year") == date(2023, 1, 1)


def test_timeline_periods_by_step(db):
    f = EventFilter(doc=STATEMENT.id)
    week = charts.timeline(db, f, "week")
    periods = {p["start"]: p["counts"] for p in week["periods"]}
    assert periods["2023-02-20"]["SUPPORT"] == 1
    assert periods["2022-02-21"] == {"ASSAULT": 1}
    assert week["step"] == "week" and week["first"] == "2022-02-24" and week["last"] == "2023-02-24"
    month = charts.timeline(db, f, "month")
    assert {p["start"] for p in month["periods"]} == {"2022-02-01", "2023-02-01"}
    year = charts.timeline(db, f, "year")
    assert [p["start"] for p in year["periods"]] == ["2022-01-01", "2023-01-01"]
    # every step counts every dated event once
    dated = sum(1 for ev in STATEMENT.events if ev.date)
    for t in (week, month, year):
        assert sum(p["total"] for p in t["periods"]) == sum(t["totals"].values()) == dated
    # a year apart: auto is weeks; the undated twin is counted, not drawn
    auto = charts.timeline(db, EventFilter(include_duplicates=True))
    assert auto["step"] == charts.pick_step(auto["first"], auto["last"]) == "week"
    assert auto["undated"] == len(STATEMENT.events)
    # by default the twin (the statement's text again) is a near-duplicate and counts once
    assert charts.timeline(db, EventFilter())["undated"] == 0
    assert charts.timeline(db, EventFilter(types=("ACCUSE",)))["types"] == ["ACCUSE"]


def test_network_linked_merged_min_weight_focus(db):
    every = EventFilter(include_duplicates=True)  # the undated twin too (a near-duplicate)
    default = charts.network(db, every)
    ids = [n["id"] for n in default["nodes"]]
    assert ids and len(ids) == len(set(ids))
    assert all(n["linked"] and charts.is_kb_id(n["id"]) for n in default["nodes"])
    assert all(e["source"] != e["target"] for e in default["edges"])
    assert {e["type"] for e in default["edges"]} <= set(charts.NETWORK_TYPES)
    # the undated twin repeats the statement's links: weights add up per entity id
    edges = {(e["source"], e["target"], e["type"]): e["weight"] for e in default["edges"]}
    assert edges[("blr-cc", "ukr-gov", "SUPPORT")] == 2
    once = {(e["source"], e["target"], e["type"]): e["weight"] for e in charts.network(db, EventFilter())["edges"]}
    assert once[("blr-cc", "ukr-gov", "SUPPORT")] == 1  # the twin is a near-duplicate: counted once
    names = {n["id"]: n["name"] for n in default["nodes"]}
    assert names["blr-cc"] == "Coordination Council of Belarus"
    wide = charts.network(db, every, unlinked=True)
    unlinked = [n for n in wide["nodes"] if not n["linked"]]
    assert unlinked and all(n["id"].startswith(("name:", "x:")) for n in unlinked)
    assert len(wide["edges"]) > len(default["edges"])
    heavy = charts.network(db, every, min_weight=2)
    assert heavy["edges"] and all(e["weight"] >= 2 for e in heavy["edges"])
    assert len(heavy["edges"]) < len(default["edges"])
    hood = charts.network(db, every, focus="blr-gov")
    assert hood["edges"] and all("blr-gov" in (e["source"], e["target"]) for e in hood["edges"])
    assert hood["focus"] == "blr-gov"
    assert charts.network(db, EventFilter(types=("ASSAULT",)))["types"] == ["ASSAULT"]


def test_chart_parameters_on_api_and_pages(db_target):
    with Store(db_target) as store:
        for doc in DOCS:
            store.add(doc)
    client = TestClient(create_app(db_target))
    t = client.get("/api/timeline", params={"step": "MONTH"}).json()
    assert t["step"] == "month" and all(p["start"].endswith("-01") for p in t["periods"])
    assert client.get("/api/timeline", params={"step": "fortnight"}).status_code == 422
    n = client.get("/api/network", params={"min_weight": 1, "unlinked": "true", "focus": "blr-cc"}).json()
    assert n["unlinked"] and n["focus"] == "blr-cc" and n["edges"]
    assert client.get("/api/network", params={"min_weight": 0}).status_code == 422
    page = client.get("/network", params={"focus": "blr-cc", "min_weight": 2, "unlinked": "true"})
    assert page.status_code == 200 and 'id="focus-clear"' in page.text
    assert 'name="unlinked" value="true" checked' in page.text
    for t in charts.NETWORK_TYPES:  # the types the chart shows by default are shown checked
        assert f'value="{t}" checked' in client.get("/network").text
    assert client.get("/timeline", params={"step": "year"}).status_code == 200
    assert 'selected>year' in client.get("/timeline", params={"step": "year"}).text
