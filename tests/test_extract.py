"""extract stage: boilerplate removal on the seeds, kept characters never rewritten, user and bad
boilerplate files, HTML main text and metadata."""
from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from claimscope.errors import DataFileError
from claimscope.extract import clean_text, load_boilerplate
from claimscope.model import RawDocument
from claimscope.pipeline import Pipeline, PipelineConfig
from claimscope.read import iter_inputs

TESTS = Path(__file__).resolve().parent
SEEDS = TESTS.parents[1] / "shared" / "corpus" / "seeds"
FOUNDATION = TESTS / "data" / "foundation"


def _seed(prefix: str):
    [path] = SEEDS.glob(f"{prefix}_*.txt")
    return path


@pytest.fixture(scope="session")
def seed_docs(pipeline):
    out = {}
    for prefix in ("000", "001", "003", "004"):
        path = _seed(prefix)
        [raw] = iter_inputs([str(path)])
        out[prefix] = (path.read_text("utf-8"), pipeline.analyze(raw))
    return out


def _is_teaser(line: str) -> bool:
    return line.startswith("- ")


# per seed: the exact source lines that are boilerplate (everything else must be kept)
BOILERPLATE = {
    "000": lambda line: line == "Share this",
    "001": _is_teaser,
    "003": lambda line: line in ("top of page", "bottom of page"),
    "004": lambda line: line in ("All News", "Archive news", "English version",
                                 "Discuss in social networks:", "Facebook | Instagram | Telegram | Twitter"),
}


@pytest.mark.parametrize("prefix", sorted(BOILERPLATE))
def test_seed_lines_removed_and_kept_exactly(seed_docs, prefix):
    """Every boilerplate line goes to `removed` with a reason; every other line is kept verbatim,
    in order (only whole lines are dropped, nothing kept is rewritten)."""
    source, doc = seed_docs[prefix]
    lines = [line.strip() for line in source.splitlines() if line.strip()]
    is_bp = BOILERPLATE[prefix]
    expected_removed = [line for line in lines if is_bp(line)]
    assert expected_removed, "the seed has boilerplate"
    assert [line for line in doc.text.split("\n") if line] == [line for line in lines if not is_bp(line)]
    removed_lines = [part for r in doc.removed for part in r.text.split("\n")]
    assert removed_lines == expected_removed
    assert all(r.reason and r.reason.strip() for r in doc.removed)


def test_seed_004_social_lines_have_reasons(seed_docs):
    _, doc = seed_docs["004"]
    reasons = {r.text: r.reason for r in doc.removed}
    assert set(reasons) == {"All News", "Archive news", "English version",
                            "Discuss in social networks:", "Facebook | Instagram | Telegram | Twitter"}
    assert reasons["Facebook | Instagram | Telegram | Twitter"]


def test_seed_001_teaser_list_gone(seed_docs):
    _, doc = seed_docs["001"]
    assert "The material is available only to" not in doc.text
    assert "POZIRK" not in doc.text
    assert not re.search(r"^- ", doc.text, re.M)
    assert doc.text.rstrip().endswith("Belarus says its troops are not directly involved in hostilities in Ukraine.")
    assert len(doc.removed) == 20


SAMPLES = {
    "000": [
        "The statement of the Coordinating Council of Belarus on the anniversary of the start of a "
        "full-scale Russian invasion of Ukraine",
        "The war, lasting since 2014, has entered every Ukrainian family.",
        "The Coordination Council of Belarus fully supports the government and the people of independent "
        "Ukraine in their decisive fight against the aggressor.",
        "A majority of Belarusians supported Ukraine during the “dignity” on the Maidan",
        "as long as they remain a potential threat to the “Russian world.”",
        "It will also have a historical responsibility for the activities of Lukashenka’s terrorist regime",
        "At the same time, we declare that we will make every effort to constantly support Ukraine.",
        "Glory to Ukraine! Long live Belarus!",
    ],
    "001": [
        "Belarusian opposition calls invasion of Ukraine international crime by Kremlin, Łukašenka",
        "The Belarusian opposition cabinet has called aggression against Ukraine “an international crime on "
        "the part of Russia and the Łukašenka regime.”",
        "“We call on the governments of all countries to provide Ukraine with all necessary assistance, "
        "including weapons, to fight off Russian invaders,” it added.",
        "the cabinet’s chairwoman Śviatłana Cichanoŭskaja and the Ukrainian delegation led by senior MP "
        "Mykyta Poturaiev met in Vienna",
        "They also touched on anti-Ukrainian propaganda,” the aide to Cichanoŭskaja said.",
        "Russia has repeatedly struck Ukraine from Belarusian territory, where it has an increased military presence.",
        "At the same time, Belarus says its troops are not directly involved in hostilities in Ukraine.",
    ],
    "003": [
        "We Belarusians are against the war!",
        "Appeal of the National Anti-Crisis Management on the threat to the independence of the Republic of Belarus",
        "The Lukashenka regime has lost control over the territory of Belarus.",
        "And in this regard, we call on the democracies of the world:",
        "Declare non-recognition of Lukashenka, as France and the European Parliament and other states of "
        "the world have already done.",
        "Expand sanctions, including against the military-industrial complex,",
        "Remember that you took an oath of allegiance to the Belarusian people.",
        "The National Anti-Crisis Management declares countering a possible armed conflict as its main current task",
    ],
    "004": [
        "Russia has occupied Belarus",
        "We\u00a0state that the Republic of\u00a0Belarus is\u00a0temporarily occupied territory, the Russian "
        "Federation is\u00a0an\u00a0occupying country, and the Lukashenko regime is\u00a0a\u00a0puppet government.",
        "1) Preservation of\u00a0the territorial integrity and independence of\u00a0Belarus.",
        "(UN, IMF, Interpol, etc.) until the occupation is\u00a0terminated and a\u00a0new government "
        "is\u00a0democratically formed.",
        "5) To\u00a0synchronize sanctions against Russia and Belarus as\u00a0an\u00a0occupied territory and "
        "eliminate opportunities for Russia to\u00a0circumvent sanctions through Belarus and use our country "
        "as\u00a0an\u00a0offshore zone.",
    ],
}


