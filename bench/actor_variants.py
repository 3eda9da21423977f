"""Measure the actors stage.

    python bench/actor_variants.py            # resolution rate, false merges, gold P/R, speed
    python bench/actor_variants.py --write    # regenerate tests/data/actors/variants.yaml

1. Variant resolution: every string in tests/data/actors/variants.yaml (hand-written variants
   plus spellings generated from the knowledge base's Cyrillic names through independent
   romanisations: Belarusian Łacinka, the Belarusian passport system, ISO 9 and BGN/PCGN for
   Russian/Ukrainian) must resolve to its expected entry.
2. False merges: pairs of different people (the nearest surname keys in the knowledge base,
   plus hand-written confusables such as Lukashevich or Tsikhanouski) must never resolve to
   the same entry.
3. Classes (tests/data/actors/variant_classes.yaml, hand-written): inflected Cyrillic mentions in
   sentences, transliteration conventions (German, French, Polish, Lithuanian, ALA-LC, ISO 9),
   English ad-hoc spellings, acronyms in every script, alternative names of bodies - each must
   link to its entry; and different-entity traps (close names in every script and case, bodies
   that only look alike, acronyms out of context) - none may link to the entry named.
   Plus the generated table of every case form of every Cyrillic KB name (tests/case_forms.py).
4. Gold: precision/recall of linked entities against corpus gold.jsonl (SPEC §5 name test).
5. Throughput: sentences per second of the actor stage alone, one core.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import unicodedata
from pathlib import Path

import icu
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from claimscope.actors import ActorStage, load_kb  # noqa: E402
from claimscope.actors.keys import name_key  # noqa: E402
from claimscope.model import Document  # noqa: E402

VARIANTS = ROOT / "tests" / "data" / "actors" / "variants.yaml"
CLASSES = ROOT / "tests" / "data" / "actors" / "variant_classes.yaml"
CORPUS = ROOT.parent / "shared" / "corpus"

# ----------------------------------------------------------------------------- romanisers
_LAC = {"а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "ж": "ž", "з": "z",
        "і": "i", "и": "i", "й": "j", "к": "k", "м": "m", "н": "n", "о": "o", "п": "p",
        "р": "r", "с": "s", "т": "t", "у": "u", "ў": "ŭ", "ф": "f", "х": "ch", "ц": "c",
        "ч": "č", "ш": "š", "ы": "y", "э": "e", "ъ": "", "'": "", "’": ""}
_SOFT = {"е": "e", "ё": "o", "ю": "u", "я": "a"}
_SOFTEN = {"з": "ź", "с": "ś", "ц": "ć", "н": "ń", "л": "l"}
_VOW = set("аеёіиоуўыэюя")


def lacinka(word: str) -> str:
    """Belarusian Cyrillic -> Łacinka (classical rules, enough for names)."""
    out = []
    w = word
    for i, ch in enumerate(w):
        low = ch.lower()
        up = ch != low
        nxt = w[i + 1].lower() if i + 1 < len(w) else ""
        prev = w[i - 1].lower() if i > 0 else ""
        if low == "л":
            r = "l" if nxt in ("е", "ё", "ю", "я", "і", "ь") else "ł"
        elif low in _SOFT:
            if not prev or prev in _VOW or prev in "ьў'’":
                r = "j" + _SOFT[low]
            elif prev == "л":
                r = _SOFT[low]
            else:
                r = "i" + _SOFT[low]
        elif low == "ь":
            if out and out[-1].lower() in ("z", "s", "c", "n"):
                base = out.pop()
                soft = {"z": "ź", "s": "ś", "c": "ć", "n": "ń"}[base.lower()]
                out.append(soft.upper() if base.isupper() else soft)
            continue
        else:
            r = _LAC.get(low, low)
        out.append(r[:1].upper() + r[1:] if up else r)
    return "".join(out)


_PASS = {"а": "a", "б": "b", "в": "v", "г": "h", "д": "d", "е": "ie", "ё": "io", "ж": "zh",
         "з": "z", "і": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
         "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ў": "u", "ф": "f", "х": "kh",
         "ц": "ts", "ч": "ch", "ш": "sh", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
         "'": "", "’": ""}


def passport(word: str) -> str:
    """Belarusian Cyrillic -> the 2008 national (passport) romanisation."""
    out = []
    for i, ch in enumerate(word):
        low = ch.lower()
        r = _PASS.get(low, low)
        if low in ("е", "ё", "ю", "я") and (i == 0 or word[i - 1].lower() in _VOW):
            r = {"е": "ye", "ё": "yo", "ю": "yu", "я": "ya"}[low]
        out.append(r[:1].upper() + r[1:] if ch != low else r)
    return "".join(out)


_ISO9 = icu.Transliterator.createInstance("Cyrillic-Latin")
_BGN = {lang: icu.Transliterator.createInstance(f"{name}-Latin/BGN")
        for lang, name in (("be", "Belarusian"), ("ru", "Russian"), ("uk", "Ukrainian"))}


def cyr_lang(s: str) -> str:
    if "ў" in s.lower() or ("і" in s.lower() and ("ы" in s.lower() or "э" in s.lower())):
        return "be"
    if any(c in s.lower() for c in "їєґ") or ("і" in s.lower() and "и" in s.lower()):
        return "uk"
    if "і" in s.lower():
        return "be"
    return "ru"


def strip_marks(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


# ----------------------------------------------------------------------------- variant set
HAND = """
person-lukashenko: [Lukashenko, Lukashenka, Łukašenka, Лукашэнка, Лукашенко, "Lukashenka’s", "Lukashenko's",
  Aliaksandr Lukashenka, Alyaksandr Lukashenka, Alaksandr Łukašenka, Alexander Lukashenko,
  Aleksandr Lukashenko, Aleksander Lukashenko, Alexandr Lukashenko, Łukašenko, Lukašenka,
  Lukaschenko, Lukaszenka, Łukaszenka, Lukashenkа, Аляксандр Лукашэнка, Александр Лукашенко,
  Олександр Лукашенко, LUKASHENKA]
