"""segment stage: sentence boundaries, quotes, headings, list items with framing parents,
hard-wrapped lines, and a property test of the span invariants."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimscope.model import Document
from claimscope.segment import segment


def _segment(text: str) -> Document:
    return segment(Document(id="t", source="t", text=text))


def texts(text: str) -> list[str]:
    doc = _segment(text)
    return [doc.text[s.start:s.end] for s in doc.sentences]


def kinds(text: str) -> list[tuple[str, str]]:
    doc = _segment(text)
    return [(s.kind, doc.text[s.start:s.end]) for s in doc.sentences]


# ---------------------------------------------------------------- boundaries

@pytest.mark.parametrize("text, expected", [
    ("Mr. Smith met Dr. Jones in Minsk. They talked.", ["Mr. Smith met Dr. Jones in Minsk.", "They talked."]),
    ("Sanctions were imposed by the U.S. Treasury on Monday. Minsk protested.",
     ["Sanctions were imposed by the U.S. Treasury on Monday.", "Minsk protested."]),
    ("Several states, e.g. Lithuania and Poland, agreed. Others did not.",
     ["Several states, e.g. Lithuania and Poland, agreed.", "Others did not."]),
    ("Several states, i.e. Lithuania and Poland, agreed. Others did not.",
     ["Several states, i.e. Lithuania and Poland, agreed.", "Others did not."]),
    ("The vote took place on Aug. 9 2020 in Belarus. It was rigged.",
     ["The vote took place on Aug. 9 2020 in Belarus.", "It was rigged."]),
    ("The protests began on Aug. 9. Thousands were detained.",
     ["The protests began on Aug. 9.", "Thousands were detained."]),
    ("Prof. Ivanova and Gen. Volfovich spoke. Sen. Risch replied.",
     ["Prof. Ivanova and Gen. Volfovich spoke.", "Sen. Risch replied."]),
])
def test_abbreviations(text, expected):
    assert texts(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("J. K. Smith said the talks went well. Then he left.",
     ["J. K. Smith said the talks went well.", "Then he left."]),
    ("The report by S. Cichanoŭskaja was published. It was long.",
     ["The report by S. Cichanoŭskaja was published.", "It was long."]),
])
def test_initials(text, expected):
    assert texts(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Growth was 3.5 percent in 2022. Over 1,000 people were detained.",
     ["Growth was 3.5 percent in 2022.", "Over 1,000 people were detained."]),
    ("Sales fell 42.6 percent. Exports rose by 1,250.5 tonnes.",
     ["Sales fell 42.6 percent.", "Exports rose by 1,250.5 tonnes."]),
    ("The turnout was 80.1%. Nobody believed it.", ["The turnout was 80.1%.", "Nobody believed it."]),
])
def test_numbers(text, expected):
    assert texts(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("We waited... Then they came.", ["We waited...", "Then they came."]),
    ("We waited… Then they came.", ["We waited…", "Then they came."]),
    ("We waited... and then they came.", ["We waited... and then they came."]),
    ("We waited… and then they came.", ["We waited… and then they came."]),
    ("Why now? Because the war goes on! It must end.", ["Why now?", "Because the war goes on!", "It must end."]),
])
def test_ellipses_and_terminals(text, expected):
    assert texts(text) == expected


# ---------------------------------------------------------------- quotes

@pytest.mark.parametrize("text", [
    "“The war must end,” it said. The Council agreed.",
    "“The war must end.”, it said. The Council agreed.",
    "“The war must end!” it said. The Council agreed.",
    "\"The war must end,\" it said. The Council agreed.",
    "\"The war must end.\", it said. The Council agreed.",
])
def test_quote_followed_by_attribution_is_not_split(text):
    sentences = texts(text)
    assert len(sentences) == 2
    assert sentences[0].endswith("it said.") and sentences[1] == "The Council agreed."


def test_quote_kind_curly():
    assert kinds("“We are ready. We will fight,” the leader said. The war continues.") == [
        ("quote", "“We are ready."),
        ("quote", "We will fight,” the leader said."),
        ("sentence", "The war continues."),
    ]


def test_quote_kind_straight():
    assert kinds("\"We are ready. We will fight,\" the leader said. The war continues.") == [
        ("quote", "\"We are ready."),
        ("quote", "We will fight,\" the leader said."),
        ("sentence", "The war continues."),
    ]


def test_quote_kind_guillemets_and_sentence_with_inner_quote():
    assert kinds("«Мы гатовы. Мы будзем змагацца», сказаў ён. Вайна працягваецца.")[0][0] == "quote"
    # a quote inside a sentence does not make the sentence a quotation
    assert kinds("He called it “an international crime.” The Council agreed.") == [
        ("sentence", "He called it “an international crime.”"),
        ("sentence", "The Council agreed."),
    ]


# ---------------------------------------------------------------- headings, paragraphs, wrapping

def test_heading_then_sentences():
    assert kinds("Statement of the Council\n\nThe Council supports Ukraine. It says so.") == [
        ("heading", "Statement of the Council"),
        ("sentence", "The Council supports Ukraine."),
        ("sentence", "It says so."),
    ]


def test_paragraph_with_sentence_boundary_is_not_a_heading():
    text = "Intro paragraph here.\n\nThe Council met on Monday. It said nothing about it\n\nMore text follows here."
    got = kinds(text)
    assert ("sentence", "The Council met on Monday.") in got
    assert all(kind != "heading" or ". " not in piece for kind, piece in got)


def test_hard_wrapped_line_continues_sentence():
    text = "A year ago, a full-scale invasion of Russian troops into Ukraine\nbegan. The war continues."
    assert texts(text) == ["A year ago, a full-scale invasion of Russian troops into Ukraine\nbegan.",
                           "The war continues."]


def test_hard_wrapped_list_item_continues():
    text = "We call on the democracies:\n• Expand sanctions against the\nmilitary-industrial complex.\n• Act now."
    assert kinds(text)[1:] == [("list_item", "Expand sanctions against the\nmilitary-industrial complex."),
                               ("list_item", "Act now.")]


def test_capitalised_line_is_not_a_continuation():
    assert texts("The Council met\nThe Cabinet did not meet.") == ["The Council met", "The Cabinet did not meet."]


def test_paragraph_break_splits():
    assert texts("The Council met on Monday\n\nit said nothing.") == ["The Council met on Monday",
                                                                         "it said nothing."]


# ---------------------------------------------------------------- lists

@pytest.mark.parametrize("bullets", [
    ("• ", "• "), ("- ", "- "), ("* ", "* "), ("1) ", "2) "), ("1. ", "2. "), ("a) ", "b) "),
    ("  • ", "  • "), ("(1) ", "(2) "), ("–\u00a0", "–\u00a0"),
], ids=["bullet", "dash", "star", "paren-num", "dot-num", "letter", "indented", "parens", "endash-nbsp"])
def test_list_items_with_framing_parent(bullets):
    b1, b2 = bullets
    text = (f"The Council met on Monday. We call on the democracies of the world:\n\n"
            f"{b1}Declare non-recognition of Lukashenka.\n{b2}Expand sanctions, including against the regime.\n\n"
            "Glory to Ukraine!")
    doc = _segment(text)
    got = [(s.kind, doc.text[s.start:s.end], s.parent) for s in doc.sentences]
    assert got == [
        ("sentence", "The Council met on Monday.", None),
        ("sentence", "We call on the democracies of the world:", None),
        ("list_item", "Declare non-recognition of Lukashenka.", 1),
        ("list_item", "Expand sanctions, including against the regime.", 1),
        ("sentence", "Glory to Ukraine!", None),
    ]


def test_list_without_colon_has_no_parent():
    doc = _segment("The Council met.\n- Declare non-recognition.\n- Expand sanctions.")
    items = [s for s in doc.sentences if s.kind == "list_item"]
    assert len(items) == 2 and all(s.parent is None for s in items)


def test_list_after_heading_has_no_parent():
    doc = _segment("Our demands\n\n• Release all political prisoners.\n• Hold new elections.")
    assert [s.kind for s in doc.sentences] == ["heading", "list_item", "list_item"]
    assert all(s.parent is None for s in doc.sentences)


def test_two_lists_two_framings():
    doc = _segment("We call on the EU:\n• Expand sanctions.\n• Recognise the Council.\n\n"
                   "We also demand from the regime:\n• Release prisoners.")
    got = [(s.kind, s.parent) for s in doc.sentences]
    assert got == [("sentence", None), ("list_item", 0), ("list_item", 0),
                   ("sentence", None), ("list_item", 3)]


def test_multi_sentence_list_item():
    doc = _segment("We state the following:\n1) Preservation of independence. In this context it is key.\n"
                   "2) Prevention of deployment.")
    items = [(doc.text[s.start:s.end], s.parent) for s in doc.sentences if s.kind == "list_item"]
    assert items == [("Preservation of independence.", 0), ("In this context it is key.", 0),
                     ("Prevention of deployment.", 0)]


def test_hyphenated_word_is_not_a_bullet():
    assert kinds("-year-old activists were detained.")[0][0] != "list_item"
    assert kinds("The well-known activist spoke. She was detained.") == [
        ("sentence", "The well-known activist spoke."), ("sentence", "She was detained.")]


# ---------------------------------------------------------------- seeds

def test_seed_003_list(pipeline):
    from pathlib import Path

    from claimscope.read import iter_inputs

    seeds = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds"
    [raw] = iter_inputs([str(next(seeds.glob("003_*.txt")))])
    doc = pipeline.analyze(raw)
    items = [s for s in doc.sentences if s.kind == "list_item"]
    assert len(items) == 3
    parent = doc.sentences[items[0].parent]
    assert doc.text[parent.start:parent.end] == "And in this regard, we call on the democracies of the world:"
    assert all(s.parent == parent.id for s in items)
    assert doc.text[items[0].start:items[0].end].startswith("Declare non-recognition of Lukashenka")


# ---------------------------------------------------------------- invariants (property test)

ALPHABET = st.sampled_from(list("abcXYZ ") + list(".!?…:;,\"“”«»'’()-*•") + ["\n", "\n\n", " ", "\u00a0",
                                                                              "1) ", "a) ", "Mr. ", "U.S. ",
                                                                              "...", "\t", "  "])


def _check_invariants(text: str) -> None:
    doc = _segment(text)
    prev_end = 0
    for i, s in enumerate(doc.sentences):
        assert s.id == i
        assert 0 <= s.start < s.end <= len(text)
        assert s.start >= prev_end, "sentences overlap or are out of order"
        piece = text[s.start:s.end]
        assert piece and piece == piece.strip()
        assert s.kind in ("sentence", "list_item", "heading", "quote")
        if s.parent is not None:
            assert s.kind == "list_item" and 0 <= s.parent < i
            assert text[doc.sentences[s.parent].start:doc.sentences[s.parent].end].endswith(":")
        prev_end = s.end
    # every non-space character outside a bullet marker lands in a sentence (nothing is lost)
    covered = sum(len(text[s.start:s.end].split()) for s in doc.sentences)
    assert covered <= len(text.split())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ALPHABET, max_size=80).map("".join))
def test_property_sentence_spans(text):
    _check_invariants(text)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_property_sentence_spans_any_unicode(text):
    _check_invariants(text)
