"""Unknown capitalised names: unlinked person and organisation entities (`x:<folded name>`).
Mixed into ActorStage."""
from __future__ import annotations

import re

from .keys import word_key

_ROLE_CUES = {
    "mp": "LEG", "mps": "LEG", "mep": "LEG", "deputy": "LEG", "senator": "LEG", "lawmaker": "LEG",
    "parliamentarian": "LEG", "speaker": "LEG",
    "chairwoman": None, "chairman": None, "chair": None, "head": None, "leader": None,
    "spokesperson": "GOV", "spokesman": "GOV", "spokeswoman": "GOV", "minister": "GOV",
    "ambassador": "GOV", "envoy": "GOV", "diplomat": "GOV", "president": "GOV",
    "premier": "GOV", "governor": "GOV", "mayor": "GOV", "official": "GOV", "secretary": "GOV",
    "aide": None, "adviser": None, "advisor": None, "representative": None,
    "journalist": "JRN", "editor": "JRN", "reporter": "JRN", "correspondent": "JRN",
    "blogger": "JRN", "activist": "CVL", "dissident": "OPP", "politician": None,
    "lawyer": "JUD", "attorney": None, "judge": "JUD", "prosecutor": "JUD",
    "general": "MIL", "commander": "MIL", "colonel": "MIL", "officer": None,
    "candidate": None, "opposition": "OPP", "rapporteur": None, "expert": None,
    "mr": None, "mrs": None, "ms": None, "dr": None, "prof": None, "coordinator": None,
    "director": None, "wife": None, "husband": None, "trustee": None, "member": None,
    "prisoner": None, "economist": None, "analyst": None,
}
_ORG_HEADS = frozenset("""council committee centre center ministry office association union party
agency foundation institute group movement court commission assembly service front bank
university fund organization organisation department directorate network forum initiative
platform radio tv television channel agency bureau alliance federation coalition
league society club corporation company cabinet parliament congress senate chamber tribunal
guard police army forces""".split())
_NOT_NAMES = frozenset("""The A An This That These Those It Its In On At By For From With To Of And
Or But If As After Before Since During While When Where Why How What Who Which We Our Us You Your
They Their He His She Her I My Me Mr Mrs Ms Dr Dear Also Earlier Later Today Yesterday Tomorrow
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June
July August September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec
Glory Long Live Share Read Follow Like Support Home News Politics Society Economy Security
Archive English Press Releases Statement Appeal Resolution Remarks Related More Leave Recommend
Facebook Instagram Telegram Twitter YouTube Patreon Become Discuss Warning Skip Approved
Declare Use Expand Refuse Demand Remember Put Release Proclaim Conduct Currently Numerous Many
Most Some All Any Every Each No Not None Nobody Throughout Hence However Moreover Furthermore
Meanwhile Thus Therefore Allegedly Given Taking Speaking According Among Despite Although Both
Among Here There Then Now Yet Still Just Only Even Being Having Among Updated Thank Please Let
God Mid Preservation Chornobyl Golos Another Yet New Old""".split())
_TITLE_WORDS = frozenset("""representative minister secretary state foreign high prime deputy general
chief special rapporteur president vice chairman chairwoman head director ambassador spokesman
spokesperson commissioner chancellor premier envoy officer affairs council""".split())
_NAME_TOKEN = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁІЇЄЎҐ][a-zß-öø-ÿā-ſа-яёіїєўґ'’\-]+$")


class UnknownNames:
    """The unknown-name half of ActorStage (needs `self.kb` and `self._is_sentence_start`)."""

    def _unknown_names(self, text: str, spans, keys, taken, starts: list[int]):
        out = []
        n = len(spans)
        i = 0
        while i < n:
            a, b = spans[i]
            w = text[a:b]
            if taken[a] or not _NAME_TOKEN.match(w) or w in _NOT_NAMES:
                i += 1
                continue
            j = i
            toks = [i]
            while j + 1 < n:
                a2, b2 = spans[j + 1]
                gap = text[spans[j][1]:a2]
                w2 = text[a2:b2]
                if gap not in (" ", "-") or taken[a2]:
                    break
                if _NAME_TOKEN.match(w2) and w2 not in _NOT_NAMES:
                    toks.append(j + 1)
                    j += 1
                    continue
                if w2 in ("of", "for", "and") and j + 2 < n and _NAME_TOKEN.match(
                        text[spans[j + 2][0]:spans[j + 2][1]]) and not taken[spans[j + 2][0]]:
                    j += 1
                    continue
                break
            i = j + 1
            words = [text[spans[t][0]:spans[t][1]] for t in toks]
            s, e = spans[toks[0]][0], spans[toks[-1]][1]
            name = text[s:e]
            if len(name) > 80:
                continue
            low = [x.lower() for x in words]
            if all(x in _TITLE_WORDS or x in _ROLE_CUES or x in ("of", "for", "and") for x in low):
                continue  # "High Representative", "Secretary of State"
            is_org = low[-1] in _ORG_HEADS and len(words) >= 2
            lead = 0
            if not is_org:
                # a capitalised title before the name: 'Foreign Minister Bujar Osmani'
                while lead < len(words) - 2 and (low[lead] in _TITLE_WORDS or low[lead] in _ROLE_CUES):
                    lead += 1
                if lead:
                    toks, words, low = toks[lead:], words[lead:], low[lead:]
                    s = spans[toks[0]][0]
                    name = text[s:e]
            # role cue in the three words before
            before = text[max(0, s - 40):s]
            cue_words = [x.lower().strip(".,") for x in re.findall(r"[\w.-]+", before)[-3:]]
            cue = next((x for x in reversed(cue_words) if x in _ROLE_CUES), None)
            if any(self.kb.adjective_country.get(word_key(x)) for x in words[:1]) and not is_org:
                continue  # "Belarusian Telegram" etc.
            if is_org:
                out.append((s, e, name, "organization", None))
            elif len(words) in (2, 3) and all(x[:1].isupper() for x in words) and (
                    cue or not self._is_sentence_start(s, starts, text)):
                if any(x in _ORG_HEADS for x in low):
                    continue
                if any(self.kb.adjective_country.get(word_key(x)) for x in words):
                    continue
                if cue is None and not self._looks_like_person(words):
                    continue
                out.append((s, e, name, "person", _ROLE_CUES.get(cue) if cue else None))
        return self._surname_refs(text, spans, taken, out)

    @staticmethod
    def _surname_refs(text: str, spans, taken, found: list) -> list:
        """Later references to an unknown person by surname alone ('Łukasz Jasina … Mr Jasina
        stressed', 'Jasina’s') are mentions of that person (the first full name seen)."""
        surnames: dict[str, tuple[int, tuple]] = {}
        for f in found:
            if f[3] == "person" and " " in f[2]:
                last = f[2].split()[-1]
                if len(last) >= 3 and last not in surnames:
                    surnames[last] = (f[0], f)
        if not surnames:
            return found
        covered = [(f[0], f[1]) for f in found]
        extra = []
        for a, b in spans:
            w = text[a:b]
            base = re.sub(r"['’]s$", "", w)
            hit = surnames.get(base)
            if hit is None or a <= hit[0] or taken[a] or any(s <= a < e for s, e in covered):
                continue
            f = hit[1]
            extra.append((a, a + len(base), f[2], "person", f[4]))
        if not extra:
            return found
        return sorted(found + extra, key=lambda x: x[0])

    @staticmethod
    def _looks_like_person(words: list[str]) -> bool:
        # a given name and a surname: letters only, both short-ish, no all-caps
        return all(x.isalpha() and not x.isupper() and 2 <= len(x) <= 20 for x in words) and \
            len(words) == 2