person-tsikhanouskaya: [Sviatlana Tsikhanouskaya, Svyatlana Tsikhanouskaya, Svetlana Tikhanovskaya,
  Śviatłana Cichanoŭskaja, Sviatłana Cichanoŭskaja, Ціханоўская, Тихановская, Святлана Ціханоўская,
  Светлана Тихановская, "Tsikhanouskaya’s", Tsikhanovskaya, Tsikhanoŭskaja, Cichanouskaja,
  Sviatlana Tsikhanovskaya, Svetlana Tikhanovska, Tsikhanouskaia, Tsihanouskaya, Cichanouskaja]
person-tsikhanouski: [Siarhei Tsikhanouski, Sergei Tikhanovsky, Siarhiej Cichanoŭski, Sergey Tikhanovskiy,
  Sergei Tsikhanouskyi, Сяргей Ціханоўскі, Сергей Тихановский, Tsikhanouski, Tikhanovskiy, Cichanoŭski,
  Siarhei Tsikhanouskiy, Sergey Tihanovski]
person-latushka: [Pavel Latushka, Paval Latushka, Pavel Latushko, Łatuška, Latuška, Латушка, Латушко,
  Павел Латушка, Paŭał Łatuška, Pavel Latuschka]
person-bialiatski: [Ales Bialiatski, Bialacki, Aleś Bialacki, Ales Byalyatski, Ales Belyatsky,
  Алесь Бяляцкі, Алесь Беляцкий, Bialiatsky, Ales Bialatski, Aleś Bialacki]
person-tsapkala: [Valery Tsapkala, Цапкала, Valery Tsepkalo, Цепкало, Valer Tsapkala, Capkała, Tsapkalo]
person-kalesnikava: [Maryia Kalesnikava, Maria Kalesnikava, Maria Kolesnikova, Марыя Калеснікава,
  Мария Колесникова, Kalesnikava, Kolesnikova, Maryja Kalesnikava, Mariya Kolesnikova]
person-babaryka: [Viktar Babaryka, Viktor Babariko, Viktor Babaryko, Віктар Бабарыка, Виктор Бабарико,
  Babaryka, Babariko, Viktar Barbaryka]
