"""The API reference page in headless chromium: rendered from the OpenAPI schema on the server,
so it works offline and under the app's CSP (no CDN, no script)."""
from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def test_api_reference_page(server, page):
    blocked = []
    page.on("requestfailed", lambda r: blocked.append(r.url))
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{server}/api/docs")
    assert page.locator("section.operation").count() >= 8
    assert page.locator("#api-toc a").count() >= 8
    page.click("#api-toc a:has-text('GET /api/events')")
    assert "GET /api/events" in page.locator("section.operation:target h2").inner_text()
    assert page.locator("section.operation:target table.params td code", has_text="type").count() >= 1
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "issue11-api-docs.png"), full_page=True)
    assert blocked == [] and page.js_errors == []