@pytest.mark.parametrize("prefix", sorted(SAMPLES))
def test_seed_statement_sentences_kept(seed_docs, prefix):
    _, doc = seed_docs[prefix]
    for sentence in SAMPLES[prefix]:
        assert sentence in doc.text, sentence


def test_seed_characters_never_rewritten(seed_docs):
    source, doc = seed_docs["004"]
    assert doc.text.count("\u00a0") == source.count("\u00a0") > 50
    for prefix in ("000", "001"):
        source, doc = seed_docs[prefix]
        for ch in "“”’Łłšŭś":
            kept = sum(line.count(ch) for line in source.splitlines() if not BOILERPLATE[prefix](line.strip()))
            assert doc.text.count(ch) == kept, (prefix, ch)


def test_seed_titles(seed_docs):
    assert seed_docs["001"][1].title == ("Belarusian opposition calls invasion of Ukraine international crime "
                                         "by Kremlin, Łukašenka")
    assert seed_docs["004"][1].title == "Russia has occupied Belarus"


def test_clean_text_folds_blank_lines_and_strips_line_ends():
    text, removed = clean_text("  First line.  \r\n\r\n\r\n\n Second\u00a0line. \n\n\n", load_boilerplate())
    assert text == "First line.\n\nSecond\u00a0line."
    assert removed == []


def test_clean_text_rest_scope_removes_tail():
    body = "Real statement here.\n\nRelated posts\nSome other headline\nAnother headline\n"
    text, removed = clean_text(body, load_boilerplate())
    assert text == "Real statement here."
    assert len(removed) == 1 and removed[0].text == "Related posts\nSome other headline\nAnother headline"


# ---------------------------------------------------------------- user boilerplate files

def _write(tmp_path, name, body):
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), "utf-8")
    return path


def test_user_boilerplate_extends_patterns(tmp_path):
    extra = _write(tmp_path, "mine.yaml", """\
        version: 1
        patterns:
          - {id: station-ident, pattern: 'you are listening to radio \\w+'}
          - {id: promo, pattern: 'promo code', search: true, ignore_case: false}
        """)
    body = ("You are listening to Radio Svaboda\nThe Council supports Ukraine.\n"
            "Use the promo code BEL10 today\nShare this\n")
    raw = RawDocument("t", text=body)
    default = Pipeline().analyze(raw)
    assert "You are listening to Radio Svaboda" in default.text
    doc = Pipeline(PipelineConfig(boilerplate_files=[extra])).analyze(raw)
    assert doc.text == "The Council supports Ukraine."
    assert {(r.text, r.reason) for r in doc.removed} == {
        ("You are listening to Radio Svaboda", "station-ident"),
        ("Use the promo code BEL10 today", "promo"), ("Share this", "share")}


def test_user_boilerplate_via_cli(cli, tmp_path):
    extra = _write(tmp_path, "mine.yaml", "patterns:\n  - {id: ident, pattern: 'radio \\w+ live'}\n")
    doc = _write(tmp_path, "doc.txt", "Radio Svaboda live\nThe Council supports Ukraine.\n")
    result = cli("analyze", doc, "--boilerplate", extra, "--format", "json", "--quiet")
    assert result.exit_code == 0, result.output
    import json

    analysis = json.loads(result.stdout)
    assert analysis["document"]["text"] == "The Council supports Ukraine."
    assert analysis["document"]["removed"] == [{"text": "Radio Svaboda live", "reason": "ident"}]


