"""Case endings of Belarusian, Russian and Ukrainian names (data/case_endings.yaml).

The matcher keys citation forms; a Cyrillic word that is not a name token may be an inflected
form of one. `CaseEndings.citation_forms(word, lang)` lists the forms it may come from, longest
ending first ("Лукашэнкам" -> "Лукашэнка", "Лукашэнк"); the stage keeps the first whose key is a
name token. Rules, not a dictionary: names are rarely in dictionaries, and one table per
language lets a user add endings without code.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from claimscope.errors import DataFileError, read_yaml_mapping

LANGUAGES = ("be", "ru", "uk")
_CYRILLIC = frozenset(chr(c) for c in range(0x0400, 0x0500)) | {"'", "’", "ʼ"}


def builtin_file() -> Path:
    return Path(str(resources.files("claimscope") / "data" / "case_endings.yaml"))


class CaseEndings:
    """Inflected ending -> citation endings, per language."""

    def __init__(self, rules: dict[str, dict[str, tuple[str, ...]]],
                 oblique_only: dict[str, tuple[str, ...]] | None = None):
        self.rules = rules
        self.oblique_only = oblique_only or {}
        # longest ending first; lengths present per language, to cut the word only where a rule is
        self._lengths = {lang: sorted({len(e) for e in r}, reverse=True) for lang, r in rules.items()}

    def is_oblique(self, word: str, lang: str) -> bool:
        """`word` has an ending no citation form of `lang` has (Ukrainian "-ській")."""
        return word.lower().endswith(self.oblique_only.get(lang, ()) or ("\0",))

    def citation_forms(self, word: str, lang: str) -> list[str]:
        """Forms `word` may be an inflection of under `lang`'s rules (not `word` itself)."""
        rules = self.rules.get(lang)
        if not rules:
            return []
        low = word.lower()
        out: list[str] = []
        for n in self._lengths[lang]:
            if n >= len(low) - 1:  # keep a stem of two letters at least
                continue
            ending = low[-n:]
            for citation in rules.get(ending, ()):
                form = word[:-n] + citation
                if form != word and form not in out:
                    out.append(form)
        return out


def load_case_endings(path: Path | None = None) -> CaseEndings:
    """Read and validate the endings table; a bad entry raises DataFileError(file, entry, field)."""
    path = path or builtin_file()
    data = read_yaml_mapping(path, "a language (be, ru, uk) to endings")
    rules: dict[str, dict[str, tuple[str, ...]]] = {}
    oblique = data.pop("oblique_only", None) or {}
    if not isinstance(oblique, dict):
        raise DataFileError(str(path), "oblique_only", None, "must map a language to a list of endings")
    oblique_only: dict[str, tuple[str, ...]] = {}
    for lang, endings in oblique.items():
        if lang not in LANGUAGES or not isinstance(endings, list) or not all(
                isinstance(x, str) and x and set(x.lower()) <= _CYRILLIC for x in endings):
            raise DataFileError(str(path), "oblique_only", str(lang),
                                "a language (be, ru, uk) with a list of Cyrillic endings")
        oblique_only[lang] = tuple(x.lower() for x in endings)
    for lang, table in data.items():
        if lang not in LANGUAGES:
            raise DataFileError(str(path), lang, None, f"unknown language (one of {', '.join(LANGUAGES)})")
        if not isinstance(table, dict):
            raise DataFileError(str(path), lang, None, "must map inflected endings to lists")
        out: dict[str, tuple[str, ...]] = {}
        for ending, citations in table.items():
            if not isinstance(ending, str) or not ending or not set(ending.lower()) <= _CYRILLIC:
                raise DataFileError(str(path), lang, str(ending), "ending must be Cyrillic letters")
            if (not isinstance(citations, list) or not citations
                    or not all(isinstance(c, str) and set(c.lower()) <= _CYRILLIC for c in citations)):
                raise DataFileError(str(path), lang, ending,
                                    "citation endings must be a list of Cyrillic strings ('' allowed)")
            out[ending.lower()] = tuple(c.lower() for c in citations)
        rules[lang] = out
    return CaseEndings(rules, oblique_only)
