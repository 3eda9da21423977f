"""The readable charts in headless chromium (issue #11 item 5): the timeline's step follows the
range, bars are not hairlines, one colour per type, the undated note, click-to-zoom; the network
shows linked actors by default with a toggle, merged ids, a legend, labels that do not overlap,
a minimum weight and one actor's neighbourhood. Screenshots: tests/artifacts/s3-*.png."""
from __future__ import annotations

import copy
import shutil

import pytest

from claimscope.serve.sample import sample_documents
from claimscope.store import Store

pytestmark = pytest.mark.browser

STATEMENT = next(d for d in sample_documents() if d.site == "rada.vision")
STEPS = ["day", "week", "month", "year"]


@pytest.fixture(scope="module")
def chart_server(browser_db, tmp_path_factory, serve_app):
    """The browser store plus an undated copy of one statement (so the note has something to say)."""
    from claimscope.serve.app import create_app

    db = tmp_path_factory.mktemp("charts") / "charts.db"
    shutil.copy(browser_db, db)
    twin = copy.deepcopy(STATEMENT)
    twin.id, twin.published = "undated-statement", None
    # other text after the statement, so the twin is another story, not a near-duplicate of it
    # (copies count once by default); the statement's offsets are unchanged
    twin.text += "\n\n" + "\n\n".join(d.text for d in sample_documents() if d.site != STATEMENT.site)
    for ev in twin.events:
        ev.date = None
    with Store(db) as store:
        store.add(twin)
    with serve_app(create_app(db)) as url:
        yield url


def _ready(page, box: str) -> None:
    page.wait_for_selector(f"{box}[data-ready] svg", timeout=15_000)


def test_timeline_steps_range_and_undated_note(chart_server, page, shot):
    server = chart_server
    page.goto(f"{server}/timeline")
    _ready(page, "#timeline")
    api = page.request.get(f"{server}/api/timeline").json()
    # years of events are not weekly hairlines: the step follows the range
    assert api["step"] in ("month", "year")
    assert page.get_attribute("#timeline svg", "data-step") == api["step"]
    assert api["undated"] >= len(STATEMENT.events)
    assert page.locator("#undated-note").inner_text() == f"{api['undated']} undated events not shown."
    widths = page.locator("#timeline rect.bar").evaluate_all("els => els.map(e => e.getBBox().width)")
    assert min(widths) >= 3  # bars, not hairlines
    colours = page.locator("#timeline .legend-row .swatch").evaluate_all(
        "els => els.map(e => getComputedStyle(e).backgroundColor)")
    assert len(colours) == len(api["types"]) == len(set(colours))  # a colour per type
    shot(page, "s3-timeline")
    # the range selector: clicking a bar zooms into its period, with a finer step
    page.locator("#timeline g.period[tabindex='0']").first.click()
    page.wait_for_url("**/timeline?*date_from=*")
    _ready(page, "#timeline")
    finer = page.get_attribute("#timeline svg", "data-step")
    assert STEPS.index(finer) < STEPS.index(api["step"])
    # a chosen step and the filters, case-insensitive
    page.goto(f"{server}/timeline?step=week&type=accuse")
    _ready(page, "#timeline")
    assert page.get_attribute("#timeline svg", "data-step") == "week"
    assert set(page.locator("#timeline rect.bar").evaluate_all("els => els.map(e => e.dataset.type)")) == {"ACCUSE"}
    shot(page, "s3-timeline-week-accuse")
    assert page.js_errors == []


def _overlapping(boxes):
    return [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]]


def test_network_is_readable(chart_server, page, shot):
    server = chart_server
    page.goto(f"{server}/network")
    _ready(page, "#network")
    for t in ("REQUEST", "ACCUSE", "SUPPORT"):  # the default types are shown as checked
        assert page.is_checked(f'input[name="type"][value="{t}"]')
    data = page.request.get(f"{server}/api/network").json()
    assert data["nodes"] and all(n["linked"] for n in data["nodes"])  # linked actors only by default
    ids = [n["id"] for n in data["nodes"]]
    assert len(ids) == len(set(ids))  # one node per entity id
    assert page.locator("#network circle.node").count() == len(ids)
    boxes = page.locator("#network text.node-label").evaluate_all(
        "els => els.map(e => { const b = e.getBBox(); return [b.x, b.y, b.width, b.height]; })")
    assert len(boxes) >= 3 and _overlapping(boxes) == []
    assert page.locator("#network-legend .legend-item").count() >= 2
    shot(page, "s3-network")
    # unlinked names only on request; a minimum edge weight from the form
    page.check('input[name="unlinked"]')
    page.fill('input[name="min_weight"]', "2")
    page.click("#apply")
    page.wait_for_url("**/network?*unlinked=true*")
    assert "max_edges=" not in page.url  # empty fields stay out of the URL
    _ready(page, "#network")
    info = page.locator("#network-info").inner_text()
    assert "unlinked names included" in info and "at least 2 events" in info
    heavy = page.request.get(f"{server}/api/network?min_weight=2&unlinked=true").json()
    assert all(e["weight"] >= 2 for e in heavy["edges"])
    assert page.locator("#network path.edge").count() == len(heavy["edges"])
    # one actor's neighbourhood: click the node
    page.goto(f"{server}/network")
    _ready(page, "#network")
    actor = page.locator("#network g.actor").first
    focus = actor.get_attribute("data-id")
    actor.click()
    page.wait_for_url("**/network?*focus=*")
    _ready(page, "#network")
    hood = page.request.get(f"{server}/api/network", params={"focus": focus}).json()
    assert hood["edges"] and all(focus in (e["source"], e["target"]) for e in hood["edges"])
    assert page.locator("#network path.edge").count() == len(hood["edges"])
    assert page.locator("#focus-clear").is_visible()
    shot(page, "s3-network-focus")
    assert page.js_errors == []
