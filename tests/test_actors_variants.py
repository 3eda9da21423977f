"""Actors: transliteration conventions, acronyms and contextual aliases, the boundary rule for
bodies that only look alike, and `actors find` explaining a match."""
from __future__ import annotations

import pytest
import yaml
from typer.testing import CliRunner

from claimscope.actors import ActorStage, load_kb
from claimscope.actors.cli import app
from claimscope.actors.translit import load_conventions
from claimscope.errors import DataFileError
from claimscope.model import Document


@pytest.fixture(scope="module")
def stage() -> ActorStage:
    return ActorStage(load_kb())


def _links(stage, text: str) -> list[tuple[str, str]]:
    return [(m.text, m.entity) for m in stage(Document(id="t", source="t", text=text)).mentions]


# ------------------------------------------------------------------ transliteration conventions
@pytest.mark.parametrize("spelling, eid, convention", [
    ("Swetlana Tichanowskaja", "person-tsikhanouskaya", "German"),
    ("Kolesnikowa", "person-kalesnikava", "German"),
    ("Alexander Lukaschenko", "person-lukashenko", None),
    ("Wolodymyr Selenskyj", "person-zelensky", "German"),
    ("Loukachenko", "person-lukashenko", "French"),
    ("Svetlana Tikhanovskaïa", "person-tsikhanouskaya", "French"),
    ("Łukaszenka", "person-lukashenko", "Polish"),
    ("Swiatłana Cichanouska", "person-tsikhanouskaya", "Polish"),
    ("Zełenski", "person-zelensky", "Polish"),
    ("Lukašenka", "person-lukashenko", "Lithuanian"),
    ("Vladimiras Putinas", "person-putin", "Lithuanian"),
    ("Svetlana Tikhanovskaia", "person-tsikhanouskaya", "ALA-LC"),
    ("Svetlana Tihanovskaâ", "person-tsikhanouskaya", "ISO 9"),
    ("Svâtlana Cìhanoǔskaâ", "person-tsikhanouskaya", "ISO 9"),
])
def test_conventions_resolve_and_find_names_them(stage, spelling, eid, convention):
    assert (spelling, eid) in _links(stage, f"{spelling} said so.")
    res = CliRunner().invoke(app, ["find", spelling])
    assert res.exit_code == 0 and eid in res.output
    if convention:
        assert f"via convention {convention}" in res.output, res.output


@pytest.mark.parametrize("spelling, eid", [
    ("Tsikhanovskaia", "person-tsikhanouskaya"), ("Tsihanouskaya", "person-tsikhanouskaya"),
    ("Zelenskii", "person-zelensky"), ("Zelenskyi", "person-zelensky"),
    ("Yegor Martinovich", "person-martsinovich"), ("Egor Martinovich", "person-martsinovich"),
    ("Hrenin", "person-khrenin"), ("Capkala", "person-tsapkala"), ("Sannikau", "person-sannikov"),
])
def test_english_ad_hoc_alternations_fold_to_one_key(stage, spelling, eid):
    assert (spelling, eid) in _links(stage, f"{spelling} said so.")


def test_find_says_ad_hoc_spelling_of_which_alias():
    res = CliRunner().invoke(app, ["find", "Tsikhanovskaia"])
    assert "English ad-hoc" in res.output and "person-tsikhanouskaya" in res.output


def test_gender_pairs_stay_apart_in_every_convention(stage):
    # Siarhei and Sviatlana Tsikhanouski(aya): no convention's form of one resolves to the other
    kb = stage.kb
    for (key, eid), forms in kb.conventions.items():
        if eid in ("person-tsikhanouski", "person-tsikhanouskaya"):
            other = {"person-tsikhanouski": "person-tsikhanouskaya",
                     "person-tsikhanouskaya": "person-tsikhanouski"}[eid]
            assert all(other not in p.entries for p in kb.patterns.get(key, [])), forms


