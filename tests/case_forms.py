"""Every case form of the knowledge base's Cyrillic person and body names, generated
independently of the resolver (which reduces forms with data/case_endings.yaml):

- Russian and Ukrainian: pymorphy3 with its OpenCorpora / VESUM dictionaries (inflection of
  dictionary words, suffix-analogy guesses for unknown surnames);
- Belarusian: the forward paradigms below (nominative ending -> the five oblique cases), written
  as declension tables, not as the resolver's reverse ending rules.

A person name inflects every word; a body name inflects its head noun (the first noun) and the
adjectives before it, in the head's gender; words after the head (genitive complements,
acronyms, quoted names) stay as they are: "Каардынацыйная рада" -> "Каардынацыйнай радзе",
"Полк Калиновского" -> "полка Калиновского".
"""
from __future__ import annotations

import re
from functools import lru_cache

CASES = ("gent", "datv", "accs", "ablt", "loct")
_CYR = re.compile(r"[\u0400-\u04ff]")


def language(name: str) -> str:
    """be / ru / uk by letters (a second detector, not keys.cyrillic_language)."""
    low = name.lower()
    if any(c in low for c in "їєґ") or ("і" in low and "и" in low):
        return "uk"
    if "ськ" in low or "цьк" in low:
        return "uk"
    if "ў" in low or "і" in low or ("э" in low and "и" not in low) or "дз" in low or "ыё" in low:
        return "be"
    return "ru"


def _like(model: str, word: str) -> str:
    """Give `word` the capitalisation of `model`."""
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


# ----------------------------------------------------------------------------- Russian, Ukrainian
@lru_cache(maxsize=2)
def _analyzer(lang: str):
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=lang)


def _gender_of_person(words: list[str], lang: str) -> str:
    m = _analyzer(lang)
    for w in words:
        for p in m.parse(w):
            if {"Name"} & set(p.tag.grammemes) and p.tag.gender in ("masc", "femn"):
                return p.tag.gender
    last = words[-1].lower()
    return "femn" if re.search(r"(ая|ова|ева|ина|ына|ська|цька|ська)$", last) else "masc"


def _pick(word: str, lang: str, gender: str | None, pos: set[str] | None = None,
          animate: bool = False):
    """The parse of `word` as a singular nominative of `gender` (and part of speech); of a
    person's name only an animate reading (not "Умеров" as an inanimate noun "умерва")."""
    parses = _analyzer(lang).parse(word)
    best = None
    for p in parses:
        g = set(p.tag.grammemes)
        if "nomn" not in g or "plur" in g:
            continue
        if pos and p.tag.POS not in pos:
            continue
        if animate and p.tag.POS == "NOUN" and "anim" not in g:
            continue
        if gender and p.tag.gender not in (gender, None) and "ms-f" not in g:
            continue
        score = (("Surn" in g or "Name" in g or "Patr" in g), p.score)
        if best is None or score > best[0]:
            best = (score, p)
    return best[1] if best else None


def _inflect(p, case: str, extra: set[str]) -> str | None:
    for grammemes in ({case, "sing"} | extra, {case} | extra, {case}):
        f = p.inflect(grammemes)
        if f is not None:
            return f.word
    return None


