"""Facets and data links in headless chromium (issue #11 items 2 and 3): counts beside the
filters that follow the current filters, empty fields left out of the URL, the page's .csv with
its filters. Screenshot: tests/artifacts/s3-facets.png."""
from __future__ import annotations

import csv
import io

import pytest

pytestmark = pytest.mark.browser


def test_facets_and_data_links(server, page, shot):
    page.goto(f"{server}/events")
    option = page.locator('select[name="country"] option').nth(1).inner_text()
    assert option.rstrip().endswith(")") and "(" in option  # "BLR (123)"
    label = page.locator('label.chk:has(input[value="ACCUSE"])').inner_text()
    n_accuse = int(label.split("(")[1].rstrip(")"))
    year_before = page.locator('select[name="year"] option').nth(1).inner_text()
    page.check('input[name="type"][value="ACCUSE"]')
    page.click("#apply")
    page.wait_for_url("**/events?*")
    assert page.url.split("?", 1)[1] == "type=ACCUSE"  # empty fields stay out of the URL
    assert f"of {n_accuse}" in page.locator(".pager").first.inner_text()
    # the other facets now count ACCUSE events only; the type facet is unchanged
    assert page.locator('label.chk:has(input[value="ACCUSE"])').inner_text() == label
    languages = page.locator('select[name="language"] option').all_inner_texts()[1:]
    assert sum(int(x.rsplit("(", 1)[1].rstrip(")")) for x in languages) == n_accuse
    assert page.locator('select[name="year"] option').nth(1).inner_text() != year_before
    csv_href = page.get_attribute("a.data-csv", "href")
    assert csv_href == "/events.csv?type=ACCUSE"
    rows = list(csv.DictReader(io.StringIO(page.request.get(server + csv_href).text())))
    assert len(rows) == n_accuse and {r["type"] for r in rows} == {"ACCUSE"}
    # a year from the facet narrows further, with its count
    choice = page.locator('select[name="year"] option').nth(1)
    year, count = choice.get_attribute("value"), int(choice.inner_text().rsplit("(", 1)[1].rstrip(")"))
    page.select_option('select[name="year"]', year)
    page.click("#apply")
    page.wait_for_url(f"**/events?*year={year}*")
    assert f"of {count}" in page.locator(".pager").first.inner_text()
    shot(page, "s3-facets")
    # the documents and actors pages: counts and the API's parameters
    page.goto(f"{server}/actors?country=RUS&sort=name&order=asc")
    names = page.locator("table.events tbody td:first-child a").all_inner_texts()
    api = page.request.get(f"{server}/api/actors?country=RUS&sort=name&order=asc").json()["items"]
    assert names and names == [a["name"] for a in api][:len(names)]
    assert page.locator('select[name="country"] option[selected]').inner_text().startswith("RUS (")
    page.goto(f"{server}/documents")
    assert "(" in page.locator('select[name="site"] option').nth(1).inner_text()
    assert page.js_errors == []
