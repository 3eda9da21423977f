"""language stage: ISO 639-1 code from lingua (offline, models inside the wheel)."""
from __future__ import annotations

import re
from functools import lru_cache

from claimscope.model import Document

# The languages of the domain, by script: a closed set per script keeps lingua fast and its
# guesses sane (a Latin-script text is never Belarusian Cyrillic, and vice versa).
LATIN = ("ENGLISH", "POLISH", "LITHUANIAN", "LATVIAN", "GERMAN", "FRENCH", "SPANISH", "ITALIAN",
         "ESTONIAN", "CZECH", "BELARUSIAN")  # Belarusian Łacinka is written in Latin script
CYRILLIC = ("BELARUSIAN", "RUSSIAN", "UKRAINIAN", "BULGARIAN", "SERBIAN")
_SAMPLE = 600  # characters: a stable guess at a third of the cost of 2,000
_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
_LETTER_RE = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=2)
def _detector(script: str):
    from lingua import Language, LanguageDetectorBuilder

    names = CYRILLIC if script == "cyrillic" else LATIN
    return LanguageDetectorBuilder.from_languages(*(getattr(Language, n) for n in names)) \
        .with_low_accuracy_mode().build()


# English fast path: when function words that no other language of the domain uses make a
# fifth of the sample's words, lingua would say English anyway (agreement measured on every
# corpus and fixture document: see tests/test_language.py) at a tenth of the cost.
_ENGLISH_FUNCTION_WORDS = frozenset({"the", "of", "and", "to", "in", "is", "that", "for", "on", "with",
                                     "was", "by", "as", "are", "has", "have", "it", "its", "from",
                                     "this", "be", "were", "which", "their", "at", "an", "not", "will"})
_WORD_RE = re.compile(r"[^\W\d_]+")
_ENGLISH_SHARE = 0.2


def _clearly_english(sample: str, min_words: int = 20, share: float = _ENGLISH_SHARE) -> bool:
    words = _WORD_RE.findall(sample.lower())
    return len(words) >= min_words and sum(w in _ENGLISH_FUNCTION_WORDS for w in words) >= share * len(words)


def english_sentence(text: str) -> bool:
    """Whether one sentence of a document not found English is English all the same (a report
    with a French header, a quotation in English): English function words in it."""
    return _clearly_english(text, min_words=4, share=0.12)


def detect_language(doc: Document) -> Document:
    sample = doc.text[:_SAMPLE]
    letters = len(_LETTER_RE.findall(sample))
    if letters < 20:
        doc.language = None
        return doc
    script = "cyrillic" if len(_CYRILLIC_RE.findall(sample)) * 2 > letters else "latin"
    if script == "latin" and _clearly_english(sample):
        doc.language = "en"
        return doc
    lang = _detector(script).detect_language_of(sample)
    doc.language = lang.iso_code_639_1.name.lower() if lang else None
    return doc
