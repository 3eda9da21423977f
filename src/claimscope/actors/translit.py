"""Romanise Cyrillic names in the conventions of data/transliteration.yaml (German, French,
Polish, Lithuanian, ALA-LC, ISO 9). The knowledge base adds each result as an alias of its entry
and remembers the convention, so `actors find` can say "as German 'Tichanowskaja'".

The English ad-hoc alternations (y/i, iy/ii/yy, ye/e, kh/h, ts/c, -ov/-au) need no table: the
key (keys.py) folds them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from claimscope.errors import DataFileError, read_yaml_mapping

SOURCE_LANGUAGES = ("be", "ru", "uk")
_VOWELS = set("аеёиіїоуўыэюяє")
_IOTATED = set("еёюяє")
_HUSHING = set("жшчщц")
_FIELDS = frozenset("label from letters lang digraphs iotated soft soft_sign hard_l "
                    "between_vowels endings masculine".split())
_MAPS = ("letters", "digraphs", "iotated", "soft", "soft_sign", "between_vowels", "endings")


@dataclass(slots=True)
class Convention:
    name: str
    label: str
    languages: tuple[str, ...]
    letters: dict[str, str]
    lang: dict[str, dict[str, str]] = field(default_factory=dict)
    digraphs: dict[str, str] = field(default_factory=dict)
    iotated: dict[str, str] = field(default_factory=dict)
    soft: dict[str, str] = field(default_factory=dict)
    soft_sign: dict[str, str] = field(default_factory=dict)
    hard_l: bool = False
    between_vowels: dict[str, str] = field(default_factory=dict)
    endings: dict[str, str] = field(default_factory=dict)
    masculine: str = ""

    def word(self, word: str, lang: str, person: bool, male: bool) -> str:
        low = word.lower()
        tail = ""
        if person:
            for ending in sorted(self.endings, key=len, reverse=True):
                if low.endswith(ending) and len(low) > len(ending) + 1:
                    low, tail = low[:-len(ending)], self.endings[ending]
                    break
            else:
                if male and self.masculine and low[-1:].isalpha() and low[-1] not in _VOWELS \
                        and low[-1] not in "ь'":
                    tail = self.masculine
        letters = {**self.letters, **self.lang.get(lang, {})}
        out: list[str] = []
        n = len(low)
        skip = False
        for i, ch in enumerate(low):
            if skip:
                skip = False
                continue
            if low[i:i + 2] in self.digraphs:
                out.append(self.digraphs[low[i:i + 2]])
                skip = True
                continue
            prev = low[i - 1] if i else ""
            nxt = low[i + 1] if i + 1 < n else (tail[:1] if tail else "")
            if ch == "ь" and prev in self.soft_sign:
                continue  # written with the consonant before
            if ch in _IOTATED and (not prev or prev in _VOWELS or prev in "ьъ'’"):
                r = self.iotated.get(ch, letters.get(ch, ch))
            elif ch in _IOTATED and prev == "л" and self.hard_l:
                r = {"е": "e", "ё": "o", "ю": "u", "я": "a", "є": "e"}[ch]
            elif ch in _IOTATED and prev not in _HUSHING and ch in self.soft and not (
                    lang == "uk" and ch == "е"):  # Ukrainian е does not soften: Zełenski
                r = self.soft[ch]
            elif ch in self.between_vowels and prev in _VOWELS and nxt in _VOWELS:
                r = self.between_vowels[ch]
            elif nxt == "ь" and ch in self.soft_sign:
                r = self.soft_sign[ch]
            elif ch == "л" and self.hard_l:
                r = "l" if nxt in "еёюяєіиь" and not (lang == "uk" and nxt == "е") else "ł"
            else:
                r = letters.get(ch, ch)
            out.append(r)
        # the ALA-LC tie bar (t͡s) is left out, as in most running text and as tokens need
        latin = ("".join(out) + tail).replace("\u0361", "")
        if word[:1].isupper():
            latin = latin[:1].upper() + latin[1:]
        return latin

    def romanise(self, text: str, lang: str, person: bool) -> str:
        words = text.split()
        male = person and not re.search(r"[ая]$", words[-1].lower())
        return " ".join(self.word(w, lang, person, male) if re.search(r"[\u0400-\u04ff]", w)
                        else w for w in words)


def name_language(text: str) -> str:
    """be / ru / uk of a Cyrillic name by the letters only one language uses."""
    low = text.lower()
    if any(c in low for c in "їєґ") or ("і" in low and "и" in low) or re.search(r"[сц]ьк", low):
        return "uk"
    if "ў" in low or "і" in low or ("э" in low and "и" not in low) or "дз" in low:
        return "be"
    return "ru"


def builtin_file() -> Path:
    return Path(str(resources.files("claimscope") / "data" / "transliteration.yaml"))


@lru_cache(maxsize=4)
def load_conventions(path: Path | None = None) -> tuple[Convention, ...]:
    """Read and validate the conventions; a bad entry raises DataFileError(file, entry, field)."""
    path = path or builtin_file()
    data = read_yaml_mapping(path, "convention names to tables")
    out = []
    for name, raw in data.items():
        if not isinstance(raw, dict):
            raise DataFileError(str(path), name, None, "must be a mapping")
        bad = set(raw) - _FIELDS
        if bad:
            raise DataFileError(str(path), name, sorted(bad)[0], "unknown field")
        langs = raw.get("from")
        if not isinstance(langs, list) or not langs or not set(langs) <= set(SOURCE_LANGUAGES):
            raise DataFileError(str(path), name, "from", "a list of be, ru, uk")
        for fld in _MAPS:
            v = raw.get(fld, {})
            if not isinstance(v, dict) or not all(isinstance(k, str) and isinstance(x, str)
                                                  for k, x in v.items()):
                raise DataFileError(str(path), name, fld, "must map Cyrillic to Latin strings")
        if not raw.get("letters"):
            raise DataFileError(str(path), name, "letters", "required")
        per_lang = raw.get("lang", {})
        if not isinstance(per_lang, dict) or not all(
                k in SOURCE_LANGUAGES and isinstance(v, dict) for k, v in per_lang.items()):
            raise DataFileError(str(path), name, "lang", "must map be/ru/uk to letter tables")
        out.append(Convention(
            name=str(name), label=str(raw.get("label", name)), languages=tuple(langs),
            letters=raw["letters"], lang=per_lang, digraphs=raw.get("digraphs", {}),
            iotated=raw.get("iotated", {}),
            soft=raw.get("soft", {}), soft_sign=raw.get("soft_sign", {}),
            hard_l=bool(raw.get("hard_l")), between_vowels=raw.get("between_vowels", {}),
            endings=raw.get("endings", {}), masculine=str(raw.get("masculine", ""))))
    return tuple(out)


def romanisations(text: str, person: bool, lang: str | None = None) -> list[tuple[str, str]]:
    """(convention name, romanised text) of a Cyrillic name in every convention for its language
    (given, or told by its letters)."""
    lang = lang or name_language(text)
    out = []
    for conv in load_conventions():
        if lang in conv.languages:
            out.append((conv.name, conv.romanise(text, lang, person)))
    return out
