"""language stage: ISO 639-1 code from lingua (offline, models inside the wheel)."""
from __future__ import annotations

from functools import lru_cache

from claimscope.model import Document

# The languages of the domain; a closed set keeps lingua fast and its guesses sane.
LANGUAGES = ("ENGLISH", "BELARUSIAN", "RUSSIAN", "UKRAINIAN", "POLISH", "LITHUANIAN", "LATVIAN",
             "GERMAN", "FRENCH", "SPANISH", "ITALIAN", "ESTONIAN", "CZECH")
_SAMPLE = 600  # characters: a stable guess at a third of the cost of 2,000


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    langs = [getattr(Language, name) for name in LANGUAGES]
    return LanguageDetectorBuilder.from_languages(*langs).with_low_accuracy_mode().build()


def detect_language(doc: Document) -> Document:
    sample = doc.text[:_SAMPLE]
    if sum(ch.isalpha() for ch in sample) < 20:
        doc.language = None
        return doc
    lang = _detector().detect_language_of(sample)
    doc.language = lang.iso_code_639_1.name.lower() if lang else None
    return doc
