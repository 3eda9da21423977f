"""language stage: the English fast path agrees with lingua; other languages reach lingua."""
from __future__ import annotations

from pathlib import Path

import pytest

from claimscope.language import _SAMPLE, _clearly_english, _detector, detect_language
from claimscope.model import Document

ROOT = Path(__file__).resolve().parents[1]
TEXTS = sorted((ROOT.parent / "shared" / "corpus").glob("*/*.txt")) + sorted((ROOT / "tests" / "gold" / "docs").glob("*.txt"))


def _lingua(text: str) -> str | None:
    lang = _detector("latin").detect_language_of(text[:_SAMPLE])
    return lang.iso_code_639_1.name.lower() if lang else None


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_fast_path_agrees_with_lingua(path):
    text = path.read_text("utf-8")
    doc = detect_language(Document(id="t", source=str(path), text=text))
    if _clearly_english(text[:_SAMPLE]):
        assert _lingua(text) == doc.language == "en"


def test_fast_path_is_taken_on_most_english_documents():
    taken = sum(_clearly_english(p.read_text("utf-8")[:_SAMPLE]) for p in TEXTS)
    assert taken >= 0.8 * len(TEXTS)


@pytest.mark.parametrize("text, lang", [
    ("Koordynacyjna rada wezwała władze do uwolnienia wszystkich więźniów politycznych i zakończenia "
     "represji wobec niezależnych mediów oraz organizacji społecznych w całym kraju od sierpnia.", "pl"),
    ("Lietuvos užsienio reikalų ministerija pasmerkė Baltarusijos režimo veiksmus ir paragino "
     "nedelsiant paleisti visus politinius kalinius, kurie laikomi nežmoniškomis sąlygomis.", "lt"),
    ("Die Bundesregierung verurteilt die Verhaftung der Journalisten und fordert die sofortige "
     "Freilassung aller politischen Gefangenen in Belarus sowie ein Ende der Repressionen.", "de"),
    ("Kaardynacyjnaja rada zaklikaje ŭsich palityčnych vjazniaŭ vyzvalić i spynić represii suprać "
     "niezaležnych žurnalistaŭ i hramadzianskaj supołki ŭ usioj krainie z žniŭnia.", "be"),
])
def test_other_latin_languages_do_not_take_the_fast_path(text, lang):
    assert not _clearly_english(text)
    assert detect_language(Document(id="t", source="t", text=text)).language != "en"
