"""Publication dates and time expressions on the gold sets, through extract + segment + time."""
from __future__ import annotations

from pathlib import Path

import pytest

from claimscope.evaluate import evaluate
from claimscope.extract import extract, load_boilerplate
from claimscope.model import Document, RawDocument
from claimscope.segment import segment
from claimscope.temporal import annotate_times

HERE = Path(__file__).parent
SHARED = HERE.parent.parent / "shared" / "corpus" / "gold.jsonl"


class TimeOnly:
    def __init__(self) -> None:
        self.bp = load_boilerplate()

    def analyze(self, raw: RawDocument) -> Document:
        doc = extract(raw, self.bp)
        segment(doc)
        return annotate_times(doc)


@pytest.mark.parametrize("gold", [HERE / "gold" / "extra.jsonl", SHARED],
                         ids=["extra", "shared"])
def test_dates_and_times_on_gold(gold):
    if not gold.exists():
        pytest.skip(f"{gold} not available")
    r = evaluate(gold, TimeOnly())
    assert r["dates"]["accuracy"] >= 0.95
    assert r["times"]["precision"] >= 0.9 and r["times"]["recall"] >= 0.9
