"""SPEC §5 scoring, checked against hand-computed numbers on tests/gold/eval_mini.jsonl."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimscope.evaluate import evaluate, evaluate_documents, fold_name, render_table
from claimscope.model import Document, Entity, Event, RawDocument, Role, Span, TimeExpression

GOLD = Path(__file__).parent / "gold" / "eval_mini.jsonl"


def _sent_span(text: str, needle: str) -> Span:
    """The sentence (up to '.') containing needle."""
    i = text.index(needle)
    s = text.rfind(".", 0, i) + 1
    while text[s].isspace():
        s += 1
    e = text.index(".", i) + 1
    return Span(s, e, text[s:e])


def _role(text: str, needle: str, entity: str | None, name: str) -> Role:
    i = text.index(needle)
    return Role(entity, name, i, i + len(needle), needle)


def _ev(doc: Document, n: int, etype: str, where: str, trigger: str, actor: Role | None,
        recipients=(), mode=None, aux=()) -> Event:
    span = _sent_span(doc.text, where)
    t = doc.text.index(trigger, span.start)
    return Event(id=f"e{n}", type=etype, mode=mode, span=span,
                 trigger=Span(t, t + len(trigger), trigger), sentence=0, actor=actor,
                 recipients=list(recipients), aux=list(aux))


class FakePipeline:
    """Returns hand-made analyses for the three mini documents."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def analyze(self, raw: RawDocument) -> Document:
        text = raw.data.decode("utf-8")
        name = Path(raw.source).name
        self.seen.append(name)
        doc = Document(id=name, source=raw.source, text=text)
        if name == "eval_a.txt":
            doc.entities = [
                Entity("rus", "Russian Federation", "country", True, ["Russia"]),
                Entity("ukr", "Ukraine", "country", True),
                Entity("pol", "Poland", "country", True),
                Entity("blr", "Belarus", "country", True),
                Entity("x:eu", "EU", "organization", False),
            ]
            doc.events = [
                _ev(doc, 0, "ASSAULT", "Russia attacked", "attacked",
                    _role(text, "Russia", "rus", "Russian Federation"),
                    [_role(text, "Ukraine", "ukr", "Ukraine")]),
                _ev(doc, 1, "ACCUSE", "condemned", "condemned",
                    _role(text, "Poland", "pol", "Poland"),
                    [_role(text, "Russia and", "rus", "Russian Federation")], mode="disapprove"),
                _ev(doc, 2, "REQUEST", "We call", "call", None,
                    [_role(text, "EU", "x:eu", "EU")]),
                _ev(doc, 3, "SUPPORT", "We call", "act", None),
            ]
            doc.published = "2022-02-24"
            doc.times = [TimeExpression(0, 1, "R", "2022-02-24"), TimeExpression(1, 2, "u", "2021"),
                         TimeExpression(2, 3, "s", None)]
        elif name == "eval_b.txt":
            doc.entities = [Entity("blr-luk", "Łukašenka", "person", True, ["Lukashenka"]),
                            Entity("x:opp", "opposition", "group", False)]
            doc.events = [
                _ev(doc, 0, "COERCE", "arrested", "arrested",
                    _role(text, "regime", None, "Government of Belarus"), mode="arrest"),
                _ev(doc, 1, "THREATEN", "threatened", "threatened",
                    _role(text, "Lukashenka", "blr-luk", "Lukasenka")),
                _ev(doc, 2, "PROTEST", "protested", "protested",
                    _role(text, "opposition", "x:opp", "opposition")),
            ]
            doc.published = "2023"
        else:  # eval_c: two REJECT events sharing one sentence span
            doc.entities = [Entity("blr-gov", "Government of Belarus", "organization", True)]
            minsk = _role(text, "Minsk", "blr-gov", "Minsk")
            doc.events = [
                _ev(doc, 0, "REJECT", "refused", "refused", minsk, mode="meet"),
                _ev(doc, 1, "REJECT", "refused", "rejected", minsk),
            ]
            doc.times = [TimeExpression(0, 1, "M", "--08-10")]
        return doc


@pytest.fixture(scope="module")
def report():
    return evaluate(GOLD, FakePipeline())


def test_reads_every_gold_document_relative_to_gold_dir():
    fp = FakePipeline()
    evaluate(GOLD, fp)
    assert fp.seen == ["eval_a.txt", "eval_b.txt", "eval_c.txt"]