def morph_forms(name: str, lang: str, person: bool) -> dict[str, str]:
    words = name.split()
    out: dict[str, list[str]] = {c: list(words) for c in CASES}
    if person:
        gender = _gender_of_person(words, lang)
        for i, w in enumerate(words):
            if not _CYR.search(w) or w.isupper():
                continue
            # a surname in -ин/-ов is a noun (Ивашина), not a possessive adjective (Ивашиного)
            adjectival = re.search(r"(ий|ый|ой|ая|яя|ій|ка|на)$", w.lower()) and len(w) > 4
            p = _pick(w, lang, gender, {"NOUN", "ADJF"} if adjectival else {"NOUN"}, animate=True)
            if p is None:
                continue
            for c in CASES:
                f = _inflect(p, c, {gender, "anim"} if c == "accs" else {gender})
                if f:
                    out[c][i] = _like(w, f)
        return {c: " ".join(ws) for c, ws in out.items()}
    head = None
    for i, w in enumerate(words):
        if w.isupper() or not _CYR.search(w):
            break
        p = _pick(w, lang, None, {"NOUN"})
        a = _pick(w, lang, None, {"ADJF", "PRTF"})
        if p is not None and (a is None or p.score >= a.score):  # uk "рада" is also "glad"
            head = (i, p)
            break
    if head is None:
        return {}
    hi, hp = head
    anim = "anim" if "anim" in set(hp.tag.grammemes) else "inan"
    for c in CASES:
        f = _inflect(hp, c, set())
        if f:
            out[c][hi] = _like(words[hi], f)
        for j in range(hi):
            a = _pick(words[j], lang, hp.tag.gender, {"ADJF", "PRTF", "NPRO"})
            if a is None:
                continue
            extra = {hp.tag.gender} if hp.tag.gender else set()
            if c == "accs" and hp.tag.gender == "masc":
                extra.add(anim)
            fa = _inflect(a, c, extra)
            if fa:
                out[c][j] = _like(words[j], fa)
    return {c: " ".join(ws) for c, ws in out.items()}


# ----------------------------------------------------------------------------- Belarusian
_VELAR = "кгх"
_HARDENED = "рчшжц"
# dative/locative -е of a hard stem with the consonant alternation of Belarusian
_DAT_LOC = {"д": "дзе", "т": "це", "г": "зе", "х": "се", "к": "цэ"}


def _be_loc_hard(stem: str) -> str:
    last = stem[-1]
    if last in _DAT_LOC:
        return stem[:-1] + _DAT_LOC[last]
    if last in _HARDENED:
        return stem + "ы"
    return stem + "е"


def be_word(word: str, kind: str, gender: str, animate: bool) -> dict[str, str] | None:
    """The five oblique cases of one Belarusian word; kind is 'noun' or 'adj'."""
    w = word.lower()
    forms: dict[str, str]
    if kind == "adj":
        if w.endswith("ая"):
            s = w[:-2]
            forms = dict(gent=s + "ай", datv=s + "ай", accs=s + "ую", ablt=s + "ай", loct=s + "ай")
        elif w.endswith("ша"):  # Наша
            s = w[:-1]
            forms = dict(gent=s + "ай", datv=s + "ай", accs=s + "у", ablt=s + "ай", loct=s + "ай")
        elif w.endswith("ае"):
            s = w[:-2]
            forms = dict(gent=s + "ага", datv=s + "аму", accs=w, ablt=s + "ым", loct=s + "ым")
        elif w.endswith(("і", "ы")):
            s = w[:-1]
            io = "ім" if s[-1] in _VELAR else "ым"
            forms = dict(gent=s + "ага", datv=s + "аму", accs=s + "ага" if animate else w,
                         ablt=s + io, loct=s + io)
        else:
            return None
        return {c: _like(word, f) for c, f in forms.items()}
    if w == "павел":
        forms = dict(gent="паўла", datv="паўлу", accs="паўла", ablt="паўлам", loct="паўлу")
    elif w.endswith("ія"):
        s = w[:-1]
        forms = dict(gent=s + "і", datv=s + "і", accs=s + "ю", ablt=s + "яй", loct=s + "і")
    elif w.endswith("нне"):
        s = w[:-1]
        forms = dict(gent=s + "я", datv=s + "ю", accs=w, ablt=s + "ем", loct=s + "і")
    elif w.endswith("я") and gender == "femn":  # Асамблея, Арганізацыя
        s = w[:-1]
        forms = dict(gent=s + "і", datv=s + "і", accs=s + "ю", ablt=s + "яй", loct=s + "і")
    elif w.endswith("а") and gender == "femn":
        s = w[:-1]
        gen = s + ("і" if s[-1] in _VELAR else "ы")
        forms = dict(gent=gen, datv=_be_loc_hard(s), accs=s + "у", ablt=s + "ай",
                     loct=_be_loc_hard(s))
    elif w.endswith("а"):  # masculine in -а: Лукашэнка, Латушка, Цапкала
        s = w[:-1]
        gen = s + ("і" if s[-1] in _VELAR else "ы")
        forms = dict(gent=gen, datv=s + "у", accs=s + "у", ablt=s + "ам", loct=s + "у")
    elif w.endswith(("ай", "ей", "эй")):  # Мікалай, Сяргей, Андрэй
        s = w[:-1]
        forms = dict(gent=s + "я", datv=s + "ю", accs=s + "я", ablt=s + "ем", loct=s + "ю")
    elif w.endswith("ь"):  # Алесь
        s = w[:-1]
        forms = dict(gent=s + "я", datv=s + "ю", accs=s + "я", ablt=s + "ем", loct=s + "ю")
    elif w.endswith(("аў", "оў", "еў")):  # Саннікаў, Казлоў
        s = w[:-1] + "в"
        forms = dict(gent=s + "а", datv=s + "у", accs=s + "а", ablt=s + "ым", loct=s + "е")
    elif w.endswith(("ін", "ын")) and animate:  # Пуцін
        forms = dict(gent=w + "а", datv=w + "у", accs=w + "а", ablt=w + "ым", loct=w + "е")
    elif w[-1] not in "аеёіоуыэюяў" and w[-1].isalpha():
        if animate:
            forms = dict(gent=w + "а", datv=w + "у", accs=w + "а", ablt=w + "ам", loct=w + "у")
        else:
            loc = w + "у" if w[-1] in _VELAR else _be_loc_hard(w)
            forms = dict(gent=w + "а", datv=w + "у", accs=w, ablt=w + "ам", loct=loc)
    else:
        return None  # indeclinable: Радыё, foreign names in -о/-э
    return {c: _like(word, f) for c, f in forms.items()}