def test_conventions_file_errors(tmp_path):
    p = tmp_path / "t.yaml"
    p.write_text(yaml.safe_dump({"xx": {"from": ["fr"], "letters": {"а": "a"}}}), encoding="utf-8")
    load_conventions.cache_clear()
    with pytest.raises(DataFileError) as exc:
        load_conventions(p)
    assert exc.value.entry == "xx" and exc.value.field == "from"
    p.write_text(yaml.safe_dump({"xx": {"from": ["ru"], "letters": {"а": "a"}, "colour": 1}}),
                 encoding="utf-8")
    with pytest.raises(DataFileError) as exc:
        load_conventions(p)
    assert exc.value.field == "colour"


# ------------------------------------------------------------------ acronyms and contextual aliases
@pytest.mark.parametrize("text, surface, eid", [
    ("ЄС і Україна", "ЄС", "eu"), ("ЕС ввёл санкции", "ЕС", "eu"),
    ("ОДКБ молчит", "ОДКБ", "csto"), ("The CSTO is silent", "CSTO", "csto"),
    ("ГУБОПиК задержал", "ГУБОПиК", "blr-gubopik"), ("GUBOPiK detained", "GUBOPiK", "blr-gubopik"),
    ("ГУБАЗіК затрымаў", "ГУБАЗіК", "blr-gubopik"), ("МЗС України заявило", "МЗС України", "ukr-mfa"),
    ("ВСУ наступают", "ВСУ", "ukr-mil"), ("БАЖ заявіла", "БАЖ", "blr-baj"),
])
def test_acronyms_in_every_script(stage, text, surface, eid):
    assert (surface, eid) in _links(stage, text)


def test_cc_only_near_belarusian_context(stage):
    assert ("CC", "blr-cc") not in _links(stage, "The CC met in Geneva on Monday.")
    assert ("CC", "blr-cc") in _links(stage, "Lukashenka jailed its members. The CC said so.")
    assert ("КС", "blr-cc") in _links(stage, "Каардынацыйная рада і КС заявілі.")  # a Belarusian text
    far = "Lukashenka spoke. " + "Nothing else happened that day. " * 20 + "The CC met."
    assert ("CC", "blr-cc") not in _links(stage, far)


def test_find_explains_a_contextual_alias():
    res = CliRunner().invoke(app, ["find", "CC"])
    assert res.exit_code == 0 and "blr-cc" in res.output
    assert "contextual alias, only near BLR ('CC')" in res.output


def test_bare_mfa_is_the_ministry_of_the_country_named(stage):
    assert ("MFA", "ukr-mfa") in _links(stage, "Zelensky spoke. The MFA said so.")
    assert ("МЗС", "blr-mfa") in _links(stage, "Лукашэнка выступіў. МЗС паведаміла.")
    assert not [e for t, e in _links(stage, "The MFA said so.") if t == "MFA"]


def test_alternative_english_names_of_bodies(stage):
    for text, eid in (("People's Anti-Crisis Administration", "blr-nam"),
                      ("Joint Transitional Cabinet", "blr-utc"),
                      ("Kalinowski Regiment", "blr-kalinouski"),
                      ("All-Belarusian National Assembly", "blr-all-belarusian-assembly"),
                      ("Belarusian Journalists' Association", "blr-baj")):
        assert (text, eid) in _links(stage, f"The {text} said so."), text


def test_contextual_entry_validation(tmp_path):
    p = tmp_path / "kb.yaml"
    p.write_text(yaml.safe_dump([{"id": "x1", "name": "X Body", "kind": "organization",
                                  "country": "BLR", "contextual": [{"alias": "XB"}]}]),
                 encoding="utf-8")
    with pytest.raises(DataFileError) as exc:
        load_kb([p])
    assert exc.value.field == "contextual[0]"
    p.write_text(yaml.safe_dump([{"id": "x1", "name": "X Body", "kind": "organization",
                                  "country": "BLR", "contextual": [{"alias": "XB", "near": [5]}]}]),
                 encoding="utf-8")
    with pytest.raises(DataFileError) as exc:
        load_kb([p])
    assert exc.value.field == "contextual[0].near"