def test_event_counts_and_one_match_per_predicted_event(report):
    ev = report["events"]
    # A: 4 gold, the second "condemned Russia" cannot reuse the one predicted ACCUSE; SUPPORT is FP
    assert (ev["gold"], ev["pred"], ev["tp"]) == (9, 9, 8)
    assert ev["precision"] == pytest.approx(8 / 9)
    assert ev["recall"] == pytest.approx(8 / 9)
    pt = report["per_type"]
    assert (pt["ACCUSE"]["gold"], pt["ACCUSE"]["pred"], pt["ACCUSE"]["tp"]) == (2, 1, 1)
    assert pt["ACCUSE"]["recall"] == 0.5 and pt["ACCUSE"]["precision"] == 1.0
    assert (pt["SUPPORT"]["gold"], pt["SUPPORT"]["pred"], pt["SUPPORT"]["tp"]) == (0, 1, 0)
    assert pt["SUPPORT"]["recall"] is None and pt["SUPPORT"]["precision"] == 0.0
    assert pt["REJECT"]["tp"] == 2
    assert report["per_document"][0]["missed"] == ["ACCUSE: condemned Russia"]


def test_whitespace_folded_in_where(report):
    # "arrested  protesters" (two spaces) vs "arrested\nprotesters" in the text
    assert report["per_type"]["COERCE"]["tp"] == 1


def test_actor_accuracy_aliases_folding_and_null(report):
    # A: Russia via alias, Poland, null==null ok; B: gold not in list (Government of Belarus) ok,
    # Łukašenka folded ok, gold null vs predicted opposition wrong; C: entity name ok twice
    a = report["found"]["actor"]
    assert (a["correct"], a["total"]) == (7, 8)
    wrong = report["per_document"][1]["wrong_actor"]
    assert wrong == [{"where": "The opposition protested", "gold": None, "pred": "opposition",
                      "trigger": "protested", "pred_text": "opposition"}]


def test_recipients_mode_negation(report):
    f = report["found"]
    assert (f["recipients"]["tp"], f["recipients"]["gold"], f["recipients"]["pred"]) == (3, 4, 3)
    # trigger preference in C makes both modes right; A's REQUEST mode is wrong
    assert (f["mode"]["correct"], f["mode"]["total"]) == (7, 8)
    assert (f["negation"]["correct"], f["negation"]["total"]) == (7, 8)
    assert f["aux"]["negation"]["gold"] == 1 and f["aux"]["negation"]["tp"] == 0
    assert f["aux"]["future"]["accuracy"] == 1.0


def test_actor_sets(report):
    a = report["actors"]
    assert (a["pred_matched"], a["pred"], a["gold_matched"], a["gold"]) == (4, 6, 4, 5)
    assert a["precision"] == pytest.approx(4 / 6)
    assert a["recall"] == pytest.approx(4 / 5)


def test_dates_and_times(report):
    d = report["dates"]
    assert (d["correct"], d["total"]) == (1, 2)  # C has no "published": not scored
    t = report["times"]
    assert (t["tp"], t["pred"], t["gold"]) == (2, 3, 4)  # None values are not predictions


def test_null_published_equals_null():
    doc = Document(id="d", source="d", text="x")
    r = evaluate_documents([(doc, {"file": "d", "published": None, "events": []})])
    assert r["dates"]["accuracy"] == 1.0
    assert r["events"]["precision"] is None


def test_trigger_preference_when_several_contain_where():
    text = "Minsk refused talks and rejected the sanctions."
    doc = Document(id="d", source="d", text=text)
    span = Span(0, len(text), text)
    doc.events = [Event("a", "REJECT", "meet", span, Span(6, 13, "refused"), 0),
                  Event("b", "REJECT", None, span, Span(24, 32, "rejected"), 0)]
    r = evaluate_documents([(doc, {"file": "d", "events": [
        {"where": "rejected the sanctions", "type": "REJECT", "mode": None, "actor": None},
        {"where": "refused talks", "type": "REJECT", "mode": "meet", "actor": None}]})])
    assert r["found"]["mode"]["correct"] == 2


def test_fold_name():
    assert fold_name("Śviatłana  Cichanoŭskaja") == "sviatlana cichanouskaja"
    assert fold_name("Lukashenka’s") == "lukashenka's"
    assert fold_name("Straße") == "strasse"
    assert fold_name("Лукашэнка") == "лукашэнка"


def test_json_and_table(report):
    json.dumps(report)
    table = render_table(report, per_document=True)
    assert "EVENTS" in table and "ACCUSE" in table and "DATES" in table and "eval_a.txt" in table


def test_missing_file(tmp_path):
    g = tmp_path / "g.jsonl"
    g.write_text('{"file": "nope.txt", "events": []}\n')
    with pytest.raises(FileNotFoundError):
        evaluate(g, FakePipeline())
