"""The output contract (SPEC §4) on every seed, dev, train, blind-round and fixture document,
whatever the later stages add: each analysis validates against
../shared/schema/analysis.schema.json, and for EVERY span — sentences, entity mentions, event
span/trigger/actor/recipients/object, times — `document.text[start:end] == text`. This is the
provenance invariant of the whole product."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimscope.model import Document, Failure
from claimscope.serialize import from_analysis, to_analysis

TESTS = Path(__file__).resolve().parent
CORPUS = TESTS.parents[1] / "shared" / "corpus"
SEED_FILES = sorted((CORPUS / "seeds").glob("*.txt"))
DEV_FILES = sorted((CORPUS / "dev").glob("*.txt"))
FOUNDATION = TESTS / "data" / "foundation"

FIXTURES = sorted(p for p in FOUNDATION.iterdir() if p.is_file())
GOLD_DOCS = sorted((TESTS / "gold" / "docs").glob("*.txt"))  # our own gold and held-out texts
BLIND_DOCS = sorted((TESTS.parent / "corpus" / "texts").glob("*.txt"))  # the blind rounds' texts
TRAIN_FILES = sorted((CORPUS / "train").glob("*.txt"))  # the annotated corpus, every genre
ALL_INPUTS = SEED_FILES + DEV_FILES + FIXTURES + GOLD_DOCS + BLIND_DOCS + TRAIN_FILES


@pytest.fixture(scope="module")
def analyses(pipeline):
    """source file name -> list of (Document, analysis) (a JSONL file gives several)."""
    out: dict[str, list] = {}
    for path in ALL_INPUTS:
        docs = []
        for item in pipeline.run([str(path)]):
            assert not isinstance(item, Failure), f"{path.name}: {item.reason}"
            docs.append((item, to_analysis(item)))
        out[f"{path.parent.name}/{path.name}"] = docs
    return out


def _ids():
    return [f"{p.parent.name}/{p.name}" for p in ALL_INPUTS]


def test_fixture_set_is_complete():
    suffixes = {p.suffix for p in FIXTURES}
    assert {".html", ".jsonl", ".txt"} <= suffixes
    assert len(SEED_FILES) == 4 and len(DEV_FILES) == 20
    assert len(BLIND_DOCS) >= 40 and len(TRAIN_FILES) >= 140


def _spans(a: dict):
    """Every (where, start, end, text) of an analysis."""
    for s in a["sentences"]:
        yield f"sentence {s['id']}", s["start"], s["end"], s.get("text")
    for e in a["entities"]:
        for i, m in enumerate(e["mentions"]):
            yield f"entity {e['id']} mention {i}", m["start"], m["end"], m["text"]
    for ev in a["events"]:
        yield f"event {ev['id']} span", ev["span"]["start"], ev["span"]["end"], ev["span"]["text"]
        yield f"event {ev['id']} trigger", ev["trigger"]["start"], ev["trigger"]["end"], ev["trigger"]["text"]
        roles = [("actor", ev["actor"]), ("object", ev.get("object"))] + \
                [(f"recipient {i}", r) for i, r in enumerate(ev["recipients"])]
        for name, role in roles:
            if role is not None:
                yield f"event {ev['id']} {name}", role["start"], role["end"], role["text"]
    for i, t in enumerate(a["times"]):
        yield f"time {i}", t["start"], t["end"], t["text"]


@pytest.mark.parametrize("name", _ids())
def test_schema_valid(analyses, validator, name):
    for _, a in analyses[name]:
        errors = sorted(validator.iter_errors(a), key=lambda e: list(e.absolute_path))
        assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])
        json.dumps(a, ensure_ascii=False)  # serialisable as is


@pytest.mark.parametrize("name", _ids())
def test_every_span_points_into_text(analyses, name):
    for _, a in analyses[name]:
        text = a["document"]["text"]
        bad = []
        for where, start, end, span_text in _spans(a):
            if not (0 <= start <= end <= len(text)) or text[start:end] != span_text:
                bad.append(f"{where}: [{start}:{end}] {span_text!r} != {text[start:end]!r}")
        assert not bad, "\n".join(bad[:20])


@pytest.mark.parametrize("name", _ids())
def test_document_level_invariants(analyses, name):
    for doc, a in analyses[name]:
        assert isinstance(doc, Document) and doc.text.strip()
        text = doc.text
        # Document.mentions is not serialised but is a span list too
        for m in doc.mentions:
            assert text[m.start:m.end] == m.text, m
        entity_ids = {e.id for e in doc.entities}
        assert len(entity_ids) == len(doc.entities), "duplicate entity ids"
        for m in doc.mentions:
            assert m.entity in entity_ids, f"mention of unknown entity {m.entity}"
        # sentences: ordered, non-overlapping, stripped, ids = positions, parents point back
        prev = 0
        for i, s in enumerate(doc.sentences):
            assert s.id == i and prev <= s.start < s.end
            piece = text[s.start:s.end]
            assert piece == piece.strip()
            if s.parent is not None:
                assert s.kind == "list_item" and 0 <= s.parent < i
            prev = s.end
        n = len(doc.sentences)
        for ev in doc.events:
            assert 0 <= ev.sentence < n
            for role in [ev.actor, ev.object, *ev.recipients]:
                if role is not None and role.entity is not None:
                    assert role.entity in entity_ids, f"event role points to unknown entity {role.entity}"
        assert len({ev.id for ev in doc.events}) == len(doc.events), "duplicate event ids"
        assert a["document"]["id"] == doc.id


@pytest.mark.parametrize("name", _ids())
def test_round_trip(analyses, name):
    for _, a in analyses[name]:
        assert to_analysis(from_analysis(a)) == a


def test_fixture_metadata(analyses):
    [(html, _)] = analyses["foundation/statement.html"]
    assert html.published == "2023-02-24" and html.published_from == "metadata"
    records = analyses["foundation/records.jsonl"]
    assert len(records) == 3
    assert records[0][0].published == "2023-03-06" and records[0][0].published_from == "given"
    assert records[1][0].media_type == "text/html" and "Vilnius" in records[1][0].text
    assert records[2][0].language == "ru"
    [(be, _)] = analyses["foundation/belarusian_cp1251.txt"]
    assert be.text.startswith("Каардынацыйная рада Беларусі") and be.language == "be"