BAD_FILES = {
    "bad-regex": ("patterns:\n  - {id: ok, pattern: 'fine'}\n  - {id: broken, pattern: '(unclosed'}\n",
                  "broken", "pattern"),
    "unknown-field": ("patterns:\n  - {id: colourful, pattern: 'x', colour: red}\n", "colourful", "colour"),
    "missing-id": ("patterns:\n  - {pattern: 'x'}\n", "0", "id"),
    "bad-follow": ("patterns:\n  - {id: fol, pattern: 'x', follow: '[z-a]'}\n", "fol", "follow"),
    "bad-scope": ("patterns:\n  - {id: sc, pattern: 'x', scope: page}\n", "sc", "scope"),
    "empty-pattern": ("patterns:\n  - {id: em, pattern: ''}\n", "em", "pattern"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_boilerplate_raises_data_file_error(tmp_path, name):
    body, entry, field = BAD_FILES[name]
    path = _write(tmp_path, f"{name}.yaml", body)
    with pytest.raises(DataFileError) as info:
        load_boilerplate([path])
    err = info.value
    assert str(err.path) == str(path) and str(err.entry) == entry and err.field == field
    message = str(err)
    assert str(path) in message and f"entry {entry}" in message and f"'{field}'" in message
    assert "\n" not in message


@pytest.mark.parametrize("body", ["patterns: [\n  - {id: x", "just a string\n", "patterns: nope\n",
                                  "patterns:\n  - plain string entry\n"],
                         ids=["yaml-syntax", "not-mapping", "patterns-not-list", "entry-not-mapping"])
def test_malformed_boilerplate_file(tmp_path, body):
    path = _write(tmp_path, "bad.yaml", body)
    with pytest.raises(DataFileError) as info:
        load_boilerplate([path])
    assert str(path) in str(info.value)


@pytest.mark.parametrize("name", ["bad-regex", "unknown-field", "missing-id"])
def test_bad_boilerplate_cli_one_line_exit_2(tmp_path, claimscope_proc, name):
    body, entry, field = BAD_FILES[name]
    path = _write(tmp_path, "bad.yaml", body)
    proc = claimscope_proc("analyze", _seed("000"), "--boilerplate", path, "--db", tmp_path / "x.db")
    assert proc.returncode == 2, proc.stderr
    err = proc.stderr.decode().strip()
    assert len(err.splitlines()) == 1, err
    assert "Traceback" not in err and str(path) in err and f"'{field}'" in err
    assert proc.stdout == b""


# ---------------------------------------------------------------- HTML

@pytest.fixture(scope="session")
def html_doc(pipeline):
    [raw] = iter_inputs([str(FOUNDATION / "statement.html")])
    assert raw.media_type == "text/html"
    return pipeline.analyze(raw)


def test_html_metadata(html_doc):
    assert html_doc.title == "Council calls for sanctions against the regime"
    assert html_doc.author == "Anna Novak"
    assert html_doc.published == "2023-02-24"
    assert html_doc.published_from == "metadata"
    assert html_doc.media_type == "text/html"


def test_html_main_text_without_nav_and_footer(html_doc):
    text = html_doc.text
    assert "The Coordination Council of Belarus on Friday called on the European Union to expand sanctions" in text
    assert ("“We call on the governments of all countries to provide Ukraine with all necessary assistance, "
            "including weapons,” the statement said.") in text
    assert "Declare non-recognition of Lukashenka." in text
    assert text.rstrip().endswith("Glory to Ukraine! Long live Belarus!")
    for junk in ("About us", "Home", "Subscribe", "All rights reserved", "Privacy policy"):
        assert junk not in text, junk


def test_html_list_items_segmented(html_doc):
    items = [s for s in html_doc.sentences if s.kind == "list_item"]
    assert [html_doc.text[s.start:s.end] for s in items] == [
        "Declare non-recognition of Lukashenka.", "Expand sanctions against the military-industrial complex."]
    framing = html_doc.sentences[items[0].parent]
    assert html_doc.text[framing.start:framing.end] == "In the statement, the Council listed its demands:"


def test_html_without_main_text_fails_with_reason(analyze_text):
    with pytest.raises(ValueError, match="main text"):
        analyze_text("<html><head><title>x</title></head><body><div></div></body></html>", "text/html")


@pytest.mark.parametrize("body", ["Share this\nAll News\n\ntop of page\n", "Facebook | Telegram | Twitter\n"])
def test_only_boilerplate_fails_with_reason(analyze_text, body):
    with pytest.raises(ValueError, match="boilerplate"):
        analyze_text(body)


def test_given_metadata_wins(analyze_text):
    doc = analyze_text("The Council supports Ukraine.", title="Given title", published="2022-02-24T08:00:00",
                       author="A. Author", site="Site")
    assert (doc.title, doc.published, doc.published_from, doc.author, doc.site) == (
        "Given title", "2022-02-24", "given", "A. Author", "Site")