# ------------------------------------------------------------------ bodies that only look alike
@pytest.mark.parametrize("text, full", [
    ("Yesterday the Coordination Council of the Russian opposition met.",
     "Coordination Council of the Russian opposition"),
    ("The Russian Coordination Council met.", "Russian Coordination Council"),
    ("The Central Election Commission of Ukraine said so.", "Central Election Commission of Ukraine"),
    ("The Estonian Foreign Ministry said so.", "Estonian Foreign Ministry"),
])
def test_a_kb_name_inside_a_longer_qualified_name_does_not_link(stage, text, full):
    doc = stage(Document(id="t", source="t", text=text))
    assert [(m.text, m.entity) for m in doc.mentions] == [(full, "x:" + full.lower())]
    assert [e.linked for e in doc.entities] == [False]


@pytest.mark.parametrize("text, surface, eid", [
    ("The Belarusian Coordination Council met.", "Belarusian Coordination Council", "blr-cc"),
    ("The Coordination Council of Belarus said.", "Coordination Council of Belarus", "blr-cc"),
    ("The UN Human Rights Council said.", "UN Human Rights Council", "un-hrc"),
    ("Coordination Council members met.", "Coordination Council", "blr-cc"),
])
def test_own_country_qualifiers_keep_the_link(stage, text, surface, eid):
    assert (surface, eid) in _links(stage, text)


@pytest.mark.parametrize("text, surface", [
    ("Координационный совет российской оппозиции собрался.", "Координационный совет российской оппозиции"),
    ("Каардынацыйная рада расейскай апазіцыі сабралася.", "Каардынацыйная рада расейскай апазіцыі"),
])
def test_a_cyrillic_country_adjective_after_a_body_name_makes_another_body(stage, text, surface):
    doc = stage(Document(id="t", source="t", text=text))
    assert [(m.text, m.entity.startswith("x:")) for m in doc.mentions] == [(surface, True)]


def test_own_country_cyrillic_adjective_keeps_the_link(stage):
    assert ("Каардынацыйная рада", "blr-cc") in _links(stage, "Каардынацыйная рада беларускай апазіцыі.")


def test_genitive_s_of_a_persons_name(stage):
    links = _links(stage, "Putins Krieg und Tichanowskajas Rede.")
    assert ("Putins", "person-putin") in links and ("Tichanowskajas", "person-tsikhanouskaya") in links
    assert not [e for _, e in _links(stage, "Marcus said so.") if e.startswith("person-")]


def test_journalists_association_and_union_are_different_bodies(stage):
    links = dict(_links(stage, "The Belarusian Association of Journalists criticised the "
                               "Belarusian Journalists' Union."))
    assert links == {"Belarusian Association of Journalists": "blr-baj",
                     "Belarusian Journalists' Union": "blr-buj"}


def test_a_kb_surname_after_another_given_name_is_another_person(stage):
    assert not [e for _, e in _links(stage, "Andrei Miadzvedzeu was charged.") if e == "person-medvedev"]
    assert ("Dmitry Medvedev", "person-medvedev") in _links(stage, "Dmitry Medvedev said so.")
    assert ("Medvedev", "person-medvedev") in _links(stage, "President Medvedev said so.")


def test_a_cyrillic_capital_in_a_case_form_or_after_a_preposition_is_a_place(stage):
    assert not [e for _, e in _links(stage, "Посольство США в Минске закрыто.") if e == "blr-gov"]
    assert not [e for _, e in _links(stage, "Люди вышли на улицы Минска.") if e == "blr-gov"]
    assert ("Минск", "blr-gov") in _links(stage, "Официальный Минск ответил Вильнюсу.")


def test_headlines_and_people_end_a_longer_name(stage):
    assert ("UN", "un") in _links(stage, "UN To Probe Police Violence In Belarus After Protests\n\nText.")
    links = _links(stage, "Chairman of the Council of Ministers of the Union State Mikhail Mishustin said.")
    assert ("Mikhail Mishustin", "person-mishustin") in links
    assert ("Council of Ministers of the Union State",
            "x:council of ministers of the union state") in links
