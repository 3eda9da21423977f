"""API parameters (issue #11 item 3, partly) and the offline API reference (item 2, partly):
enum values are case-insensitive, an unknown value is a 422 naming the allowed ones, an unknown
parameter is a 422 naming the ones the endpoint takes; /api/docs works without a CDN."""
from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from claimscope.serve.app import create_app
from claimscope.serve.sample import sample_documents
from claimscope.store import Store


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    path = tmp_path_factory.mktemp("params") / "p.db"
    with Store(path) as store:
        for doc in sample_documents():
            store.add(doc)
    return TestClient(create_app(path))


def test_enum_parameters_are_case_insensitive(client):
    upper = client.get("/api/events", params={"type": "ACCUSE"}).json()["total"]
    assert upper > 0
    assert client.get("/api/events", params={"type": "accuse"}).json()["total"] == upper
    assert client.get("/api/events", params={"type": "Accuse", "sort": "DATE", "order": "ASC"}).status_code == 200
    assert client.get("/api/events", params={"aux": "NEGATION"}).status_code == 200
    assert client.get("/api/actors", params={"country": "blr"}).json()["total"] == \
        client.get("/api/actors", params={"country": "BLR"}).json()["total"]
    assert client.get("/events", params={"type": "accuse"}).status_code == 200


def test_unknown_values_and_parameters_are_422(client):
    r = client.get("/api/events", params={"mode": "bogus"})
    assert r.status_code == 422 and "'visit'" in json.dumps(r.json())
    r = client.get("/api/events", params={"type": "BOGUS"})
    assert r.status_code == 422 and "ACCUSE" in json.dumps(r.json())
    r = client.get("/api/events", params={"typ": "ACCUSE"})
    assert r.status_code == 422
    detail = json.dumps(r.json())
    assert "unknown parameter 'typ'" in detail and "type" in detail
    assert client.get("/api/documents", params={"sortt": "title"}).status_code == 422
    page = client.get("/events", params={"tpye": "ACCUSE"})
    assert page.status_code == 422 and "unknown parameter" in page.text
    # the HTML pages' empty form fields are known parameters, not errors
    assert client.get("/events", params={"type": "ACCUSE", "mode": "", "actor": ""}).status_code == 200


def test_api_reference_page_works_offline(client):
    page = client.get("/api/docs")
    assert page.status_code == 200
    main = page.text.split("<main>")[1].split("</main>")[0]
    assert "cdn" not in page.text.lower() and "<script" not in main
    for path in ("/api/events", "/api/documents", "/api/timeline", "/api/network", "/api/actors"):
        assert f"GET {path}" in page.text
    assert "ACCUSE" in page.text and "/openapi.json" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
