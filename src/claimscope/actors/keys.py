"""Transliteration-aware name keys.

A *key* is a coarse phonetic skeleton of a word, the same for the usual spellings of one name:
English (BGN/PCGN and national romanisations), Belarusian Łacinka, Polish/Lithuanian-style
diacritics, ISO 9, and Belarusian / Russian / Ukrainian Cyrillic (transliterated with the ICU
BGN transform of the detected language). Examples::

    Lukashenka, Lukashenko, Łukašenka, Лукашэнка, Лукашенко      -> lukaSenka
    Tsikhanouskaya, Cichanoŭskaja, Ціханоўская                   -> cihanauskaia
    Tsikhanouski, Cichanoŭski                                    -> cihanauski
    Latushka, Łatuška, Латушка                                   -> latuSka  (S = sh, C = ch)

Folding: Łacinka/Polish/Czech/Baltic letters to English digraphs (and "ch" to [x] in words
carrying such letters); ISO 9 â/û to ia/iu; then sh/sch/sz/š -> S, zh/ž -> Z, ch/cz/č -> C,
kh/h/g -> h (Belarusian/Ukrainian г is h, Russian g), ts/tz/c -> c, x -> ks, w -> v, y/j -> i,
o -> a (akanne: Lukashenko ~ Lukashenka), an i-glide after a consonant dropped (Sviatlana ~
Svyatlana ~ Śviatłana), v after a vowel before a consonant -> u (Kozlov ~ Kazlou), doubled
letters single.

Different languages' forms of a name (Belarusian Tsikhanouskaya vs Russian Tikhanovskaya) are
*not* unified by the key; the knowledge base lists them as aliases.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import icu

_TRANS = {
    "be": icu.Transliterator.createInstance("Belarusian-Latin/BGN"),
    "ru": icu.Transliterator.createInstance("Russian-Latin/BGN"),
    "uk": icu.Transliterator.createInstance("Ukrainian-Latin/BGN"),
}
_ANY_LATIN = icu.Transliterator.createInstance("Any-Latin; Latin-ASCII")

_CYR = re.compile(r"[\u0400-\u04ff]")
# letters that mark a Latin word as Łacinka / Polish / Czech / Baltic (where "ch" is [x], c is [ts])
_CE_MARKS = set("łŭćśźńšžčżęąóřěůėįųūāēīņļķģŁŬĆŚŹŃŠŽČŻĘĄÓŘĚŮĖĮŲŪĀĒĪŅĻĶĢ")
_LATIN_MAP = {
    "ł": "l", "ŭ": "u", "ć": "c", "ś": "s", "ź": "z", "ń": "n", "š": "sh", "ž": "zh",
    "č": "ch", "ż": "zh", "ę": "e", "ą": "a", "ó": "u", "ř": "rzh", "ě": "e", "ů": "u",
    "ė": "e", "į": "i", "ų": "u", "ū": "u", "ā": "a", "ē": "e", "ī": "i", "ņ": "n", "ļ": "l",
    "ķ": "k", "ģ": "g", "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ð": "d",
    "þ": "th", "ı": "i", "ʹ": "", "ʼ": "", "'": "", "’": "", "ˮ": "", "`": "", "·": "",
    # ISO 9: я â, ю û, щ ŝ, є ê (Ukrainian), э è
    "â": "ia", "û": "iu", "ŝ": "shch", "ê": "ie", "è": "e", "ǎ": "ia",
}
_VOWELS = set("aeiou")


def cyrillic_language(text: str, default: str = "ru") -> str:
    """be / uk / ru from the letters only Belarusian or Ukrainian use."""
    low = text.lower()
    if "ў" in low:
        return "be"
    if any(c in low for c in "їєґ"):
        return "uk"
    if "і" in low:
        if "ы" in low or "э" in low:
            return "be"
        if "и" in low:
            return "uk"
        return default if default in ("be", "uk") else "be"
    if any(c in low for c in "ыэъё"):
        return "ru" if default != "be" else "be"
    return default


def _strip_marks(s: str) -> str:
    out = []
    for ch in unicodedata.normalize("NFD", s):
        if unicodedata.category(ch) != "Mn":
            out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def to_latin(word: str, lang: str | None = None) -> str:
    """Romanise one word: Cyrillic via ICU BGN per language, others via Any-Latin."""
    if _CYR.search(word):
        lang = lang or cyrillic_language(word)
        return _TRANS.get(lang, _TRANS["ru"]).transliterate(word).replace("·", "")
    if word.isascii():
        return word
    if any(c.isalpha() and ord(c) > 0x24F for c in word):  # Greek, Georgian, ...
        return _ANY_LATIN.transliterate(word)
    return word


_SUBS = [  # applied in order on a lower-case ASCII-ish string
    ("shch", "Sc"), ("szcz", "Sc"), ("sch", "S"), ("tch", "C"), ("cz", "C"), ("sz", "S"),
    ("sh", "S"), ("zh", "Z"), ("kh", "h"), ("ch", "C"), ("ts", "c"), ("tz", "c"), ("dz", "Dz"),
    ("ph", "f"), ("x", "ks"), ("w", "v"), ("q", "k"), ("y", "i"), ("j", "i"), ("g", "h"),
]


@lru_cache(maxsize=200_000)
def word_key(word: str, lang: str | None = None) -> str:
    """The key of one word (no spaces). Empty for words with no letters or digits."""
    if not word:
        return ""
    latin = to_latin(word, lang)
    low = latin.lower()
    central = any(c in _CE_MARKS for c in word) or (lang is not None and _CYR.search(word) is None
                                                       and lang == "lacinka")
    if _CYR.search(word):
        central = False
    if central:  # Łacinka / Polish / Czech: "ch" is [x]
        low = low.replace("ch", "kh")
    low = "".join(_LATIN_MAP.get(c, c) for c in low)
    low = _strip_marks(low)
    low = re.sub(r"[^a-z0-9]", "", low)
    if not low:
        return ""
    if low.isdigit():
        return low
    for a, b in _SUBS:
        low = low.replace(a, b)
    # vowels: akanne (o ~ a), i-glides after consonants (bia ~ ba, lia ~ la), ў (ou ~ au ~ ov)
    low = low.replace("o", "a")
    chars = list(low)
    out: list[str] = []
    n = len(chars)
    for i, c in enumerate(chars):
        prev = out[-1] if out else ""
        nxt = chars[i + 1] if i + 1 < n else ""
        if c == "i":
            if (nxt in _VOWELS and nxt != "i" and i + 2 < n
                    and (not prev or prev not in _VOWELS)):
                continue  # glide: Sviatlana ~ Svatlana, initial Ye- ~ E-
            if prev == "i":
                continue
        if c == "v" and prev in _VOWELS and (not nxt or nxt not in _VOWELS):
            c = "u"  # Kozlov ~ Kazlou, Avtukhovich ~ Autukhovich
        if c == prev:
            continue  # Sannikov ~ Sanikov
        out.append(c)
    return "".join(out)


# a token: dotted acronym (U.S.), a web name (TUT.BY), or a word with inner apostrophes
# (Zelens'kyy, O'Brien); hyphens split tokens; a possessive 's is not part of the token
TOKEN = re.compile(
    r"(?:[A-Za-z]\.){2,}(?![A-Za-z])"
    r"|[^\W_]+\.(?:by|BY|com|org|net|ru|ua|eu|pl|lt)\b"
    r"|[^\W_]+(?:['’ʼ][^\W_]{2,})*",
    re.UNICODE,
)
STOP = frozenset({"the"})  # tokens with no key: "Government of the Russian Federation"


def tokenize(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in TOKEN.finditer(text)]


def name_key(text: str, lang: str | None = None) -> str:
    """Key of a multi-word name: word keys joined by one space ('the' and empty words dropped)."""
    keys = []
    if lang is None and _CYR.search(text):
        lang = cyrillic_language(text)
    for a, b in tokenize(text):
        k = word_key(text[a:b], lang)
        if k and k not in STOP:
            keys.append(k)
    return " ".join(keys)
def ascii_fold(text: str) -> str:
    """Lower-case ASCII form of a name (for unlinked entity ids and display comparisons)."""
    s = "".join(_LATIN_MAP.get(c, c) for c in to_latin(text).lower())
    s = _strip_marks(s)
    s = re.sub(r"[^a-z0-9]+", " ", s).strip()
    return s
