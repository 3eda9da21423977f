"""The review flow in headless chromium (issue #11 item 4), by keyboard: j selects an event, x
marks it wrong, e edits it, selected text + a adds a missed event; each is stored with who and
before/after, shown on the page and applied in the API. Screenshots: tests/artifacts/s3-review-*.png."""
from __future__ import annotations

import json
import shutil

import pytest

from claimscope.serve.sample import sample_documents

pytestmark = pytest.mark.browser

STATEMENT = next(d for d in sample_documents() if d.site == "rada.vision")
TOKEN = "review-token-for-tests"


@pytest.fixture()
def review_server(browser_db, tmp_path, serve_app):
    from claimscope.serve.app import create_app

    db = tmp_path / "review.db"
    shutil.copy(browser_db, db)
    with serve_app(create_app(db, allow_review=True, token=TOKEN)) as url:
        yield url


def test_review_flow_by_keyboard(review_server, page, shot):
    server = review_server
    page.goto(f"{server}/documents/{STATEMENT.id}")
    assert page.locator("#review-add").is_visible()
    n = page.locator("button.event").count()
    # j selects the first event; x opens "mark wrong"
    page.locator("body").press("j")
    first = page.locator("button.event.selected").get_attribute("data-event")
    page.keyboard.press("x")
    assert page.locator("#review").is_visible()
    page.fill("#review-form input[name=reviewer]", "Analyst A")
    page.fill("#review-form input[name=token]", TOKEN)
    page.fill("#review-form textarea[name=note]", "not an event")
    page.locator("#review-form input[name=token]").press("Enter")  # Enter saves
    page.wait_for_selector(f'li.rejected button.event[data-event="{first}"]')
    shot(page, "s3-review-rejected")
    # j to the next event, e edits it: type and recipients (reviewer and token are remembered)
    page.locator("body").press("j")
    second = page.locator("button.event.selected").get_attribute("data-event")
    assert second != first
    page.keyboard.press("e")
    assert page.input_value("#review-form input[name=reviewer]") == "Analyst A"
    page.select_option("#review-form select[name=type]", "ACCUSE")
    page.fill("#review-form input[name=recipients]", "Russia; Ukraine")
    page.locator("#review-form input[name=recipients]").press("Enter")
    page.wait_for_selector(f'li.edited button.event[data-event="{second}"]')
    assert "ACCUSE" in page.locator(f'button.event[data-event="{second}"]').inner_text()
    assert "corrected by Analyst A" in page.locator(f'button.event[data-event="{second}"]').inner_text()
    # select words in the text, a adds a missed event
    page.evaluate("""() => {
        const text = document.getElementById('doctext');
        const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
        let node; while ((node = walker.nextNode()) && node.nodeValue.trim().length < 20) {}
        const range = document.createRange(); range.setStart(node, 0); range.setEnd(node, 20);
        const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
    }""")
    page.keyboard.press("a")
    assert "Add a missed event" in page.locator("#review-title").inner_text()
    page.select_option("#review-form select[name=type]", "PROTEST")
    page.fill("#review-form input[name=actor]", "Coordination Council of Belarus")
    page.locator("#review-form input[name=actor]").press("Enter")
    page.wait_for_selector("li.added button.event")
    assert page.locator("button.event").count() == n + 1
    shot(page, "s3-review-flow")
    # applied in the API with the reviewed flag; the history says who and what before/after
    rows = page.request.get(f"{server}/api/events?doc={STATEMENT.id}&limit=500").json()["items"]
    assert first not in [r["event_id"] for r in rows]
    edited = next(r for r in rows if r["event_id"] == second)
    assert edited["reviewed"] and edited["type"] == "ACCUSE" and edited["recipients"] == ["Russia", "Ukraine"]
    hist = page.request.get(f"{server}/api/corrections?doc={STATEMENT.id}").json()
    assert [c["action"] for c in hist] == ["reject", "edit", "add"]
    assert hist[1]["before"]["type"] != "ACCUSE" and hist[1]["after"]["type"] == "ACCUSE"
    assert hist[2]["after"]["type"] == "PROTEST" and hist[2]["anchor_end"] - hist[2]["anchor_start"] == 20
    assert all(c["reviewer"] == "Analyst A" for c in hist) and hist[0]["note"] == "not an event"
    # a wrong token is refused, and says so in the form
    bad = page.request.post(f"{server}/api/corrections", data=json.dumps(
        {"doc_id": STATEMENT.id, "action": "reject", "event_id": second, "reviewer": "x"}),
        headers={"Content-Type": "application/json", "X-Claimscope-Token": "wrong"})
    assert bad.status == 401
    page.locator(f'button.event[data-event="{second}"]').click()
    page.keyboard.press("x")
    page.fill("#review-form input[name=token]", "wrong")
    page.click("#review-submit")
    page.wait_for_selector("#review-status.error")
    assert "token" in page.locator("#review-status").inner_text()
    page.keyboard.press("Escape")
    assert not page.locator("#review").is_visible()
    assert page.js_errors == []