person-putin: [Putin, Vladimir Putin, Владимир Путин, Уладзімір Пуцін, Володимир Путін, Putsin,
  "Putin’s", Wladimir Putin]
person-zelensky: [Zelensky, Zelenskyy, Zelenskyi, Zelenskiy, Зеленський, Зеленский, Volodymyr Zelensky,
  Volodymyr Zelenskyy, Володимир Зеленський, Zelenski]
person-lavrov: [Lavrov, Sergei Lavrov, Sergey Lavrov, Сергей Лавров, Siarhei Laurou]
person-znak: [Maksim Znak, Maxim Znak, Максім Знак, Максим Знак]
person-statkevich: [Mikalai Statkevich, Nikolai Statkevich, Mikałaj Statkievič, Мікалай Статкевіч, Статкевич]
person-sannikov: [Andrei Sannikov, Andrei Sannikau, Andrej Sańnikaŭ, Андрэй Саннікаў, Андрей Санников, Sannikaŭ]
person-protasevich: [Roman Protasevich, Raman Pratasevich, Раман Пратасевіч, Роман Протасевич, Pratasevič]
person-alexievich: [Svetlana Alexievich, Sviatlana Alexievich, Svetlana Aleksievich, Святлана Алексіевіч,
  Светлана Алексиевич, Alexievich, Aleksijevič]
person-poczobut: [Andrzej Poczobut, Andrei Pochobut, Andrey Pochobut, Andżej Paczobut, Анджей Почобут, Poczobut]
person-kavalkova: [Volha Kavalkova, Olga Kovalkova, Вольга Кавалькова, Ольга Ковалькова, Kavalkova, Kovalkova]
person-kazlou: [Mikalai Kazlou, Nikolai Kozlov, Мікалай Казлоў, Kazłoŭ]
person-autukhovich: [Mikalai Autukhovich, Nikolai Avtukhovich, Mikałaj Aŭtuchovič, Аўтуховіч, Автухович]
person-khalip: [Iryna Khalip, Irina Khalip, Ірына Халіп, Ирина Халип, Chalip]
person-makei: [Vladimir Makei, Uladzimir Makei, Makiej, Макей, Vladimir Makey]
person-zakharova: [Maria Zakharova, Zakharova, Мария Захарова, Zacharova]
person-martsinovich: [Yegor Martinovich, Yahor Martsinovich, Jahor Marcinovič, Егор Мартинович, Ягор Марціновіч]
person-borrell: [Josep Borrell, Borrell, Josep Borrell Fontelles]
person-guterres: [António Guterres, Antonio Guterres, Guterres]
person-medvedev: [Dmitry Medvedev, Dmitri Medvedev, Дмитрий Медведев, Miedviediev]
person-shoigu: [Sergei Shoigu, Sergey Shoygu, Шойгу, Shojgu]
person-kuleba: [Dmytro Kuleba, Кулеба, Dmitry Kuleba]
person-pazniak: [Zianon Pazniak, Zenon Poznyak, Зянон Пазьняк, Paźniak]
person-dyleuski: [Siarhei Dyleuski, Sergei Dylevsky, Dyleŭski, Сяргей Дылеўскі]
person-vaskovich: [Yauhen Vaskovich, Yevgeny Vaskovich, Jaŭhien Vaskovič]
blr-viasna: [Viasna, Vyasna, Вясна, Viasna Human Rights Centre, Viasna Human Rights Center, Human Rights Centre Viasna]
blr-cc: [Coordination Council, Coordinating Council, Coordination Council of Belarus, Каардынацыйная рада,
  Координационный совет]
blr-nam: [National Anti-Crisis Management, NAU, NAM, National Anti-Crisis Management of Belarus]
blr-utc: [United Transitional Cabinet, UTC, United Transitional Cabinet of Belarus]
blr-nasha-niva: [Nasha Niva, Naša Niva, Наша Ніва]
blr-gov: [Lukashenka regime, Lukashenko regime, Łukašenka regime, Government of Belarus, Belarusian government,
  Belarusian authorities, authorities of Belarus, regime in Belarus, Belarusian regime]
