"""The boundary rule: a knowledge-base body name matched inside a longer proper name does not
link. "the Coordination Council of the Russian opposition", "the Russian Coordination Council",
"the Central Election Commission of Ukraine" are other bodies than the Coordination Council /
Central Election Commission of Belarus; they become unlinked entities with the full name.

A qualifier that names the entry's own country (or an entry of that country) keeps the link:
"the Belarusian Coordination Council", "the Human Rights Council of the UN". Mixed into
ActorStage.
"""
from __future__ import annotations

import re

from .candidate import Candidate
from .keys import word_key
from .morph import LANGUAGES
from .unknown import _NOT_NAMES, _ORG_HEADS, _ROLE_CUES, _TITLE_WORDS

_BODY_KINDS = frozenset({"organization", "igo"})
_CAP = r"[A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁІЇЄЎҐ][\w’'-]*"
# "of (the) Capitalised Words (one lower-case noun after a capitalised adjective)"
_OF_QUALIFIER = re.compile(r"[ \t]+of[ \t]+(?:the[ \t]+)?((?:" + _CAP + r"[ \t]+)*" + _CAP + r")"
                           r"(?:[ \t]+([a-z]{3,}))?")
# capitalised words right after the name, the last one a body or place noun
_CAP_AFTER = re.compile(r"(?:[ \t]|-)((?:" + _CAP + r"[ \t]+){0,2}" + _CAP + r")")
_BODY_HEADS = _ORG_HEADS | {"street", "avenue", "square", "prize", "award", "district", "region"}
# a lower-case Cyrillic word and the noun after it ("российской оппозиции")
_CYR_AFTER = re.compile(r"[ \t]+([а-яёіїєўґ'’]+)(?:[ \t]+[а-яёіїєўґ'’]+)?")
_LOWER_STOP = frozenset("""said says and or but in on at to for from with by as is are was were has
have had will would that which who the a an of its their his her this these those""".split())


def _title_case_line(text: str, pos: int) -> bool:
    """Whether the line around `pos` is a Title Case headline ("UN To Probe Police Violence")."""
    a = text.rfind("\n", max(0, pos - 200), pos) + 1
    b = text.find("\n", pos, pos + 200)
    if a == 0 and pos > 200 or b < 0 and pos + 200 < len(text):
        return False  # a line this long is running text, not a headline
    words = re.findall(r"[^\W\d_]{2,}", text[a:len(text) if b < 0 else b])
    return len(words) >= 6 and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


class NameBoundaries:
    """Needs `self.kb`, `self._endings`, `self._given_names` and `self._is_sentence_start`."""

    def _longer_name(self, text: str, spans: list[tuple[int, int]], c: Candidate,
                     chosen: list[Candidate], starts: list[int]) -> tuple[int, int] | None:
        """(start, end) of the longer proper name a body-name candidate sits in, or None."""
        p = c.pattern
        if p is None or p.via not in ("name", "alias") or p.generic:
            return None
        entries = [self.kb.entries[e] for e in p.entries]
        if not all(e.kind in _BODY_KINDS for e in entries):
            return None
        own = {e.country for e in entries if e.country}
        start, end = c.start, c.end
        m = _OF_QUALIFIER.match(text, c.end)
        if m:
            q_end = m.end(1)
            for o in chosen:  # the qualifier stops before a person ("… Union State Mikhail Mishustin")
                if m.start(1) < o.start < q_end and o.pattern is not None and any(
                        self.kb.entries[e].kind == "person" for e in o.pattern.entries):
                    q_end = min(q_end, len(text[:o.start].rstrip()))
            words = text[m.start(1):q_end].split()
            if words and not self._names_own(words, own, chosen, m.start(1), q_end):
                end = q_end
                low = m.group(2)
                if (q_end == m.end(1) and low and low not in _LOWER_STOP
                        and self.kb.adjective_country.get(word_key(words[-1]))):
                    end = m.end(2)  # "of the Russian opposition"
        m = _CYR_AFTER.match(text, c.end)
        if m and (country := self._cyrillic_adjective(m.group(1))) and country not in own:
            end = max(end, m.end())  # "Координационный совет российской оппозиции"
        m = _CAP_AFTER.match(text, c.end)
        if m and m.group(1).split()[-1].lower() in _BODY_HEADS and not any(
                w in _NOT_NAMES for w in m.group(1).split()) and not _title_case_line(text, c.start):
            end = max(end, m.end(1))  # "Viasna Street", "CSTO Parliamentary Assembly"
        if c.start_tok > 0:
            a, b = spans[c.start_tok - 1]
            word = text[a:b]
            if (text[b:c.start] in (" ", "-") and word[:1].isupper() and not any(
                    o.start <= a < o.end for o in chosen)):
                country = self.kb.adjective_country.get(word_key(word))
                foreign = country is not None and self.kb.entries[country].country not in own
                name_like = (country is None and word not in _NOT_NAMES
                             and word.lower() not in _TITLE_WORDS and word.lower() not in _ROLE_CUES
                             and not word.isupper()
                             and not self._is_sentence_start(a, starts, text))
                if foreign or (name_like and not _title_case_line(text, c.start)):
                    start = a
        if (start, end) == (c.start, c.end):
            return None
        return start, end

    def _another_persons_surname(self, text: str, spans: list[tuple[int, int]], c: Candidate,
                                 starts: list[int]) -> bool:
        """A KB surname after a given name that is not the KB person's: another person of that
        surname ("Andrei Miadzvedzeu" is not Dzmitry Miadzvedzeu / Medvedev). The given name is
        one the knowledge base knows for someone, so titles and sentence-initial words are not
        taken for one."""
        p = c.pattern
        if (p is None or c.start_tok == 0 or c.start_tok != c.end_tok or p.via != "alias"
                or not all(self.kb.entries[e].kind == "person" for e in p.entries)):
            return False
        a, b = spans[c.start_tok - 1]
        if text[b:c.start] != " " or not text[a].isupper():
            return False
        given = word_key(text[a:b])
        if given not in self._given_names:
            return False
        return not any(given in self.kb.first_names.get(e, ()) for e in p.entries)

    def _cyrillic_adjective(self, word: str) -> str | None:
        """The country code of a Cyrillic country adjective in any case ("российской" -> RUS)."""
        for form in [word] + [f for lang in LANGUAGES for f in self._endings.citation_forms(word, lang)]:
            cid = self.kb.adjective_country.get(word_key(form))
            if cid:
                return self.kb.entries[cid].country
        return None

    def _names_own(self, words: list[str], own: set[str], chosen: list[Candidate],
                   a: int, b: int) -> bool:
        """Whether a qualifier names the entry's own country: its adjective or name, or any
        entry of that country matched inside it."""
        for w in words:
            country = self.kb.adjective_country.get(word_key(w))
            if country and self.kb.entries[country].country in own:
                return True
        for o in chosen:
            if a <= o.start < b and o.pattern is not None:
                for eid in o.pattern.entries:
                    if self.kb.entries[eid].country in own:
                        return True
        return False