def be_forms(name: str, person: bool) -> dict[str, str]:
    words = name.split()
    out: dict[str, list[str]] = {c: list(words) for c in CASES}
    if person:
        last = words[-1].lower()
        femn = bool(re.search(r"(ая|ава|ева|іна|ына)$", last)) or words[0].lower().endswith(("а", "я"))
        gender = "femn" if femn else "masc"
        for i, w in enumerate(words):
            if not _CYR.search(w) or w.isupper():
                continue
            kind = "adj" if re.search(r"(скі|цкі|ская|цкая|ская)$", w.lower()) else "noun"
            f = be_word(w, kind, gender, True)
            for c in CASES:
                if f:
                    out[c][i] = f[c]
        return {c: " ".join(ws) for c, ws in out.items()}
    # bodies: adjectives (-ая/-ы/-і/-ае, Наша) up to the head noun
    head = None
    for i, w in enumerate(words):
        if w.isupper() or not _CYR.search(w) or not w.replace("'", "").isalpha():
            break
        if not re.search(r"(ая|ы|і|ае|ша)$", w.lower()) or re.search(r"(ыя|ія)$", w.lower()):
            head = i
            break
    if head is None:
        return {}
    hw = words[head].lower()
    gender = "femn" if hw.endswith(("а", "я")) else ("neut" if hw.endswith(("е", "ё")) else "masc")
    hf = be_word(words[head], "noun", gender, False)
    if hf is None:
        return {}
    for c in CASES:
        out[c][head] = hf[c]
        for j in range(head):
            af = be_word(words[j], "adj", gender, False)
            if af:
                out[c][j] = af[c]
    return {c: " ".join(ws) for c, ws in out.items()}


# ----------------------------------------------------------------------------- the table
FRAME = {"be": "{} і яго калегі", "ru": "{} и его коллеги", "uk": "{} та їхні колеги"}


def case_table(kb) -> list[tuple[str, str, str, str, str]]:
    """(entry id, language, citation name, case, form) for every Cyrillic person name and
    multi-word body name of the knowledge base."""
    rows = []
    for e in kb.entries.values():
        if e.derived_from or e.kind == "country":
            continue
        person = e.kind == "person"
        tagged = [(n, lang) for lang, names in e.cyrillic.items() for n in names]
        untagged = [(n, language(n)) for n in e.all_names() if n not in e.cyrillic_names()]
        for name, lang in tagged + untagged:
            if not _CYR.search(name) or not re.fullmatch(r"[\w'’ -]+", name):
                continue
            if not person and " " not in name:
                continue
            forms = be_forms(name, person) if lang == "be" else morph_forms(name, lang, person)
            for case, form in forms.items():
                rows.append((e.id, lang, name, case, form))
    return rows