rus-gov: [Government of Russia, Russian government, Government of the Russian Federation, Russian authorities]
ukr-gov: [Government of Ukraine, Ukrainian government, Ukrainian authorities]
rus-mil: [Russian troops, Russian army, Russian military, Armed Forces of the Russian Federation, Russian Armed Forces]
blr-mil: [Belarusian army, Armed Forces of Belarus, Armed Forces of the Republic of Belarus, Belarusian troops]
ukr-mil: [Armed Forces of Ukraine, Ukrainian army, ZSU, AFU, Ukrainian Armed Forces]
blr: [Belarus, Republic of Belarus, Беларусь, Білорусь, Byelorussia, Belorussia]
rus: [Russia, Russian Federation, Россия, Расія, Росія]
ukr: [Ukraine, Украина, Україна, Украіна]
pol: [Poland, Польша, Польшча, Польща, Republic of Poland]
ltu: [Lithuania, Литва, Літва]
lva: [Latvia, Латвия, Латвія]
eu: [European Union, EU, Европейский союз, Еўрапейскі саюз]
un: [United Nations, UN, U.N., ООН]
osce: [OSCE, Organization for Security and Co-operation in Europe, ОБСЕ]
nato: [NATO, НАТО, North Atlantic Treaty Organization]
icc: [International Criminal Court, ICC]
blr-people: [Belarusians, Belarusian people, people of Belarus, the Belarusian people]
ukr-people: [Ukrainians, Ukrainian people, people of Ukraine]
blr-mfa: [Belarusian Foreign Ministry, Ministry of Foreign Affairs of Belarus, Belarusian MFA, Foreign Ministry of Belarus]
ukr-mfa: [Ministry of Foreign Affairs of Ukraine, Ukrainian Foreign Ministry, MFA of Ukraine]
rus-mfa: [Russian Foreign Ministry, Ministry of Foreign Affairs of Russia, Russian MFA]
"""

# people the knowledge base does not have, each close to one it has: must stay unresolved or
# resolve to someone else
CONFUSABLE = """
person-lukashenko: [Lukashevich, Lukashuk, Lukashov, Lukashenkov, Alexander Lukashevich, Lukashenia]
person-tsikhanouskaya: [Tsikhanouski, Siarhei Tsikhanouski, Tikhanovsky, Tsikhanovich, Tsikhanava]
person-tsikhanouski: [Tsikhanouskaya, Sviatlana Tsikhanouskaya, Tikhanovskaya, Cichanoŭskaja]
person-latushka: [Latushkin, Latysh, Latushkina, Lapushka]
person-kalesnikava: [Kalesnik, Kolesnikov, Kalesnikau, Maxim Kolesnikov]
person-babaryka: [Eduard Babaryka, Babarykin, Barbarych]
person-eduard-babaryka: [Viktar Babaryka, Viktor Babariko]
person-tsapkala: [Veranika Tsapkala, Veronika Tsepkalo, Tsapkalova]
person-veranika-tsapkala: [Valery Tsapkala, Valery Tsepkalo]
person-putin: [Putina, Putilin, Putyatin, Pushkin]
person-lavrov: [Lavrova, Lavrenov, Lavrik]
person-znak: [Znamenski, Znaka]
person-kazlou: [Kazlova, Kozlova, Kazlouski, Kozlovsky]
person-makei: [Makeyev, Makeeva, Makeyeu]
person-medvedev: [Medvedeva, Medvedchuk, Viktor Medvedchuk]
person-statkevich: [Statkevicius, Stankevich, Stankevič]
person-zelensky: [Zelenska, Olena Zelenska, Zelenskaya, Zelenko]
person-khalip: [Khalipova, Khalil]
person-sannikov: [Sannikova, Sannikava]
person-dyleuski: [Dyleuskaya, Dylevskaya]
person-kavalkova: [Kavalkou, Kovalkov]
person-protasevich: [Protasenia, Pratasevicha]
person-martsinovich: [Martsinkevich, Martinovics]
person-shushkevich: [Shushkevicha, Shushkova]
person-maroz: [Marozau, Morozov, Maroza]
person-kochanova: [Kochanov, Kachanau]
"""


def generated_variants(kb) -> dict[str, list[str]]:
    """Spellings made from the KB's Cyrillic names by romanisations the matcher does not use
    directly (Łacinka, passport, ISO 9 with and without marks, BGN, possessive)."""
    out: dict[str, list[str]] = {}
    for e in kb.entries.values():
        if e.kind != "person" or e.country not in ("BLR", "RUS", "UKR"):
            continue
        forms: list[str] = []
        for a in e.aliases:
            if not re.search(r"[\u0400-\u04ff]", a):
                continue
            lang = cyr_lang(a)
            cand = [_ISO9.transliterate(a), _BGN[lang].transliterate(a)]
            if lang == "be":
                cand += [lacinka(a), passport(a)]
            for c in cand:
                c = c.replace("ʹ", "").replace("ʺ", "").replace("·", "")
                if c and c not in forms and c not in e.aliases:
                    forms.append(c)
        if forms:
            parts = forms[0].split()
            if len(parts) > 1 and e.surname:
                forms.append(parts[-1] + "’s")
            out[e.id] = forms
    return out


def write_variants(kb) -> None:
    hand = yaml.safe_load(HAND)
    gen = generated_variants(kb)
    conf = yaml.safe_load(CONFUSABLE)
    data = {"variants": {}, "confusable": {k: v for k, v in conf.items() if v and k in kb.entries}}
    for k, v in hand.items():
        data["variants"].setdefault(k, []).extend(v)
    for k, v in gen.items():
        lst = data["variants"].setdefault(k, [])
        lst.extend(x for x in v if x not in lst)
    VARIANTS.parent.mkdir(parents=True, exist_ok=True)
    header = ("# Variant spellings (expected entry id -> strings) and confusables (entry id -> names\n"
              "# of *other* people that must never resolve to it). `variants` = hand-written list\n"
              "# plus romanisations generated by bench/actor_variants.py --write from the KB's\n"
              "# Cyrillic names (Łacinka, Belarusian passport, ISO 9, BGN/PCGN).\n")
    VARIANTS.write_text(header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110),
                        encoding="utf-8")


# ----------------------------------------------------------------------------- resolution
def resolve(stage: ActorStage, text: str) -> tuple[str | None, str, str]:
    """Resolve a bare name string like the matcher would inside a sentence."""
    doc = Document(id="v", source="v", text=f"{text} said so.")
    stage(doc)
    first = [m for m in doc.mentions if m.start < len(text) and m.via != "nested"]
    if not first:
        return None, name_key(text), "-"
    m = max(first, key=lambda m: (m.end - m.start))
    return (m.entity if not m.entity.startswith("x:") else None), name_key(text), m.via


def run_variants(stage: ActorStage, data: dict) -> tuple[int, int, list[str]]:
    ok = total = 0
    fails = []
    for eid, forms in data["variants"].items():
        for f in forms:
            total += 1
            got, key, via = resolve(stage, f)
            if got == eid:
                ok += 1
            else:
                fails.append(f"{f!r} -> {got} (key {key!r}, expected {eid})")
    return ok, total, fails


def person_pairs(kb, per_person: int = 12) -> list[tuple[str, str, str, str]]:
    """(form A, id A, form B, id B): for each person, the people with the nearest surname keys."""
    from rapidfuzz.distance import Levenshtein

    people = [e for e in kb.entries.values() if e.kind == "person"]
    forms = {}
    for e in people:
        fl = [e.name] + [a for a in e.aliases if len(a.split()) >= 2][:3]
        forms[e.id] = fl
    keys = {e.id: name_key(e.name).split(" ")[-1] for e in people}
    pairs = []
    for e in people:
        near = sorted((Levenshtein.distance(keys[e.id], keys[o.id]), o.id) for o in people
                      if o.id != e.id)[:per_person]
        for _, oid in near:
            for fa in forms[e.id][:2]:
                for fb in forms[oid][:1]:
                    pairs.append((fa, e.id, fb, oid))
    return pairs


def run_pairs(stage: ActorStage, kb, data: dict) -> tuple[int, int, list[str]]:
    merges = 0
    total = 0
    bad = []
    cache: dict[str, str | None] = {}

    def res(s: str) -> str | None:
        if s not in cache:
            cache[s] = resolve(stage, s)[0]
        return cache[s]

    for fa, ia, fb, ib in person_pairs(kb):
        total += 1
        ra, rb = res(fa), res(fb)
        if ra is not None and ra == rb:
            merges += 1
            bad.append(f"{fa!r} ({ia}) and {fb!r} ({ib}) both -> {ra}")
    for eid, others in data.get("confusable", {}).items():
        for o in others:
            total += 1
            if res(o) == eid:
                merges += 1
                bad.append(f"{o!r} (another person) -> {eid}")
    return merges, total, bad


# ----------------------------------------------------------------------------- classes
_BRACKETS = re.compile(r"\[([^\]]+)\]")


def _case(text: str) -> tuple[str, int, int]:
    """A class case -> (sentence, start, end) of the mention it is about."""
    m = _BRACKETS.search(text)
    if m is None:
        return f"{text} said so.", 0, len(text)
    plain = text[:m.start()] + m.group(1) + text[m.end():]
    if plain == m.group(1):
        plain += " said so."
    return plain, m.start(), m.start() + len(m.group(1))


def _linked_at(stage: ActorStage, text: str, a: int, b: int) -> list:
    doc = Document(id="c", source="c", text=text)
    stage(doc)
    return [m for m in doc.mentions if m.start < b and a < m.end and m.via != "nested"]


def run_classes(stage: ActorStage, data: dict) -> tuple[dict, list[str]]:
    """{class: [resolved, total]} (traps: [not merged, total]) and the failures."""
    out: dict[str, list[int]] = {}
    fails = []
    for cls, by_entry in data["variants"].items():
        r = out.setdefault(cls, [0, 0])
        for eid, cases in by_entry.items():
            for case in cases:
                text, a, b = _case(case)
                got = _linked_at(stage, text, a, b)
                best = max(got, key=lambda m: m.end - m.start) if got else None
                r[1] += 1
                if best is not None and best.entity == eid:
                    r[0] += 1
                else:
                    fails.append(f"{cls}: {case!r} -> {best and (best.text, best.entity)}, want {eid}")
    r = out.setdefault("traps (different entity)", [0, 0])
    for eid, cases in data["traps"].items():
        for case in cases:
            text, a, b = _case(case)
            got = _linked_at(stage, text, a, b)
            r[1] += 1
            if any(m.entity == eid for m in got):
                fails.append(f"trap: {case!r} -> {eid} (false merge)")
            else:
                r[0] += 1
    return out, fails


def run_case_table(stage: ActorStage, kb) -> tuple[dict, list[str]]:
    """Every case form of every Cyrillic KB person and body name, per language."""
    sys.path.insert(0, str(ROOT / "tests"))
    from case_forms import FRAME, case_table

    out: dict[str, list[int]] = {}
    fails = []
    for eid, lang, name, case, form in case_table(kb):
        r = out.setdefault(lang, [0, 0])
        text = FRAME[lang].format(form)
        got = _linked_at(stage, text, 0, len(form))
        best = max(got, key=lambda m: m.end - m.start) if got else None
        r[1] += 1
        if best is not None and best.entity == eid and best.end - best.start >= len(form):
            r[0] += 1
        else:
            fails.append(f"{form!r} ({case} of {name!r}) -> {best and (best.text, best.entity)}")
    return out, fails


# ----------------------------------------------------------------------------- gold
def _sentences(doc: Document) -> None:
    try:
        from claimscope.segment import segment

        segment(doc)
    except Exception:  # noqa: BLE001 - fall back to a regex splitter
        from claimscope.model import Sentence

        pos = 0
        for i, m in enumerate(re.finditer(r"[^\n.!?]+[.!?]*", doc.text)):
            doc.sentences.append(Sentence(i, "sentence", m.start(), m.end()))
            pos = m.end()


def gold_eval(stage: ActorStage, verbose: bool = False) -> dict:
    from claimscope.evaluate import fold_name

    gold_path = CORPUS / "gold.jsonl"
    res = {"all": [0, 0, 0, 0], "nogroup": [0, 0, 0, 0]}
    details = []
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        g = json.loads(line)
        path = CORPUS.parent / g["file"]
        text = path.read_text(encoding="utf-8")
        doc = Document(id=g["file"], source=g["file"], text=text, published=g.get("published"))
        _sentences(doc)
        stage(doc)
        gsets = []
        for a in g["actors"]:
            s = {fold_name(a["name"])} | {fold_name(x) for x in a.get("aliases") or []}
            s.discard("")
            gsets.append((a["name"], s))
        for mode in ("all", "nogroup"):
            linked = [(e.name, {fold_name(e.name)} | {fold_name(x) for x in e.aliases})
                      for e in doc.entities if e.linked and (mode == "all" or e.kind != "group")]
            r = res[mode]
            r[0] += sum(1 for _, ps in linked if any(ps & gs for _, gs in gsets))
            r[1] += len(linked)
            r[2] += sum(1 for _, gs in gsets if any(ps & gs for _, ps in linked))
            r[3] += len(gsets)
            if mode == "all" and verbose:
                fp = [n for n, ps in linked if not any(ps & gs for _, gs in gsets)]
                fn = [n for n, gs in gsets if not any(ps & gs for _, ps in linked)]
                details.append(f"{g['file']}: FP {fp} FN {fn}")
    out = {}
    for mode, (tp, npred, gtp, ngold) in res.items():
        out[mode] = {"precision": tp / npred if npred else 0.0, "recall": gtp / ngold if ngold else 0.0,
                     "pred": npred, "gold": ngold}
    out["details"] = details
    return out


# ----------------------------------------------------------------------------- speed
def throughput(stage: ActorStage, rounds: int = 20) -> tuple[float, int]:
    docs = []
    for p in sorted((CORPUS / "seeds").glob("*.txt")) + sorted((CORPUS / "dev").glob("*.txt")):
        doc = Document(id=p.name, source=str(p), text=p.read_text(encoding="utf-8"))
        _sentences(doc)
        docs.append(doc)
    n_sent = sum(len(d.sentences) for d in docs)
    stage(docs[0])
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(rounds):
        for d in docs:
            stage(d)
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    # per CPU second too: on a shared machine the wall clock also counts other processes' turns
    return n_sent * rounds / dt, n_sent, n_sent * rounds / cpu


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", action="store_true", help="regenerate the variants file")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    kb = load_kb()
    stage = ActorStage(kb)
    if args.write:
        write_variants(kb)
    data = yaml.safe_load(VARIANTS.read_text(encoding="utf-8"))
    ok, total, fails = run_variants(stage, data)
    print(f"variants resolved   {ok}/{total} = {ok / total:.3f}")
    if args.verbose:
        for f in fails:
            print("   MISS", f)
    merges, npairs, bad = run_pairs(stage, kb, data)
    print(f"different-person pairs {npairs}, false merges {merges}")
    for b in bad[:50]:
        print("   MERGE", b)
    classes, fails = run_classes(stage, yaml.safe_load(CLASSES.read_text(encoding="utf-8")))
    print(f"{'class':28} {'cases':>6} {'ok':>6} {'rate':>6}")
    for cls, (ok, total) in classes.items():
        print(f"{cls:28} {total:6d} {ok:6d} {ok / total:6.3f}")
    table, table_fails = run_case_table(stage, kb)
    for lang, (ok, total) in table.items():
        print(f"{'case forms (generated) ' + lang:28} {total:6d} {ok:6d} {ok / total:6.3f}")
    for f in (fails + table_fails)[:80] if args.verbose else [f for f in fails if "false merge" in f]:
        print("   FAIL", f)
    g = gold_eval(stage, args.verbose)
    for mode in ("all", "nogroup"):
        m = g[mode]
        label = "all linked" if mode == "all" else "without groups"
        print(f"gold entities ({label:14}) P {m['precision']:.3f} R {m['recall']:.3f} "
              f"(pred {m['pred']}, gold {m['gold']})")
    if args.verbose:
        for d in g["details"]:
            print("  ", d)
    sps, n, per_cpu = throughput(stage)
    print(f"throughput          {sps:,.0f} sentences/s wall, {per_cpu:,.0f} per CPU second "
          f"({n} sentences, one core; load {os.getloadavg()[0]:.1f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
