"""parse stage, the learned trigger model, training and annotator agreement.

Sentences are written for these tests; gold files come from tests/gold and corpus/gold.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from claimscope.errors import DataFileError
from claimscope.evaluate import compare_gold
from claimscope.events import EventStage, load_lexicon
from claimscope.events.discourse import load_nouns
from claimscope.events.learned import DEFAULT_MODEL, TriggerModel
from claimscope.events.syntax import Tree
from claimscope.model import Document, RawDocument, Sentence
from claimscope.parse import Parser, load_nlp, pipeline_name
from claimscope.pipeline import Pipeline, PipelineConfig

ROOT = Path(__file__).resolve().parents[1]
PARSER = Parser()


def parsed(text: str, kinds: tuple[str, ...] = ()) -> Document:
    doc = Document(id="p", source="p", text=text)
    pos = 0
    for n, line in enumerate(text.split("\n")):
        if line.strip():
            kind = kinds[n] if n < len(kinds) else "sentence"
            doc.sentences.append(Sentence(len(doc.sentences), kind, pos, pos + len(line)))
        pos += len(line) + 1
    return PARSER(doc)


def test_tokens_keep_character_offsets_of_the_document():
    text = "Minsk\u00a0denied it.\n  “We call on Vilnius to act,” the ministry said.\nŁukašenka’s regime jailed 12 people"
    doc = parsed(text, ("sentence", "quote", "heading"))
    assert set(doc.parses) == {0, 1, 2}  # headings are parsed too: a headline can state an event
    for toks in doc.parses.values():
        for t in toks:
            assert doc.text[t.start:t.end] == t.text
            assert 0 <= t.head < len(toks) and all(0 <= c < len(toks) for c in t.children)


def test_our_sentence_boundaries_hold():
    doc = parsed("Dr. Kovac spoke. Then she left")  # one sentence of ours, two for spaCy's senter
    assert len(doc.parses) == 1 and doc.parses[0][-1].text == "left"


def test_only_the_needed_components_run():
    nlp = load_nlp(PARSER.name)
    assert "parser" in nlp.pipe_names and "lemmatizer" in nlp.pipe_names
    assert "ner" not in nlp.pipe_names  # the actors stage finds names; NER would double the cost


def test_pipeline_setting_names_a_bad_pipeline_clearly(monkeypatch):
    monkeypatch.setenv("CLAIMSCOPE_NLP", "no_such_pipeline_xyz")
    assert pipeline_name() == "no_such_pipeline_xyz"
    with pytest.raises(ValueError, match="no_such_pipeline_xyz"):
        load_nlp("no_such_pipeline_xyz")


def test_cli_nlp_option_reaches_the_pipeline(tmp_path, claimscope_proc):
    run_claimscope = claimscope_proc
    f = tmp_path / "a.txt"
    f.write_text("Ruritania condemned the arrests.", encoding="utf-8")
    r = run_claimscope("analyze", f, "--format", "json", "--nlp", "no_such_pipeline_xyz")
    assert r.returncode != 0 and b"no_such_pipeline_xyz" in r.stderr
    assert b"Traceback" not in r.stderr


@pytest.mark.parametrize("sentence", ["Kovac called on Borduria to act.", "Kovac calls on Borduria to act.",
                                      "Kovac is calling on Borduria to act."])
def test_triggers_match_on_lemmas_in_every_inflection(sentence):
    doc = parsed(sentence)
    toks = doc.parses[0]
    found = load_lexicon().match([t.lower for t in toks], [t.lemma for t in toks], [t.pos for t in toks])
    assert [m.trigger.type for m in found] == ["REQUEST"]


def test_noun_classes_file_errors_name_file_and_field(tmp_path):
    bad = tmp_path / "nouns.yaml"
    bad.write_text("people_like: [x]\n", encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        load_nouns([bad])
    assert err.value.field == "people_like" and str(bad) in str(err.value)
    bad.write_text("human: 3\n", encoding="utf-8")
    with pytest.raises(DataFileError):
        load_nouns([bad])


# ------------------------------------------------------------------ the learned model

def test_bundled_model_loads_small_and_predicts_types():
    assert DEFAULT_MODEL.stat().st_size < 50 * 1024 * 1024
    model = TriggerModel.load()
    assert "NONE" in model.labels and "REQUEST" in model.labels
    stage = EventStage(load_lexicon(), load_nouns(), model, "both")
    doc = parsed("The Freedom Union urged Borduria to release the detained journalists.")
    tree = Tree(doc.parses[0])
    scores = model.predict(tree, stage.rule_preds(tree))
    urged = next(t.i for t in tree.toks if t.text == "urged")
    label, prob, p_none = scores[urged]
    assert label == "REQUEST" and p_none < 0.5 and 0 < prob <= 1


def test_a_corrupt_model_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "m.npz"
    bad.write_bytes(b"not a model")
    with pytest.raises(ValueError, match="cannot load trigger model"):
        TriggerModel.load(bad)


def test_combine_modes(tmp_path):
    text = "Borduria attacked Syldavia. The Freedom Union condemned the attack and called on Borduria to stop."
    raw = RawDocument("c.txt", data=text.encode())
    got = {}
    for mode in ("rules", "model", "both"):
        doc = Pipeline(PipelineConfig(combine=mode)).analyze(raw)
        got[mode] = sorted(e.type for e in doc.events)
        for e in doc.events:  # provenance holds whichever component proposed the event
            assert doc.text[e.span.start:e.span.end] == e.span.text
            assert doc.text[e.trigger.start:e.trigger.end] == e.trigger.text
    assert "REQUEST" in got["rules"] and "REQUEST" in got["both"]
    with pytest.raises(ValueError):
        EventStage(load_lexicon(), load_nouns(), TriggerModel.load(), "sometimes")


def test_training_writes_a_model_that_loads(tmp_path):
    from claimscope.train import train

    out = tmp_path / "m.npz"
    summary = train([ROOT / "tests/gold/extra.jsonl"], out, Pipeline(PipelineConfig(model=None)))
    assert summary["documents"] == 4 and summary["labels"]["NONE"] > 0
    model = TriggerModel.load(out)
    assert model.weights.shape == (len(model.vocab), len(model.labels))
    doc = Pipeline(PipelineConfig(model=out)).analyze(RawDocument("t.txt", data=b"Ruritania condemned the arrests."))
    assert doc.events


@pytest.mark.slow
def test_make_train_reproduces_the_bundled_model(tmp_path):
    """The shipped artefact is exactly what `make train` writes from the gold in the repo."""
    from claimscope.train import train

    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    block = make.split("TRAIN_GOLD :=", 1)[1].replace("\\\n", " ")
    files = block.split("\n", 1)[0].split()
    out = tmp_path / "m.npz"
    train([ROOT / f for f in files], out, Pipeline(PipelineConfig(model=None)))
    fresh, shipped = np.load(out), np.load(DEFAULT_MODEL)
    assert list(fresh["features"]) == list(shipped["features"])
    assert list(fresh["labels"]) == list(shipped["labels"])
    assert np.allclose(fresh["weights"].astype(np.float32), shipped["weights"].astype(np.float32), atol=1e-2)


# ------------------------------------------------------------------ annotator agreement

def test_compare_a_gold_file_with_itself_is_perfect():
    report = compare_gold(ROOT / "tests/gold/extra.jsonl", ROOT / "tests/gold/extra.jsonl")
    assert report["events"]["f1"] == 1.0
    assert report["found"]["actor"]["accuracy"] == 1.0
    assert report["found"]["recipients"]["recall"] == 1.0


def test_compare_two_annotators_scores_the_overlap(tmp_path):
    gold = [json.loads(x) for x in (ROOT / "tests/gold/extra.jsonl").read_text(encoding="utf-8").splitlines()]
    other = json.loads(json.dumps(gold[0]))
    other["events"] = other["events"][1:]  # the second annotator missed one event …
    other["events"][0]["type"] = "SUPPORT" if other["events"][0]["type"] != "SUPPORT" else "ACCUSE"  # … and retyped one
    b = ROOT / "tests/gold" / "_compare_b.jsonl"  # beside the reference so `file` resolves the same way
    try:
        b.write_text(json.dumps(other) + "\n", encoding="utf-8")
        report = compare_gold(ROOT / "tests/gold/extra.jsonl", b)
    finally:
        b.unlink()
    n = len(gold[0]["events"])
    assert report["documents"] == 1 and report["events"]["gold"] == n
    assert report["events"]["tp"] == n - 2
    assert any(k.startswith(gold[0]["events"][1]["type"]) for k in report["confusion"])


def test_eval_cli_compare_and_bad_combine(claimscope_proc):
    run_claimscope = claimscope_proc
    r = run_claimscope("eval", "tests/gold/extra.jsonl", "--compare", "tests/gold/extra.jsonl", cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert b"F1 1.000" in r.stdout
    r = run_claimscope("eval", "tests/gold/extra.jsonl", "--combine", "sometimes", cwd=ROOT)
    assert r.returncode == 2 and b"--combine" in r.stderr


def test_only_english_sentences_of_a_non_english_document_are_parsed():
    russian = ("Министерство иностранных дел Беларуси осудило новые санкции Европейского союза. "
               "В заявлении ведомства говорится, что Минск ответит зеркальными мерами. " * 3)
    mixed = russian + "\nThe ministry condemned the new sanctions and called on Brussels to lift them."
    doc = Pipeline(PipelineConfig()).analyze(RawDocument("m.txt", data=mixed.encode()))
    assert doc.language != "en"
    parsed = [doc.text[s.start:s.end] for s in doc.sentences if s.id in doc.parses]
    assert parsed == ["The ministry condemned the new sanctions and called on Brussels to lift them."]
    assert {e.type for e in doc.events} >= {"ACCUSE", "REQUEST"}


def test_gold_checker_reports_bad_lines(tmp_path):
    """scripts/check_gold.py (annotators run it bare) checks SPEC §2 codes and verbatim `where`."""
    import subprocess
    import sys

    doc = tmp_path / "d.txt"
    doc.write_text("Ruritania condemned the arrests.", encoding="utf-8")
    good = {"file": "d.txt", "actors": [{"name": "Ruritania", "aliases": [], "country": "RUR", "sector": "GOV"}],
            "events": [{"where": "condemned the arrests", "type": "ACCUSE", "mode": "disapprove",
                        "actor": "Ruritania", "recipients": [], "aux": []}]}
    bad = json.loads(json.dumps(good))
    bad["events"][0].update(where="condemned the arrest of", mode="troops")
    bad["actors"][0]["sector"] = "XYZ"
    script = ROOT / "scripts" / "check_gold.py"
    for line, problems in ((good, 0), (bad, 3)):
        gold = tmp_path / "g.jsonl"
        gold.write_text(json.dumps(line) + "\n", encoding="utf-8")
        r = subprocess.run([sys.executable, str(script), str(gold), "--root", str(tmp_path)],
                           capture_output=True, text=True)
        assert r.returncode == (1 if problems else 0), r.stdout
        assert f"{problems} problems" in r.stdout
