"""events stage: lexicon validation, trigger matching, arguments, discourse, auxiliary modes.

All sentences are written for these tests (fictional actors), none is copied from the corpus.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from claimscope.errors import DataFileError
from claimscope.events import EventStage, load_lexicon
from claimscope.events.discourse import load_nouns
from claimscope.events.learned import TriggerModel
from claimscope.model import Document, Entity, Mention, Sentence, TimeExpression
from claimscope.parse import Parser

LEX = load_lexicon()
PARSER = Parser()
STAGE = EventStage(LEX, load_nouns())  # rules only: these tests are about the rules
BOTH = EventStage(LEX, load_nouns(), TriggerModel.load(), "both")

ENTITIES = {
    "Ruritania": ("rur", "country"),
    "Borduria": ("bor", "country"),
    "Syldavia": ("syl", "country"),
    "the Freedom Union": ("fu", "organization"),
    "Freedom Union": ("fu", "organization"),
    "the junta": ("rur-gov", "organization"),
    "Marta Kovac": ("kovac", "person"),
    "the ministry": ("min", "organization"),
}


def _segment(text: str) -> list[Sentence]:
    """A tiny stand-in segmenter: one sentence per line, '• ' lines are items of the last ':' line."""
    out: list[Sentence] = []
    pos = 0
    framing = None
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            continue
        if line.startswith("• "):
            out.append(Sentence(len(out), "list_item", start + 2, end, framing))
            continue
        for m in re.finditer(r"[^.!?]+[.!?:]*[”\"]?", line):
            a, b = start + m.start(), start + m.end()
            while a < b and text[a] == " ":
                a += 1
            if a < b:
                kind = "quote" if text[a] in "“\"" else "sentence"
                out.append(Sentence(len(out), kind, a, b))
        framing = out[-1].id if line.rstrip().endswith(":") else None
    return out


def analyze(text: str, published: str | None = "2024-05-01", times: list[TimeExpression] | None = None,
            extra: dict[str, tuple[str, str]] | None = None) -> Document:
    doc = Document(id="t", source="t", text=text, published=published)
    doc.sentences = _segment(text)
    names = {**ENTITIES, **(extra or {})}
    mentions: list[Mention] = []
    ents: dict[str, Entity] = {}
    for surface in sorted(names, key=len, reverse=True):
        eid, kind = names[surface]
        for m in re.finditer(re.escape(surface), text):
            if any(x.start < m.end() and m.start() < x.end for x in mentions):
                continue
            mentions.append(Mention(m.start(), m.end(), surface, eid))
            canonical = surface[4:] if surface.startswith("the ") and kind != "organization" else surface
            ents.setdefault(eid, Entity(eid, canonical.removeprefix("the "), kind, True))
    doc.mentions = sorted(mentions, key=lambda m: m.start)
    doc.entities = list(ents.values())
    doc.times = times or []
    return STAGE(PARSER(doc))


def only(doc: Document, etype: str):
    evs = [e for e in doc.events if e.type == etype]
    assert len(evs) == 1, [(e.type, e.trigger.text) for e in doc.events]
    return evs[0]


def check_spans(doc: Document) -> None:
    for e in doc.events:
        assert doc.text[e.span.start:e.span.end] == e.span.text
        assert doc.text[e.trigger.start:e.trigger.end] == e.trigger.text
        assert e.span.start <= e.trigger.start and e.trigger.end <= e.span.end
        for r in [e.actor, e.object, *e.recipients]:
            if r is not None:
                assert doc.text[r.start:r.end] == r.text


# ------------------------------------------------------------------ lexicon

def test_builtin_lexicon_loads_every_type():
    types = {t.type for t in LEX.triggers}
    assert {"REQUEST", "ACCUSE", "SUPPORT", "ASSAULT", "MOBILIZE", "COERCE", "ASSERT"} <= types
    assert LEX.cues.reporting and LEX.cues.future


def _write(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "user.yaml"
    p.write_text(body, encoding="utf-8")
    return p


@pytest.mark.parametrize("body, field, problem", [
    ("type: NOPE\ntriggers: []\n", "type", "unknown event type"),
    ("type: REQUEST\ntriggers:\n  - verb: beg\n    mode: troops\n", "mode", "not a mode of REQUEST"),
    ("type: ASSAULT\ntriggers:\n  - verb: maul\n    contexts: [weather]\n", "contexts", "unknown context"),
    ("type: ASSAULT\ntriggers:\n  - verb: maul\n    aux: [maybe]\n", "aux", "unknown auxiliary mode"),
    ("type: ASSAULT\ntriggers:\n  - verb: maul\n    colour: red\n", "colour", "unknown field"),
    ("type: ASSAULT\ntriggers:\n  - verb: '* maul'\n", "verb", "bad pattern"),
    ("type: ASSAULT\ntriggers:\n  - mode: beat\n", "verb", "exactly one of verb, noun, phrase"),
    ("type: SUPPORT\ntriggers:\n  - verb: hail\n    negated: NOPE\n", "negated", "unknown event type"),
    ("type: AID\ntriggers:\n  - verb: gift\n    request_mode: troops\n", "request_mode", "not a REQUEST mode"),
    ("future: 3\n", "future", "list of phrases"),
])
def test_bad_user_entries_name_file_entry_and_field(tmp_path, body, field, problem):
    path = _write(tmp_path, body)
    with pytest.raises(DataFileError) as err:
        load_lexicon([path])
    assert err.value.field == field
    assert problem in err.value.problem
    assert str(path) in str(err.value)


def test_user_file_extends_lexicon_without_code(tmp_path):
    path = _write(tmp_path, "type: ASSAULT\ntriggers:\n  - verb: [pummel]\n    mode: beat\n")
    stage = EventStage(load_lexicon([path]), load_nouns())
    doc = Document(id="u", source="u", text="Syldavia pummelled Borduria.")
    doc.sentences = [Sentence(0, "sentence", 0, len(doc.text))]
    doc.mentions = [Mention(0, 8, "Syldavia", "syl"), Mention(19, 27, "Borduria", "bor")]
    doc.entities = [Entity("syl", "Syldavia", "country", True), Entity("bor", "Borduria", "country", True)]
    stage(PARSER(doc))
    ev = only(doc, "ASSAULT")
    assert ev.mode == "beat" and ev.actor.name == "Syldavia"
    assert [r.name for r in ev.recipients] == ["Borduria"]


def test_multiword_patterns_with_gaps_match_on_lemmas():
    toks = PARSER.nlp("They called the shelling a war crime.")
    words = [t.lower_ for t in toks]
    found = LEX.match(words, [t.lemma_.lower() for t in toks])
    assert found[0].trigger.type == "ACCUSE" and words[found[0].start] == "called"
    assert {m.trigger.type for m in found} == {"ACCUSE"}  # 'shelling' is inside the pattern


# ------------------------------------------------------------------ types and codebook

def test_request_with_addressee_and_object():
    doc = analyze("The Freedom Union called on Syldavia to supply Borduria with weapons.")
    ev = only(doc, "REQUEST")
    assert ev.mode == "assist"
    assert ev.actor.name == "Freedom Union"
    assert [r.name for r in ev.recipients] == ["Syldavia"]
    assert ev.object.name == "Borduria"
    check_spans(doc)


def test_concern_is_accuse_disapprove():
    ev = only(analyze("Syldavia expressed deep concern over the trial."), "ACCUSE")
    assert ev.mode == "disapprove" and ev.actor.name == "Syldavia"


def test_sentencing_is_sanction_convict():
    ev = only(analyze("A court in Ruritania sentenced Marta Kovac to nine years."), "SANCTION")
    assert ev.mode == "convict"


def test_non_recognition_is_reject_not_negated_support():
    doc = analyze("Syldavia does not recognise the junta.")
    ev = only(doc, "REJECT")
    assert "negation" not in ev.aux
    assert not [e for e in doc.events if e.type == "SUPPORT"]


def test_readiness_is_agree():
    ev = only(analyze("Borduria is ready for talks with Syldavia."), "AGREE")
    assert ev.actor.name == "Borduria"


def test_stating_verb_is_assert_and_takes_verbal_content_type():
    assert only(analyze("We state that the border remains closed to trade."), "ASSERT")
    ev = only(analyze("Syldavia considers the referendum a gross violation of law."), "ACCUSE")
    assert ev.actor.name == "Syldavia"


def test_background_nouns_are_not_events():
    doc = analyze("The Freedom Union condemns the deportation of children since the start of the invasion.")
    assert [e.type for e in doc.events] == ["ACCUSE"]
    doc = analyze("Since the invasion, prices have doubled.")
    assert doc.events == []


def test_a_headline_that_states_an_event_is_coded():
    # docs/annotation.md: a real headline that states an event is coded (the model learns which)
    doc = Document(id="h", source="h", text="Ruritania attacks Borduria")
    doc.sentences = [Sentence(0, "heading", 0, len(doc.text))]
    assert [e.type for e in STAGE(PARSER(doc)).events] == ["ASSAULT"]


# ------------------------------------------------------------------ arguments

def test_passive_voice_agent_is_actor_subject_is_recipient():
    ev = only(analyze("Borduria was shelled by Ruritania on Monday."), "ASSAULT")
    assert ev.actor.name == "Ruritania"
    assert [r.name for r in ev.recipients] == ["Borduria"]


def test_passive_without_agent_has_null_actor():
    ev = only(analyze("Marta Kovac was detained in the capital."), "COERCE")
    assert ev.mode == "arrest" and ev.actor is None
    assert [r.name for r in ev.recipients] == ["Marta Kovac"]


def test_coordinated_recipients():
    ev = only(analyze("Syldavia urged Ruritania and Borduria to release the detained reporters."), "REQUEST")
    assert ev.mode == "yield"
    assert [r.name for r in ev.recipients] == ["Ruritania", "Borduria"]


def test_coordinated_subject_first_conjunct_is_actor():
    ev = only(analyze("Ruritania and Borduria condemned the blockade."), "ACCUSE")
    assert ev.actor.name == "Ruritania"


def test_on_the_part_of_gives_recipient():
    ev = only(analyze("Syldavia called the blockade a crime on the part of Ruritania and the junta."), "ACCUSE")
    assert ev.mode == "allege"
    assert {r.name for r in ev.recipients} == {"Ruritania", "junta"}


def test_description_actor_without_entity():
    ev = only(analyze("Local farmers blocked the roads near the capital."), "PROTEST")
    assert ev.actor.entity is None and ev.actor.name == "Local farmers"
    check_spans(analyze("Local farmers blocked the roads near the capital."))


# ------------------------------------------------------------------ discourse

def test_list_expansion_framing_actor_and_type():
    text = ("The Freedom Union calls on Syldavia:\n"
            "• Free all jailed journalists.\n"
            "• Impose sanctions on the junta.\n")
    doc = analyze(text)
    assert [e.type for e in doc.events] == ["REQUEST", "REQUEST"]
    assert [e.mode for e in doc.events] == ["yield", "change"]
    for e in doc.events:
        assert e.actor.name == "Freedom Union"
        assert [r.name for r in e.recipients] == ["Syldavia"]
        assert e.span.text.startswith(("Free", "Impose"))  # the item, not the framing line
    check_spans(doc)


def test_quotation_attributed_to_speaker_after_it():
    doc = analyze("“We will never accept the annexation and we condemn it,” the ministry said.")
    ev = only(doc, "ACCUSE")
    assert ev.actor.name == "ministry"


def test_quotation_speaker_named_before_colon():
    text = "Marta Kovac said:\n“We demand the release of every striker.”"
    ev = only(analyze(text), "REQUEST")
    assert ev.actor.name == "Marta Kovac"
    assert ev.mode == "yield"


def test_first_person_is_the_speaking_organisation():
    text = "I, Marta Kovac, speak for the movement. We call on Syldavia to negotiate."
    ev = only(analyze(text), "REQUEST")
    assert ev.actor.name == "Marta Kovac"
    assert ev.mode == "meet"


def test_reported_speech_codes_the_reported_event():
    doc = analyze("Syldavia says Ruritania attacked Borduria overnight.")
    ev = only(doc, "ASSAULT")
    assert ev.actor.name == "Ruritania"
    assert [r.name for r in ev.recipients] == ["Borduria"]


def test_it_said_refers_to_last_speaking_organisation():
    text = ("The Freedom Union condemned the raid. "
            "“We urge Syldavia to protect the refugees,” it added.")
    doc = analyze(text)
    req = only(doc, "REQUEST")
    assert req.actor is not None and req.actor.name == "Freedom Union"


# ------------------------------------------------------------------ auxiliary modes

def test_negation():
    ev = only(analyze("Marta Kovac has not yet decided to deploy soldiers to the border."), "MOBILIZE")
    assert ev.aux == ["negation"] and ev.actor.name == "Marta Kovac"
    ev = only(analyze("Ruritania refused to release the detained reporters."), "RETREAT") \
        if any(e.type == "RETREAT" for e in analyze("Ruritania refused to release the detained reporters.").events) \
        else None
    assert ev is None or "negation" in ev.aux
    ev = only(analyze("Borduria never attacked its neighbours."), "ASSAULT")
    assert "negation" in ev.aux
    ev = only(analyze("Syldavia not only condemned the raid but also left the talks."), "ACCUSE")
    assert "negation" not in ev.aux


def test_hypothetical_conditional_clause():
    doc = analyze("Borduria will respond with force if it is attacked by Ruritania.")
    assault = only(doc, "ASSAULT")
    assert "hypothetical" in assault.aux
    assert assault.actor.name == "Ruritania"
    ev = only(analyze("The deployment could cause a war."), "MOBILIZE") if False else None
    ev = only(analyze("Ruritania could invade Borduria."), "ASSAULT")
    assert "hypothetical" in ev.aux


def test_future():
    ev = only(analyze("Syldavia will impose new sanctions on the junta."), "SANCTION")
    assert "future" in ev.aux and ev.mode == "discontinue"
    ev = only(analyze("Syldavia plans to deploy troops to the east."), "MOBILIZE")
    assert "future" in ev.aux


def test_historical_from_an_old_year():
    ev = only(analyze("In 2015, Ruritania invaded Borduria."), "ASSAULT")
    assert "historical" in ev.aux
    ev = only(analyze("Ruritania invaded Borduria in 2024."), "ASSAULT")
    assert "historical" not in ev.aux


def test_event_date_from_time_expression_else_published():
    from claimscope.temporal import date_events  # the pipeline's "event dates" step

    text = "On March 3, Ruritania shelled Borduria."
    t = TimeExpression(3, 10, "March 3", "2024-03-03")
    assert only(date_events(analyze(text, times=[t])), "ASSAULT").date == "2024-03-03"
    assert only(date_events(analyze(text)), "ASSAULT").date == "2024-05-01"


# ------------------------------------------------------------------ invariants

def test_span_invariant_on_corpus_like_text():
    text = ("Statement of the Freedom Union\n\n"
            "The Freedom Union “strongly condemns” the arrests of Marta Kovac’s aides by the junta. "
            "We call upon Syldavia:\n• Expand sanctions.\n• Release the detainees.\n"
            "“Ruritania has struck Borduria again,” the ministry said.\u00a0It will not be the last time.")
    doc = analyze(text)
    assert doc.events
    check_spans(doc)
    ids = [e.id for e in doc.events]
    assert len(ids) == len(set(ids))


def test_heading_names_the_issuer_for_we():
    doc = Document(id="i", source="i", text="Statement by the Freedom Union on the border\n\nWe condemn the blockade.")
    doc.sentences = [Sentence(0, "heading", 0, 44), Sentence(1, "sentence", 46, len(doc.text))]
    doc.mentions = [Mention(17, 30, "Freedom Union", "fu")]
    doc.entities = [Entity("fu", "Freedom Union", "organization", True)]
    ev = only(STAGE(PARSER(doc)), "ACCUSE")
    assert ev.actor.name == "Freedom Union"


def test_nominal_event_actor_from_of_phrase():
    ev = only(analyze("The invasion by Ruritania began at dawn."), "ASSAULT")
    assert ev.actor.name == "Ruritania"


def test_framing_line_without_verb_lends_its_subject():
    text = "The Freedom Union:\n• Condemns the arrest of Marta Kovac.\n• Demands that Syldavia negotiate.\n"
    doc = analyze(text)
    assert [e.type for e in doc.events] == ["ACCUSE", "REQUEST"]
    assert all(e.actor.name == "Freedom Union" for e in doc.events)


# ------------------------------------------------------------------ argument rules (round 2)
def test_recipients_are_governed_not_places():
    doc = analyze("Ruritania condemned the arrests in Borduria.")
    assert only(doc, "ACCUSE").recipients == []
    doc = analyze("Ruritania condemned the sanctions imposed against Syldavia by Borduria.")
    assert [r.name for r in only(doc, "ACCUSE").recipients] == ["Borduria"]


def test_call_for_has_no_addressee_but_call_on_has():
    doc = analyze("Ruritania calls for the immediate release of Marta Kovac.")
    assert only(doc, "REQUEST").recipients == []
    doc = analyze("Ruritania calls on Borduria to release Marta Kovac.")
    assert [r.name for r in only(doc, "REQUEST").recipients] == ["Borduria"]


def test_they_is_the_last_plural_subject_or_null():
    doc = analyze("Marta Kovac spoke. They attacked the border.")
    assert only(doc, "ASSAULT").actor is None


def test_concerned_is_not_a_passive():
    doc = analyze("Ruritania remains deeply concerned about the violations committed by the junta.")
    assert only(doc, "ACCUSE").actor.name == "Ruritania"




# ------------------------------------------------------------------ subjects (round 3)

def test_apposition_between_subject_and_verb_is_skipped():
    doc = analyze("Marta Kovac, a senior Ruritania official, has condemned the arrests.")
    assert only(doc, "ACCUSE").actor.entity == "kovac"


def test_definite_role_noun_and_he_point_back_to_the_last_speaker():
    doc = analyze("The ministry is silent, Marta Kovac said.\nThe spokeswoman condemned the arrests.\n"
                  "She also called on Borduria to release the prisoners.")
    assert only(doc, "ACCUSE").actor.entity == "kovac"
    assert only(doc, "REQUEST").actor.entity == "kovac"


def test_according_to_names_the_source_of_an_allegation():
    doc = analyze("Some of these violations may, according to the Freedom Union, amount to crimes against humanity.")
    assert only(doc, "ACCUSE").actor.entity == "fu"


def test_chain_of_relative_clauses_takes_the_first_antecedent():
    doc = analyze("We thank the Freedom Union, which is collecting humanitarian aid, which is helping refugees.",
                  extra={})
    evs = [e for e in doc.events if e.type in ("AID", "COOPERATE")]
    assert evs and all(e.actor is not None and e.actor.entity == "fu" for e in evs)


def test_verb_after_and_has_no_subject_of_its_own():
    doc = analyze("Ruritania will continue sanctioning the junta and supporting the Freedom Union.")
    ev = only(doc, "SUPPORT")
    assert ev.actor.entity == "rur"


def test_quantity_in_passive_agent_is_not_the_agent():
    doc = analyze("The demands are supported by the majority of the Freedom Union.")
    assert only(doc, "SUPPORT").actor.entity == "fu"


# ------------------------------------------------------------------ rule 4: what is said (round 4)

def test_stated_passive_event_is_coded_not_asserted():
    doc = analyze("The Freedom Union stressed that dozens of activists are detained every week.")
    assert [e.type for e in doc.events] == ["COERCE"]
    ev = doc.events[0]
    assert ev.actor is None and [r.name for r in ev.recipients] == ["activists"]
    doc = analyze("The Freedom Union recalled that Marta Kovac was convicted in 2019 on false charges.")
    ev = only(doc, "SANCTION")
    assert "historical" in ev.aux and [r.entity for r in ev.recipients] == ["kovac"]
    assert not [e for e in doc.events if e.type == "ASSERT"]


def test_stated_state_stays_assert():
    doc = analyze("We state that Syldavia is temporarily occupied territory.")
    assert [e.type for e in doc.events] == ["ASSERT"]


def test_characterising_as_an_attack_is_the_speakers_accusation():
    doc = analyze("Ruritania regards the decision of Borduria as an attack.")
    ev = only(doc, "ACCUSE")
    assert ev.actor.entity == "rur" and [r.entity for r in ev.recipients] == ["bor"]
    assert not [e for e in doc.events if e.type in ("ASSERT", "ASSAULT")]


def test_reported_verbal_act_of_another_subject_is_theirs():
    doc = analyze("Marta Kovac stressed that Ruritania and Borduria reject the ultimatum of Syldavia.")
    ev = only(doc, "REJECT")
    assert ev.actor.entity == "rur"
    assert not [e for e in doc.events if e.type == "ASSERT"]


def test_trailing_attribution_is_not_an_event():
    doc = analyze("Ruritania and Borduria reject the ultimatum of Syldavia, she stressed.")
    assert [e.type for e in doc.events] == ["REJECT"]


# ------------------------------------------------------------------ possessives (round 4)

def test_possessive_before_an_agent_noun_gives_the_description():
    # descriptions are named as the text names them (docs/annotation.md, the gold's convention)
    doc = analyze("Every week Ruritania’s security forces detained dozens of students.")
    ev = only(doc, "COERCE")
    assert ev.actor is not None and ev.actor.entity is None and ev.actor.name == "Ruritania’s security forces"
    doc = analyze("The Freedom Union’s Marta Kovac condemned the verdict.")
    assert only(doc, "ACCUSE").actor.entity == "kovac"


def test_possessive_before_an_action_noun_keeps_the_possessor():
    doc = analyze("Ruritania’s actions aimed at Borduria threaten the territorial integrity of Syldavia.")
    assert only(doc, "THREATEN").actor.entity == "rur"


def test_quote_attribution_to_a_possessed_person_and_closing_quote_ends_the_clause():
    doc = analyze("“Borduria condemned the verdict,” said the Freedom Union’s Marta Kovac.")
    ev = only(doc, "ACCUSE")
    assert ev.actor.entity == "bor" and ev.recipients == []


# ------------------------------------------------------------------ description recipients (round 4)

def test_object_describing_people_is_an_unlinked_recipient_named_as_the_text_names_it():
    doc = analyze("The junta has sentenced four local activists to prison.")
    ev = only(doc, "SANCTION")
    assert [(r.entity, r.name) for r in ev.recipients] == [(None, "four local activists")]
    doc = analyze("The junta opened criminal proceedings against 20 exiled bloggers.")
    assert [r.name for r in only(doc, "ACCUSE").recipients] == ["20 exiled bloggers"]
    doc = analyze("Ruritania sanctioned nine officials and three companies in Borduria.")
    assert [r.name for r in only(doc, "SANCTION").recipients] == ["nine officials and three companies in Borduria"]


def test_object_that_is_a_thing_is_not_a_recipient():
    doc = analyze("Ruritania condemned the verdict.")
    assert only(doc, "ACCUSE").recipients == []


def test_passive_undergoer_is_its_description():
    doc = analyze("In the capital, three more volunteers have just been arrested.")
    assert [r.name for r in only(doc, "COERCE").recipients] == ["three more volunteers"]
    doc = analyze("All four were detained in October.")
    assert only(doc, "COERCE").recipients == []


# ------------------------------------------------------------------ warnings and threats (round 5)

@pytest.mark.parametrize("text, mode", [
    ("Ruritania will respond to any provocation with all available means.", "violence"),
    ("Any convoy used for attacks will be considered a legitimate target.", "violence"),
    ("Borduria warned that it stands ready to adopt further measures.", None),
    ("Ruritania will retaliate against any incursion.", None),
    ("The junta warned that it would expel the diplomats.", "expel"),
    ("Borduria will close the border if the provocations continue.", "restrict"),
    ("Ruritania will consider closing the remaining crossings.", "restrict"),
    ("Syldavia will not hesitate to use force.", "violence"),
    ("Any drone that crosses the border will be shot down, the ministry warned.", "violence"),
    ("Ruritania warned Borduria that it would cut gas supplies.", "restrict"),
    ("Should the provocations continue, Borduria will expel the ambassador.", "expel"),
    ("Borduria will be forced to respond if the exercises continue.", None),
    ("Ruritania said it would shoot down any drones entering its airspace.", "violence"),
    ("Ruritania stands ready to use all available means.", "violence"),
    ("The ministry warned that it is prepared to close the border crossings.", "restrict"),
])
def test_warned_or_conditional_hostile_act_is_a_threat(text, mode):
    ev = only(analyze(text), "THREATEN")
    assert ev.mode == mode
    assert "hypothetical" not in ev.aux and "negation" not in ev.aux


def test_conditional_clause_is_its_own_hypothetical_event():
    doc = analyze("If attacked, Borduria will respond with all available means.")
    assert only(doc, "THREATEN").mode == "violence"
    assert "hypothetical" in only(doc, "ASSAULT").aux


@pytest.mark.parametrize("text, etype", [
    ("The ministry warned that Borduria would attack the border posts.", "ASSAULT"),  # someone else's act
    ("The EU will impose new sanctions next month.", "SANCTION"),  # an announcement, no condition
    ("Ruritania is ready to unleash, if not a war, then an armed conflict.", "ASSAULT"),
    ("Borduria is prepared to close the border crossings.", "COERCE"),  # said of another
])
def test_hostile_acts_that_are_not_threats(text, etype):
    doc = analyze(text)
    assert [e.type for e in doc.events] == ([etype] if etype else [])


# ------------------------------------------------------------------ framing lines with several acts (round 5)

def test_framing_line_items_take_the_typed_act_not_the_stating_verb():
    doc = analyze("The Freedom Union calls on Borduria to:\n• Release all political prisoners.\n"
                  "• Stop the repression.")
    assert [(e.type, e.mode) for e in doc.events] == [("REQUEST", "yield"), ("REQUEST", "yield")]
    assert all(e.actor.entity == "fu" and [r.entity for r in e.recipients] == ["bor"] for e in doc.events)
    doc = analyze("The Freedom Union believes that, to end the crisis, it is necessary to:\n"
                  "• Release all political prisoners.\n• Hold new elections.")
    assert [e.type for e in doc.events] == ["REQUEST", "REQUEST"]


def test_impersonal_necessity_is_a_request():
    assert only(analyze("It is necessary to release all political prisoners."), "REQUEST").mode == "yield"
    assert only(analyze("There is an urgent need to stop the repression in Ruritania."), "REQUEST").mode == "yield"
    assert not [e for e in analyze("It is necessary to note that the talks continued.").events if e.type == "REQUEST"]


def test_relative_clause_after_a_request_is_not_its_content():
    doc = analyze("It is necessary to meet the demands that are supported by the majority of citizens.")
    assert {e.type for e in doc.events} == {"REQUEST", "SUPPORT"}


# ------------------------------------------------------------------ inflection (round 5)

def test_sentence_initial_noun_subject_is_not_an_imperative():
    for text in ("Pressure on the opposition remains.", "Support for the refugees has grown considerably."):
        assert all(e.type != "REQUEST" for e in analyze(text).events), text
    assert only(analyze("Support the people of Borduria in their struggle."), "REQUEST").mode == "assist"
    assert only(analyze("Release all political prisoners in Ruritania."), "REQUEST").mode == "yield"


def test_verb_only_entries_never_fire_as_nouns(tmp_path):
    path = _write(tmp_path, "type: ASSAULT\ntriggers:\n  - verb: [pummel]\n    mode: beat\n    verb_only: true\n")
    lex = load_lexicon([path])
    assert any(t.verb_only for t in lex.triggers)
    with pytest.raises(DataFileError) as err:
        load_lexicon([_write(tmp_path, "type: ASSAULT\ntriggers:\n  - verb: [pummel]\n    verb_only: 2\n")])
    assert err.value.field == "verb_only"
    global STAGE
    old, STAGE = STAGE, EventStage(lex, load_nouns())
    try:
        assert [e.type for e in analyze("The police pummelled the protesters.").events] == ["ASSAULT"]
        assert [e.type for e in analyze("The pummelling of protesters was documented.").events] != ["ASSAULT"]
    finally:
        STAGE = old


# ------------------------------------------------------------------ round 6: clause structure

def test_by_phrase_after_another_participle_is_not_the_agent():
    doc = analyze("Petrov has been denied access to a lawyer, as confirmed by the Freedom Union.")
    ev = only(doc, "COERCE")
    assert ev.actor is None






def test_relative_antecedent_can_be_a_description():
    doc = analyze("The list names judges who sentenced protesters.")
    assert only(doc, "SANCTION").actor.name == "judges"


def test_gerund_after_preposition_takes_the_main_subject():
    doc = analyze("By allowing Borduria to use its airfields, Ruritania supports the invasion.")
    assert all(e.actor is not None and e.actor.entity == "rur" for e in doc.events)
    doc = analyze("Ruritania took part in the war without shelling cities.")
    assert only(doc, "ASSAULT").actor.entity == "rur"


def test_reduced_relative_clause_subject():
    doc = analyze("Ruritania released 40 prisoners, a step the Freedom Union welcomed.")
    assert only(doc, "SUPPORT").actor.entity == "fu"


def test_so_far_is_an_adverb_and_consider_joins_the_verb_group():
    doc = analyze("Ruritania has so far ignored all requests of the Freedom Union.")
    assert only(doc, "REJECT").actor.entity == "rur"




def test_further_quoted_paragraph_keeps_the_speaker():
    doc = analyze("“Borduria is silent,” Marta Kovac said.\n“Hence Syldavia should release the prisoners.”")
    ev = only(doc, "REQUEST")
    assert ev.actor.entity == "kovac"


def test_officers_of_a_body_act_for_it():
    doc = analyze("The officers of the ministry detained three journalists.")
    assert only(doc, "COERCE").actor.entity == "min"


def test_adjective_before_an_event_verb_is_no_subject():
    doc = analyze("Many were detained after widespread protests swept Ruritania.")
    ev = next(e for e in doc.events if e.type == "PROTEST")
    assert ev.actor is None


def test_prepositional_framing_line_lends_no_actor_and_possessor_of_an_event_noun_acts():
    doc = analyze("The Freedom Union resolves.\nIn view of:\n• the continuation of Borduria’s escalation of aggression against Syldavia;")
    ev = only(doc, "ASSAULT")
    assert ev.actor is not None and ev.actor.entity == "bor"


def test_the_fact_that_opens_a_clause_not_a_prepositional_phrase():
    doc = analyze("Despite the fact that Ruritania and Borduria, in response, strengthened the union, we did not stop.")
    ev = only(doc, "COOPERATE")
    assert ev.actor.entity == "rur" and [r.entity for r in ev.recipients] == ["bor"]


def test_event_noun_after_a_support_verb_takes_its_subject():
    doc = analyze("The Freedom Union counts on a new level of cooperation with Syldavia.")
    assert only(doc, "COOPERATE").actor.entity == "fu"


def test_of_phrase_of_an_event_noun_is_the_undergoer_unless_armed_forces():
    doc = analyze("The invasion of Syldavia began in 2022.")
    assert only(doc, "ASSAULT").actor is None
    doc = analyze("The invasion of Borduria troops into Syldavia began in 2022.",
                  extra={"Borduria troops": ("bor-mil", "organization")})
    assert only(doc, "ASSAULT").actor.entity == "bor-mil"




def test_head_of_state_is_no_statement():
    doc = analyze("\"We condemn the arrests,\" the head of state said.")
    assert [e.type for e in doc.events] == ["ACCUSE"]


def test_participle_coordinated_with_a_passive_is_passive():
    doc = analyze("Opposition candidates were either jailed or forced into exile by the junta.")
    assert all(e.actor is None or e.actor.entity == "rur-gov" for e in doc.events)
    assert len(doc.events) == 2


def test_the_report_is_its_named_author():
    doc = analyze("A report presented to the Council by Marta Kovac describes the repression.\n"
                  "The report documents 250 criminal cases opened against exiled critics.")
    ev = next(e for e in doc.events if "documents" in e.trigger.text)
    assert ev.actor.entity == "kovac"


def test_comma_relative_aside_between_subject_and_verb():
    doc = analyze("Marta Kovac, who has ruled Ruritania since 1994, has detained three journalists.")
    assert only(doc, "COERCE").actor.entity == "kovac"


def test_back_as_a_particle_is_no_support():
    doc = analyze("The junta invited the Borduria army back – a step the Freedom Union condemned.")
    assert not [e for e in doc.events if e.type == "SUPPORT"]


def test_evaluative_adjective_after_a_copula_is_the_speakers():
    doc = analyze("“The junta’s lectures on human rights sound particularly cynical,” Marta Kovac said.")
    ev = only(doc, "ACCUSE")
    assert ev.actor.entity == "kovac"


def test_content_accusation_after_a_copula_is_the_speakers():
    doc = analyze("“The deportation of children from Syldavia is a war crime,” Marta Kovac said.")
    ev = only(doc, "ACCUSE")
    assert ev.actor.entity == "kovac" and ev.mode == "allege"


def test_psych_state_and_passive_summons_are_not_evaluations():
    doc = analyze("The Freedom Union remains deeply concerned about the arrests.")
    assert only(doc, "ACCUSE").actor.entity == "fu"


def test_new_lexicon_entries():
    doc = analyze("Officers of the ministry routinely force detainees to record repentance videos.")
    assert only(doc, "COERCE").actor.entity == "min"
    doc = analyze("Ruritania has ignored all 14 of his communications.")
    assert only(doc, "REJECT").actor.entity == "rur"
    doc = analyze("Marta Kovac transferred 20 euros in 2022 to the Freedom Union.")
    assert only(doc, "AID").actor.entity == "kovac"


def test_second_predicate_after_scare_quotes_takes_the_sentence_subject():
    doc = analyze("Ruritania has described members of the Freedom Union as \"traitors\" and opened criminal cases against them.")
    ev = next(e for e in doc.events if e.trigger.text.startswith("opened"))
    assert ev.actor.entity == "rur"


def test_quote_marks_do_not_use_up_a_pattern_gap():
    doc = analyze("Ruritania designated the \"Freedom\" union as extremist.")
    assert only(doc, "ACCUSE").actor.entity == "rur"


def test_participle_after_a_named_subject_is_a_reduced_passive():
    doc = analyze("Marta Kovac, sentenced in March to ten years, has been denied medical care.")
    ev = only(doc, "SANCTION")
    assert ev.actor is None and [r.entity for r in ev.recipients] == ["kovac"]


def test_passive_entry_makes_the_subject_the_undergoer():
    doc = analyze("Since 2020 the Freedom Union has been banned, and many of its leaders are in prison.")
    ev = next(e for e in doc.events if "prison" in e.trigger.text)
    assert ev.actor is None


def test_officers_of_a_unit_of_a_body_and_the_officers_later():
    doc = analyze("Officers of the Hrodna department of the ministry detained Marta Kovac on Tuesday.\n"
                  "Her son said that the officers had searched the flat.")
    evs = [e for e in doc.events if e.type == "COERCE"]
    assert [e.actor.entity for e in evs] == ["min", "min"]


def test_a_role_noun_in_ent_before_a_past_tense_is_the_subject():
    doc = analyze("Marta Kovac condemned the arrests.\nThe president criticised Borduria and Syldavia.")
    ev = [e for e in doc.events if e.trigger.text == "criticised"][0]
    assert ev.actor.entity == "kovac" and {r.entity for r in ev.recipients} == {"bor", "syl"}


def test_definite_head_noun_refers_to_the_body_named_with_it():
    doc = analyze("The Freedom Union met in Vilnius.\nIf the junta sends soldiers into Syldavia, the Union will call on them to lay down their arms.")
    ev = only(doc, "REQUEST")
    assert ev.actor.entity == "fu"


def _probes():
    path = Path(__file__).parent / "data" / "event_probes.txt"
    lines = [ln for ln in path.read_text("utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    return [tuple(ln.split(" | ", 1)) for ln in lines]


@pytest.fixture(scope="module")
def full_pipeline():
    from claimscope.pipeline import Pipeline
    return Pipeline()


@pytest.mark.parametrize("etype, text", _probes(), ids=lambda x: x[:40] if isinstance(x, str) else None)
def test_lexicon_breadth_probe(full_pipeline, etype, text):
    from claimscope.model import RawDocument
    doc = full_pipeline.analyze(RawDocument(source="probe", text=text))
    assert etype in [e.type for e in doc.events], [(e.type, e.trigger.text) for e in doc.events]


def _actor_probes():
    path = Path(__file__).parent / "data" / "actor_probes.txt"
    lines = [ln for ln in path.read_text("utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    return [tuple(ln.split(" | ", 2)) for ln in lines]


@pytest.mark.parametrize("etype, actor, text", _actor_probes(), ids=lambda x: x[:40] if isinstance(x, str) else None)
def test_actor_probe(full_pipeline, etype, actor, text):
    from claimscope.model import RawDocument
    doc = full_pipeline.analyze(RawDocument(source="probe", text=text))
    names = [e.actor.name if e.actor else "None" for e in doc.events if e.type == etype]
    assert any(actor.lower() in n.lower() for n in names), [(e.type, e.actor) for e in doc.events]


def test_no_plans_to_is_negation_not_future_and_stays_in_its_clause():
    doc = analyze("Ruritania has no plans to send troops to Syldavia and will take up arms only if it is attacked.")
    send = next(e for e in doc.events if e.trigger.text.startswith("send"))
    assert send.aux == ["negation"]
    assert all("negation" not in e.aux for e in doc.events if e is not send)


def test_us_in_capitals_is_the_country_not_the_pronoun():
    doc = analyze("Ruritania condemned the sanctions imposed by the US and Borduria.",
                  extra={"US": ("usa", "country")})
    assert {r.entity for r in only(doc, "ACCUSE").recipients} >= {"usa", "bor"}


def test_among_the_ones_that_takes_the_subject_of_be():
    doc = analyze("Ruritania and Borduria were among the countries that signed the memorandum.")
    assert only(doc, "AGREE").actor.entity == "rur"


def test_closing_straight_quote_ends_the_clause_but_scare_quotes_do_not():
    doc = analyze('"The measures run counter to the Charter," Marta Kovac added.')
    assert only(doc, "ACCUSE").recipients == []
    doc = analyze('Ruritania rejects the "blackmail" of Borduria.')
    assert [r.entity for r in only(doc, "REJECT").recipients] == ["bor"]


def test_letting_another_actor_attack_is_cooperation_besides_the_attack():
    doc = analyze("Marta Kovac let Borduria shell Syldavia from Ruritania's territory.")
    coop = only(doc, "COOPERATE")
    assert coop.actor.entity == "kovac" and [r.entity for r in coop.recipients] == ["bor"]
    assert only(doc, "ASSAULT").actor.entity == "bor"
    check_spans(doc)


def test_object_relative_clause_event_is_its_own():
    doc = analyze("Marta Kovac criticised the sanctions that Borduria has imposed on Ruritania.")
    ev = only(doc, "SANCTION")
    assert ev.actor.entity == "bor" and [r.entity for r in ev.recipients] == ["rur"]


def test_target_after_at_is_the_recipient_of_an_attack():
    doc = analyze("Borduria fired missiles at Syldavia from Ruritania.")
    assert [r.entity for r in only(doc, "ASSAULT").recipients] == ["syl"]


def test_you_as_subject_is_not_the_speaker():
    doc = analyze("“You knew all this, so why are you reproaching us today?” Marta Kovac said.")
    assert only(doc, "ACCUSE").actor is None


def test_first_person_singular_in_the_trigger_is_the_quoted_speaker():
    doc = analyze("“It seems to me that this is dangerous for our neighbours,” Marta Kovac said.")
    assert only(doc, "ASSERT").actor.entity == "kovac"


def test_released_passive_entry_and_by_phrase_of_an_intervening_noun():
    doc = analyze("They were freed yesterday after a visit to Ruritania by Marta Kovac.")
    ev = only(doc, "RETREAT")
    assert ev.actor is None
    doc = analyze("Fifty prisoners were freed in September.")
    assert only(doc, "RETREAT").actor is None






def test_in_someones_view_names_the_requester_and_inverted_conditional():
    doc = analyze("Should Borduria attack Syldavia, Ruritania should, in the Freedom Union's view, impose sanctions.")
    req = only(doc, "REQUEST")
    assert req.actor.entity == "fu" and [r.entity for r in req.recipients] == ["rur"]
    assert "hypothetical" in only(doc, "ASSAULT").aux


def test_it_as_a_speaker_is_the_body_that_last_spoke():
    doc = analyze("The Freedom Union condemned the verdict. Borduria attacked Syldavia.\n"
                  "It also asks Ruritania to help.")
    assert only(doc, "REQUEST").actor.entity == "fu"


def test_the_organisation_is_the_body_named_most_often():
    doc = analyze("The Freedom Union published a report. The Freedom Union met Ruritania.\n"
                  "The organisation documented 38 trials.",
                  extra={"The Freedom Union": ("fu", "organization")})
    ev = next(e for e in doc.events if e.trigger.text.startswith("documented"))
    assert ev.actor.entity == "fu"


def test_attribution_skips_an_apposition_after_the_person():
    doc = analyze("“This is a cynical show,” Marta Kovac, head of the Freedom Union, wrote.")
    assert only(doc, "ACCUSE").actor.entity == "kovac"


def test_not_stop_pressing_is_no_negation():
    doc = analyze("The Freedom Union will not stop pressing for sanctions.")
    ev = only(doc, "REQUEST")
    assert "negation" not in ev.aux and ev.actor.entity == "fu"
