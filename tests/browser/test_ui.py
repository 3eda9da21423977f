"""The web UI in headless chromium: highlights, event selection, filtering, charts, escaping."""
from __future__ import annotations

import csv
import io

import pytest

from claimscope.serve.sample import sample_documents

pytestmark = pytest.mark.browser

DOCS = sample_documents()
STATEMENT = next(d for d in DOCS if d.site == "rada.vision")
HOSTILE = next(d for d in DOCS if d.source == "sample:hostile")


def test_document_highlights_and_event_click(server, page):
    page.goto(f"{server}/documents/{STATEMENT.id}")
    assert page.locator("#doctext .hl-actor").count() >= 5
    for ev in STATEMENT.events:
        trig = page.locator(f'#doctext .hl-trigger[data-g~="{ev.id}"]').all_text_contents()
        assert "".join(trig) == ev.trigger.text
    assert page.locator("#doctext .hl-time").first.inner_text() == "February 24, 2022"
    assert page.locator("#doctext .ev-active").count() == 0

    ev = next(e for e in STATEMENT.events if e.type == "REQUEST")
    page.click(f'button.event[data-event="{ev.id}"]')
    active = "".join(page.locator("#doctext .ev-active").all_text_contents())
    assert active == ev.span.text
    assert "".join(page.locator("#doctext .ev-trig").all_text_contents()) == ev.trigger.text
    roles = page.locator("#doctext .ev-role").all_text_contents()
    assert "".join(roles).count("the governments of all countries") == 1
    assert page.locator(f'button.event[data-event="{ev.id}"]').get_attribute("aria-pressed") == "true"
    # the highlighted spans are visibly styled
    bg = page.locator("#doctext .ev-active").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert bg not in ("rgba(0, 0, 0, 0)", "transparent")

    other = next(e for e in STATEMENT.events if e.type == "SUPPORT")
    page.click(f'button.event[data-event="{other.id}"]')
    assert "".join(page.locator("#doctext .ev-active").all_text_contents()) == other.span.text
    assert page.js_errors == []


def test_hostile_document_does_not_execute(server, page):
    for url in (f"/documents/{HOSTILE.id}", "/documents", f"/events?doc={HOSTILE.id}", "/",
                "/documents?q=pwned", "/actors/blr-cc"):
        page.goto(server + url)
        page.mouse.move(10, 10)
        for el in page.locator("#doctext span, #doctext").all()[:20]:
            el.hover()
        assert page.evaluate("typeof window.__pwned") == "undefined", url
        assert page.locator("#doctext script, #doctext img, #doctext svg, #doctext b").count() == 0
    page.goto(f"{server}/documents/{HOSTILE.id}")
    text = page.locator("#doctext").inner_text()
    assert "<script>window.__pwned = 1</script>" in text and 'onerror="window.__pwned=2"' in text
    assert page.title().startswith("<script>window.__pwned")
    page.click('button.event[data-event="e1"]')
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.js_errors == []


def test_events_table_filter_and_download(server, page):
    page.goto(f"{server}/events")
    total_before = int(page.locator(".pager").first.inner_text().split(" of ")[1].split()[0])
    page.check('input[name="type"][value="ACCUSE"]')
    page.fill('input[name="actor"]', "Coordination Council")
    page.click("#apply")
    page.wait_for_url("**/events?*")
    rows = page.locator("#events-table tbody tr")
    assert rows.count() > 0
    types = page.locator("#events-table tbody tr td:nth-child(2) .type").all_inner_texts()
    assert all(t.startswith("ACCUSE") for t in types)
    actors = page.locator("#events-table tbody tr td:nth-child(3)").all_inner_texts()
    assert all("Coordination Council" in a for a in actors)
    total_after = int(page.locator(".pager").first.inner_text().split(" of ")[1].split()[0])
    assert 0 < total_after < total_before
    href = page.get_attribute("#download-csv", "href")
    assert "type=ACCUSE" in href and "format=csv" in href
    body = page.request.get(server + href).text()
    data = list(csv.DictReader(io.StringIO(body)))
    assert len(data) == total_after and {r["type"] for r in data} == {"ACCUSE"}
    with page.expect_download() as dl:
        page.click("#download-jsonl")
    name = dl.value.suggested_filename  # says what is inside: table, filters, date
    assert name.startswith("claimscope-events-type-ACCUSE-actor-Coordination_Council-") and name.endswith(".jsonl")


def _svg_ok(page, selector, child):
    page.wait_for_selector(f"{selector} svg", timeout=10_000)
    box = page.locator(f"{selector} svg").bounding_box()
    assert box and box["width"] > 100 and box["height"] > 100
    items = page.locator(f"{selector} svg {child}")
    assert items.count() > 0
    sizes = [items.nth(i).bounding_box() for i in range(min(items.count(), 10))]
    assert any(b and b["width"] > 0 and b["height"] > 0 for b in sizes)
    return items.count()


def test_timeline_renders(server, page):
    page.goto(f"{server}/timeline")
    bars = _svg_ok(page, "#timeline", "rect.bar")
    assert bars >= 5
    assert page.locator("#timeline .legend-row span").count() >= 3
    page.goto(f"{server}/timeline?type=ACCUSE&mode=&actor=")
    _svg_ok(page, "#timeline", "rect.bar")
    types = set(page.locator("#timeline rect.bar").evaluate_all("els => els.map(e => e.dataset.type)"))
    assert types == {"ACCUSE"}
    assert page.js_errors == []


def test_network_renders(server, page):
    page.goto(f"{server}/network")
    _svg_ok(page, "#network", "circle.node")
    edges = page.locator("#network path.edge")
    assert edges.count() > 0
    widths = edges.evaluate_all("els => els.map(e => parseFloat(e.getAttribute('stroke-width')))")
    assert max(widths) > min(widths) or len(widths) == 1  # weight is visible
    labels = page.locator("#network svg text").all_text_contents()
    assert any("Coordination Council" in t for t in labels)
    assert page.js_errors == []


def test_actor_page(server, page):
    page.goto(f"{server}/actors/blr-cc")
    assert "Coordination Council" in page.locator("h1").inner_text()
    aliases = page.locator("#kb-aliases li, #stored-aliases li").all_inner_texts()
    assert aliases
    assert page.locator("#mentions tbody tr").count() >= 1
    page.goto(f"{server}/actors")
    page.locator("table.events tbody tr a").first.click()
    assert page.locator("h1").inner_text()
