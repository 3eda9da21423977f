"""The actors stage: one pass of Aho-Corasick over the document in key space, then linking.

Each token of the document is folded to its key (see keys.py); every distinct key the
knowledge base uses is interned as one character, so a document becomes a short string with
one character per token and the automaton finds every multi-word name in one pass, at token
boundaries by construction. Tokens not in the vocabulary may still map to a name token by a
bounded edit distance on the key (capitalised words only, guarded against gender endings).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

import ahocorasick
from rapidfuzz.distance import Levenshtein

from claimscope.model import Document, Entity, Mention, Span

from .kb import Entry, KnowledgeBase, Pattern
from .keys import STOP, _CYR, ascii_fold, cyrillic_language, name_key, tokenize, word_key

_FILLER = "\u0001"
_STOP_CHAR = ""  # tokens with key in STOP are dropped from the key string

# words that may stand between a person's name and "regime"/"government"
_MODIFIERS = frozenset("""illegal illegitimate dictatorial repressive criminal puppet terrorist
authoritarian oppressive current official de-facto facto self-proclaimed bloody brutal fascist
totalitarian usurping usurper's so-called occupation military illegitimate unrecognised
unrecognized""".split())
_FUNCTION = frozenset("""the a an by with to from of on in against and or for that which who this
these those its their his her our your as at than into upon about between over under since
after before is are was were be been has have had will would should could can may might must
not nor but also even only both all any some many most such said says calls called urged urges
demands demanded condemns condemned""".split())
_GOV_HEADS = ("regime", "government", "dictatorship", "junta", "administration")
_ROLE_HEADS = {"chairwoman", "chairman", "chair", "chairperson", "head", "leader", "president"}
_ANAPHOR_HEADS = {
    "cabinet": "cabinet", "council": "council", "ministry": "ministry", "committee": "committee",
    "parliament": "parliament", "centre": "centre", "center": "centre", "commission": "commission",
    "assembly": "assembly", "party": "party", "movement": "movement", "office": "office",
    "organisation": "organisation", "organization": "organisation", "agency": "agency",
    "tribunal": "tribunal", "court": "court", "alliance": "alliance", "union": "union",
    "armed forces": "forces", "army": "army",
}
_SPEECH = frozenset("""said says say added adds noted notes stated states stressed stresses
emphasized emphasised emphasizes emphasises expressed expresses declared declares called calls
urged urges reiterated reiterates deplored deplores condemned condemns welcomed welcomes
considers considered believes believed demands demanded insisted insists warned warns announced
announces reported reports documented documents recalled recalls underlined underlines
underscored described describes argued argues claimed claims told tweeted wrote writes
pointed points concluded concludes explained explains informed informs confirmed confirms
appealed appeals rejected rejects denied denies accused accuses supported supports protested
protests replied replies responded responds believes thinks""".split())
_AUX = frozenset("has have had also further again strongly resolutely firmly will would "
                 "repeatedly categorically has also once then later".split())
_AUX_RE = r"(?:(?:" + "|".join(sorted(_AUX, key=len, reverse=True)) + r")\s+){0,3}"
_SPEECH_RE = r"(?:" + "|".join(sorted(_SPEECH, key=len, reverse=True)) + r")\b"
_MOD_RE = r"(?:(?:" + "|".join(re.escape(m) for m in sorted(_MODIFIERS, key=len, reverse=True)) + r")\s+){0,2}"
# compiled once (these ran per candidate / per quotation before)
_NONWORD = re.compile(r"\W")
_POSS_END = re.compile(r"['’]s$")
_GOV_AFTER = re.compile(r"(?:['’]s)?\s+" + _MOD_RE + r"(" + "|".join(_GOV_HEADS) + r")\b", re.I)
_GOV_BEFORE = re.compile(r"\b" + _MOD_RE + r"(" + "|".join(_GOV_HEADS) + r")\s+of\s+$", re.I)
_ISSUES_RE = re.compile(r"\s+(?:of\s+\w+\s+)?" + _AUX_RE + r"(issued|published|adopted|"
                        r"released|made|considers|declares|states|calls|appeals|demands|"
                        r"expresses|expressed|condemns|stated)\b")
_SPEAKS_AFTER = re.compile(r"\s+(?:\([^)]*\)\s+)?(?:on \w+\s+)?" + _AUX_RE + _SPEECH_RE)
_IT_SAID = re.compile(r"\b([Ii]t)\s+" + _AUX_RE + _SPEECH_RE)
_SAID_FOLLOWING = re.compile(r"\b(?:" + _SPEECH_RE + r")(?:\s+the\s+following|\s+as\s+follows)?:[ \t]*\n+")
_SPEECH_AFTER = re.compile(r"[\s,.–—-]*(?:[\w’'-]+\s+){0,8}?(?:" + "|".join(sorted(_SPEECH)) + r")\b")
_ANAPHOR_RE = re.compile(r"\b(?:[Tt]he|[Tt]his|[Ii]ts|[Oo]ur)\s+(" + "|".join(_ANAPHOR_HEADS)
                         + r")\b(?:(['’]s)\s+(\w+))?")
_SPEECH_BEFORE = re.compile(r"(?:" + "|".join(sorted(_SPEECH)) + r"|reads|read)\b[^.!?]*$")
_WE = frozenset({"we", "our", "us", "ours", "ourselves"})
_STATEMENT_WORDS = re.compile(
    r"\b(statements?|appeal|resolution|declaration|address|communiqu[eé]|letter|remarks|"
    r"position|announcement|press release|open letter|decision|manifesto|speech|video address)\b", re.I)
_DOC_NOUN = re.compile(
    r"(?:['’]s)?\s+(?:Charter|Convention|Treaty|Memorandum|Declaration|Covenant|Statute|Act|"
    r"Accords?|Agreement|Protocol|obligations|commitments|standards|principles|membership|"
    r"member states|member countries|Summit|Format|Day)\b")
_QUOTE_PAIRS = {"“": "”", "«": "»", "„": "“"}
_QUOTE_CHARS = re.compile(r'\n(?=\n)|[“”«»„"]')

# unknown names
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


@dataclass(slots=True)
class _Cand:
    start_tok: int
    end_tok: int  # inclusive
    start: int
    end: int
    pattern: Pattern | None
    entity: str | None = None
    via: str = "name"
    fuzzy: bool = False


class ActorStage:
    """`ActorStage(kb)(doc)` fills doc.mentions and doc.entities."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.entity_by_id: dict[str, Entry] = kb.entries
        self._vocab: dict[str, str] = {}
        for i, tok in enumerate(kb.vocabulary):
            if i >= 0x6BFF:
                raise ValueError("knowledge base vocabulary too large")
            self._vocab[tok] = chr(0x3400 + i)
        self._auto = ahocorasick.Automaton()
        for key, plist in kb.patterns.items():
            s = "".join(self._vocab[t] for t in key.split(" "))
            self._auto.add_word(s, (len(s), key))
        self._auto.make_automaton()
        # fuzzy vocabulary: tokens of person and organisation names (not descriptor words)
        fz: set[str] = set()
        for key, plist in kb.patterns.items():
            if any(p.via in ("name", "alias") for p in plist):
                kinds = {kb.entries[e].kind for p in plist for e in p.entries}
                if kinds & {"person"} or (" " not in key and kinds & {"organization", "igo"}):
                    fz.update(t for t in key.split(" ") if len(t) >= 5 and not t.isdigit())
        self._fuzzy_vocab = sorted(fz)
        self._fz_lower: dict[str, set[str]] = {}
        self._fz_skel: dict[str, list[str]] = {}
        for t in self._fuzzy_vocab:
            self._fz_lower.setdefault(t.lower(), set()).add(t)
            self._fz_skel.setdefault(_skeleton(t.lower()), []).append(t)
        self._fuzzy_cache: dict[str, str | None] = {}
        self._forms: dict[str, set[str]] = {}
        self._heads_of: dict[str, list[tuple[str, Entry]]] = {}
        for e in kb.entries.values():
            for r in e.roles:
                if r.head and r.org:
                    self._heads_of.setdefault(r.org, []).append((r.title, e))

    # ------------------------------------------------------------------ helpers
    def _fuzzy(self, key: str) -> str | None:
        """A vocabulary name token for an unknown token key, or None. Accepted: the same key
        once case classes are merged (Łacinka letters typed without marks: Statkievic ~
        Statkievič; "ch" read as [x]: Chrenin ~ Khrenin), or one vowel edit on a key of six
        letters or more with the same consonants and the same ending (no gender flips:
        Tsikhanouski never becomes Tsikhanouskaya)."""
        if key in self._fuzzy_cache:
            return self._fuzzy_cache[key]
        res = None
        for q in dict.fromkeys((key.lower(), key.replace("C", "h").lower())):
            got = self._fz_lower.get(q)
            if got and len(got) == 1:
                res = next(iter(got))
                break
        if res is None and len(key) >= 6:
            q = key.lower()
            skel = _skeleton(q)
            cands = [c for c in self._fz_skel.get(skel, ()) if
                     Levenshtein.distance(q, c.lower()) == 1 and c.lower()[-2:] == q[-2:]
                     and c[0].lower() == q[0]]
            if len(cands) == 1:
                res = cands[0]
        self._fuzzy_cache[key] = res
        return res

    def resolve_name(self, text: str) -> tuple[list[Pattern], str, bool]:
        """Which patterns a spelling resolves to: (patterns, key, fuzzy?)."""
        from .keys import name_key

        key = name_key(text)
        if key in self.kb.patterns:
            return self.kb.patterns[key], key, False
        toks = key.split(" ")
        fixed = []
        for t in toks:
            if t in self._vocab:
                fixed.append(t)
            else:
                f = self._fuzzy(t)
                if f is None:
                    return [], key, False
                fixed.append(f)
        k2 = " ".join(fixed)
        return self.kb.patterns.get(k2, []), k2, True

    # ------------------------------------------------------------------ main
    def __call__(self, doc: Document) -> Document:
        text = doc.text
        on = doc.published
        spans = tokenize(text)
        lang = cyrillic_language(text) if _CYR.search(text) else None
        keys = [word_key(text[a:b], lang) for a, b in spans]
        sent_starts = self._sentence_starts(doc)

        # 1. the key string (one char per non-stop token), fuzzy fill-in for capitalised words
        idx: list[int] = []  # key-string position -> token index
        chars: list[str] = []
        fuzzy_pos: set[int] = set()
        for ti, k in enumerate(keys):
            if not k or k in STOP:
                continue
            c = self._vocab.get(k)
            if c is None:
                a, b = spans[ti]
                if text[a].isupper() and len(k) >= 5 and not k.isdigit():
                    f = self._fuzzy(k)
                    if f is not None:
                        c = self._vocab[f]
                        fuzzy_pos.add(len(chars))
            idx.append(ti)
            chars.append(c or _FILLER)
        kstr = "".join(chars)

        # 2. all pattern occurrences, validated, longest first
        cands: list[_Cand] = []
        for end, (n, key) in self._auto.iter(kstr):
            s_pos = end - n + 1
            t0, t1 = idx[s_pos], idx[end]
            a, b = spans[t0][0], spans[t1][1]
            if not self._gaps_ok(text, spans, idx, s_pos, end):
                continue
            surface = text[a:b]
            fz = any(p in fuzzy_pos for p in range(s_pos, end + 1))
            for p in self.kb.patterns[key]:
                if p.exact_case and _NONWORD.sub("", surface) != _NONWORD.sub("", p.surface):
                    continue
                if p.capitalized and not surface[:1].isupper() and not (
                        p.lower_ok and surface.lower() == p.surface.lower()):
                    continue
                if fz and p.via not in ("name", "alias"):
                    continue
                cands.append(_Cand(t0, t1, a, b, p, fuzzy=fz))
                break
        cands.sort(key=lambda c: (-(c.end - c.start), c.start))

        # person + "regime"/"government" compositions, and role heads ("the cabinet's chairwoman")
        mentions: list[_Cand] = []
        taken = bytearray(len(text) + 1)

        def take(c: _Cand) -> bool:
            if any(taken[c.start:c.end]):
                return False
            for i in range(c.start, c.end):
                taken[i] = 1
            mentions.append(c)
            return True

        chosen: list[_Cand] = []
        occupied = bytearray(len(spans) + 1)
        for c in cands:
            if any(occupied[c.start_tok:c.end_tok + 1]):
                continue
            for i in range(c.start_tok, c.end_tok + 1):
                occupied[i] = 1
            chosen.append(c)
        chosen.sort(key=lambda c: c.start)

        # 3. first pass: unambiguous specific names; counts for context
        counts: dict[str, int] = {}
        country_counts: dict[str, int] = {}
        pending: list[_Cand] = []
        for c in chosen:
            p = c.pattern
            assert p is not None
            if p.generic or len(p.entries) > 1:
                pending.append(c)
                continue
            if p.via == "metonym" and not self._metonym_ok(text, c):
                continue
            if _DOC_NOUN.match(text, c.end):
                continue  # "UN Charter", "Budapest Memorandum", "OSCE obligations"
            c.entity = p.entries[0]
            c.via = "fuzzy" if c.fuzzy else self._via(p, text[c.start:c.end], c.entity)
            counts[c.entity] = counts.get(c.entity, 0) + 1
        for c in chosen:
            if c.entity:
                e = self.kb.entries[c.entity]
                if e.country and e.kind != "group":
                    country_counts[e.country] = country_counts.get(e.country, 0) + 1
        home = self._home_country(text)
        for c in pending:
            p = c.pattern
            assert p is not None
            if p.generic:
                ext = self._generic_extent(text, spans, c, sent_starts)
                if ext is None:
                    continue
                c.start = ext
            ent = self._choose(p.entries, counts, country_counts, home)
            if ent is None:
                continue
            c.entity = ent
            c.via = "descriptor" if p.via == "descriptor" else (
                "fuzzy" if c.fuzzy else self._via(p, text[c.start:c.end], ent))
            counts[ent] = counts.get(ent, 0) + 1

        linked = [c for c in chosen if c.entity]
        # compositions replace the person mention they contain
        comps = self._compositions(text, linked, on)
        for c in comps:
            take(c)
        nested = []
        for c in linked:
            if not take(c) and self.kb.entries[c.entity].kind == "person" and any(
                    x.start <= c.start and c.end <= x.end for x in comps):
                nested.append(c)  # "Lukashenko" inside "Lukashenko regime"
        # anaphoric definite NPs ("the cabinet"), role heads, pronouns
        mentions.sort(key=lambda c: c.start)
        self._anaphors(text, mentions, take, on)
        mentions.sort(key=lambda c: c.start)
        self._pronouns(doc, text, mentions, take, sent_starts)
        mentions.sort(key=lambda c: c.start)
        # 4. unknown capitalised names
        unknown = self._unknown_names(text, spans, keys, taken, sent_starts)

        # 5. assemble
        doc.mentions = []
        ents: dict[str, Entity] = {}
        surfaces: dict[str, list[str]] = {}
        for c in mentions:
            assert c.entity
            doc.mentions.append(Mention(c.start, c.end, text[c.start:c.end], c.entity, c.via))
            ent = ents.get(c.entity)
            if ent is None:
                ent = self._entity(c.entity, on)
                ents[c.entity] = ent
            ent.mentions.append(Span(c.start, c.end, text[c.start:c.end]))
            if c.via not in ("pronoun",):
                surfaces.setdefault(c.entity, []).append(text[c.start:c.end])
        for (a, b, name, kind, sector) in unknown:
            eid = "x:" + ascii_fold(name)
            doc.mentions.append(Mention(a, b, text[a:b], eid, "role-cue" if sector else "name"))
            ent = ents.get(eid)
            if ent is None:
                ent = Entity(eid, name, kind, False, [name], None, sector)
                ents[eid] = ent
            ent.mentions.append(Span(a, b, text[a:b]))
        for c in nested:
            assert c.entity
            doc.mentions.append(Mention(c.start, c.end, text[c.start:c.end], c.entity, "nested"))
            ent = ents.get(c.entity)
            if ent is None:
                ent = self._entity(c.entity, on)
                ents[c.entity] = ent
            ent.mentions.append(Span(c.start, c.end, text[c.start:c.end]))
            surfaces.setdefault(c.entity, []).append(text[c.start:c.end])
        doc.mentions.sort(key=lambda m: (m.start, -m.end))
        for eid, ent in ents.items():
            ent.mentions.sort(key=lambda sp: sp.start)
            if ent.linked:
                ent.aliases = self._aliases(eid, surfaces.get(eid, []))
        doc.entities = sorted(ents.values(), key=lambda e: e.mentions[0].start)
        return doc

    # ------------------------------------------------------------------ pieces
    @staticmethod
    def _sentence_starts(doc: Document) -> list[int]:
        if doc.sentences:
            return sorted(s.start for s in doc.sentences)
        starts = [0]
        for m in re.finditer(r"(?:[.!?…:]+[\"”’»)]*\s+|\n\s*)(?=\S)", doc.text):
            starts.append(m.end())
        return starts

    @staticmethod
    def _is_sentence_start(pos: int, starts: list[int], text: str) -> bool:
        i = bisect_right(starts, pos) - 1
        if i < 0:
            return True
        s = starts[i]
        gap = text[s:pos]
        return not re.search(r"[^\W\d_]", gap) and len(gap) < 12

    @staticmethod
    def _gaps_ok(text: str, spans, idx, s_pos: int, end: int) -> bool:
        for p in range(s_pos, end):
            a = spans[idx[p]][1]
            b = spans[idx[p + 1]][0]
            gap = text[a:b]
            if gap == " ":
                continue
            if not re.fullmatch(r"(?:\s|[-‐]|['’ʼ]s?|\b[Tt]he\b)*", gap):
                return False
        return True

    def _via(self, p: Pattern, surface: str, eid: str) -> str:
        if p.via in ("metonym", "descriptor"):
            return p.via
        e = self.kb.entries[eid]
        low = re.sub(r"\s+", " ", surface).lower()
        if low == e.name.lower():
            return "name"
        forms = self._forms.get(eid)
        if forms is None:
            forms = {a.lower() for a in e.aliases}
            self._forms[eid] = forms
        return "alias" if low in forms else "key"

    @staticmethod
    def _metonym_ok(text: str, c: _Cand) -> bool:
        """A capital as a government, not as a place: 'sanctions against Minsk', not 'in Minsk'."""
        surface = text[c.start:c.end]
        if surface.isupper() and len(surface) > 3:  # dateline "MOSCOW, August 10."
            return False
        before = text[max(0, c.start - 40):c.start].lower()
        m = re.search(r"([a-z]+)\s+$", before)
        prev = m.group(1) if m else ""
        if prev == "on" and re.search(r"\b(?:impose[sd]?|imposing|sanctions?|pressure|restrictions?|"
                                      r"embargo|calls?|called|calling|demands?|urged?|press(?:ed|es)?)\s+on\s+$", before):
            return True  # 'sanctions imposed on Minsk', 'calls on Moscow'
        if prev in {"in", "at", "near", "into", "via", "around", "outside", "inside", "across",
                    "through", "visit", "visited", "visits", "visiting", "on", "of", "toward",
                    "towards", "to", "over", "flew", "arrived", "city", "streets"}:
            # "seat" metonyms (the Kremlin) are institutions wherever they stand
            return "kremlin" in surface.lower() or "brussels" in surface.lower() and prev == "to"
        after = text[c.end:c.end + 12]
        if re.match(r"\s*,\s*(?:[A-Z][a-z]+ \d|\d)", after):  # dateline
            return False
        return True

    def _generic_extent(self, text: str, spans, c: _Cand, starts: list[int]) -> int | None:
        """'the illegal regime' -> start of 'illegal'; None when the head has a foreign modifier
        ('prison authorities', 'representative authorities')."""
        start = c.start
        ti = c.start_tok - 1
        while ti >= 0:
            a, b = spans[ti]
            w = text[a:b]
            if text[b:start].strip(" ") not in ("", "-"):
                break
            if w.lower() in _MODIFIERS:
                start = a
                ti -= 1
                continue
            break
        # what precedes the (extended) descriptor
        if ti < 0:
            return start
        a, b = spans[ti]
        w = text[a:b]
        between = text[b:start]
        if between.strip() not in ("", "’s", "'s") and not re.fullmatch(r"\s*[,;:(“\"–—]\s*", between):
            return start  # punctuation before: fine
        if w.lower() in _FUNCTION or self._is_sentence_start(start, starts, text):
            return start
        if re.search(r"[.!?:]\s*$", text[b:start]):
            return start
        return None

    def _home_country(self, text: str) -> str | None:
        """The country of a dateline ('VILNIUS, March 14, 2024 (BNS) –', 'KYIV –')."""
        m = re.search(r"(?m)^([A-Z][A-Z’' -]{2,30}?)\s*(?:,|\(|–|—| - )", text[:400])
        if not m:
            return None
        for p in self.kb.patterns.get(name_key(m.group(1).title()), []):
            if p.via == "metonym" and len(p.entries) == 1:
                return self.kb.entries[p.entries[0]].country
        return None

    def _choose(self, entries: list[str], counts: dict[str, int],
                country_counts: dict[str, int], home: str | None = None) -> str | None:
        if len(entries) == 1:
            e = self.kb.entries[entries[0]]
            if self.kb.patterns and e.country and country_counts.get(e.country, 0) == 0 \
                    and e.kind in ("organization",) and e.sector == "GOV":
                return None  # "the regime" in a text that never mentions Belarus
            return entries[0]
        seen = [e for e in entries if counts.get(e)]
        if len(seen) == 1:
            return seen[0]
        if not seen and all(self.kb.entries[e].kind == "organization" for e in entries):
            # a bare "Foreign Ministry": the dateline's country, else unlinked (never a guess)
            at_home = [e for e in entries if home and self.kb.entries[e].country == home]
            return at_home[0] if len(at_home) == 1 else None
        pool = seen or entries
        scored = sorted(((country_counts.get(self.kb.entries[e].country or "", 0), e)
                         for e in pool), reverse=True)
        if scored[0][0] > 0 and (len(scored) == 1 or scored[0][0] > scored[1][0]):
            return scored[0][1]
        return None

    def _compositions(self, text: str, linked: list[_Cand], on: str | None) -> list[_Cand]:
        out = []
        for c in linked:
            e = self.kb.entries[c.entity]
            if e.kind != "person":
                continue
            heads = [h for h in e.heads_on(on) if h.endswith("-gov")]
            if not heads:
                continue
            gov = heads[0]
            if gov not in self.kb.entries:
                continue
            m = _GOV_AFTER.match(text[c.end:c.end + 60])
            if m:
                out.append(_Cand(c.start_tok, c.end_tok, c.start, c.end + m.end(), None, gov,
                                 "descriptor"))
                continue
            before = text[max(0, c.start - 60):c.start]
            m = _GOV_BEFORE.search(before)
            if m:
                out.append(_Cand(c.start_tok, c.end_tok, c.start - (len(before) - m.start()),
                                 c.end, None, gov, "descriptor"))
        return out

    def _head_of(self, org: str, on: str | None) -> str | None:
        day = (on or "")[:10] or None
        found = [e.id for title, e in self._heads_of.get(org, [])
                 if any(r.head and r.org == org for r in e.roles_on(day))]
        return found[0] if len(found) == 1 else None

    def _anaphors(self, text: str, mentions: list[_Cand], take, on: str | None) -> None:
        """'the cabinet' -> the last organisation named with that head noun; 'the cabinet's
        chairwoman' / "X's chairwoman" -> who heads it on the document's date."""
        starts = [m.start for m in mentions]
        # role heads after a named organisation: "UTC's head", "the Council's chairwoman"
        for c in list(mentions):
            e = self.kb.entries.get(c.entity or "")
            if not e or e.kind not in ("organization", "igo"):
                continue
            m = re.match(r"['’]s\s+(\w+)", text[c.end:c.end + 30])
            if m and m.group(1).lower() in _ROLE_HEADS:
                who = self._head_of(e.id, on)
                if who:
                    mentions.remove(c)
                    new = _Cand(c.start_tok, c.end_tok, c.start, c.end + m.end(), None, who,
                                "descriptor")
                    mentions.append(new)
        for m in _ANAPHOR_RE.finditer(text):
            head = m.group(1).lower()
            if re.match(r"\s+(?:of|for|on)\b", text[m.end(1):m.end(1) + 6]) and not m.group(2):
                continue
            a = m.start(1)
            if any(x.start <= a < x.end for x in mentions):
                continue
            # most recent named organisation with this head word in its name
            i = bisect_left(starts, a)
            target = None
            for c in reversed(sorted((x for x in mentions if x.start < a), key=lambda x: x.start)):
                e = self.kb.entries.get(c.entity or "")
                if not e or e.kind not in ("organization", "igo") or c.via == "pronoun":
                    continue
                words = {w.lower() for n in [e.name] + e.aliases[:6] for w in re.findall(r"\w+", n)}
                if _ANAPHOR_HEADS[head] in {_ANAPHOR_HEADS.get(w, w) for w in words}:
                    target = c.entity
                    break
            del i
            if target is None:
                continue
            if m.group(2) and m.group(3).lower() in _ROLE_HEADS:
                who = self._head_of(target, on)
                if who:
                    take(_Cand(0, 0, m.start(1), m.end(3), None, who, "descriptor"))
                continue
            take(_Cand(0, 0, m.start(1), m.end(1), None, target, "pronoun"))

    # ------------------------------------------------------------------ pronouns
    def _speaker_kind_ok(self, eid: str) -> bool:
        e = self.kb.entries.get(eid)
        return bool(e) and e.kind in ("organization", "igo", "country")

    def speaks_for(self, eid: str, on: str | None) -> str:
        """The body whose "we" a speaker speaks for (SPEC §3 rule 6): an organisation speaks for
        itself (or for the body its `speaks_for` names: the EEAS for the EU); a person for the
        organisation of their role on the document's date, a head of state or government for
        the state; a person without a known role for themself."""
        e = self.kb.entries.get(eid)
        if e is None:
            return eid
        if e.kind == "person":
            roles = [r for r in e.roles_on(on) if r.org and r.org in self.kb.entries]
            if not roles and not on:  # date unknown: the latest role
                roles = [r for r in sorted(e.roles, key=lambda r: r.start or "", reverse=True)
                         if r.org and r.org in self.kb.entries][:1]
            if not roles:
                return eid
            r = next((r for r in roles if r.head), roles[0])
            org = self.kb.entries[r.org]
            if r.head and org.derived_from and org.id.endswith("-gov"):
                return org.derived_from  # the president's "we" is the state
            return org.speaks_for or org.id
        return e.speaks_for or eid

    def _issuer(self, doc: Document, text: str, mentions: list[_Cand]) -> tuple[str | None, str | None]:
        """Who issues the document: (the body "we" stands for, the person "I" is). Named in the
        title or a heading with a statement word ("Remarks by High Representative Josep
        Borrell", "Statement of the Coordination Council"), or the subject of the first
        sentence that says it issued something."""
        on = doc.published
        heads: list[tuple[int, int]] = []
        for s in doc.sentences[:6]:
            if s.kind == "heading":
                heads.append((s.start, s.end))
        pos = 0
        for line in text.split("\n")[:12]:
            if line.strip() and len(line) < 250 and not re.search(r"[.!?]\s*$", line.strip()):
                heads.append((pos, pos + len(line)))
            pos += len(line) + 1

        def pick(found: list[tuple[str, str]]) -> tuple[str | None, str | None] | None:
            # the first organisation or person after the statement word ("Remarks by <person>")
            for eid, kind in found:
                if kind == "person":
                    return self.speaks_for(eid, on), eid
                if self._speaker_kind_ok(eid):
                    return eid, None
            return None

        for a, b in heads:
            seg = text[a:b]
            sm = _STATEMENT_WORDS.search(seg)
            if not sm:
                continue
            got = pick([(c.entity, self.kb.entries[c.entity].kind) for c in mentions
                        if a + sm.start() <= c.start < b and c.entity in self.kb.entries
                        and c.via != "pronoun"])
            if got:
                return got
        if doc.title and _STATEMENT_WORDS.search(doc.title):
            # the title is outside the text: resolve its names with the matcher
            sub = Document(id="title", source="", text=doc.title)
            self._names_only(sub)
            sm = _STATEMENT_WORDS.search(doc.title)
            got = pick([(mm.entity, self.kb.entries[mm.entity].kind) for mm in sub.mentions
                        if mm.entity in self.kb.entries and mm.start >= sm.start()])
            if got:
                return got
        # first naming sentence: "<Org> has issued a statement / says / considers ..."
        for c in mentions[:40]:
            if not self._speaker_kind_ok(c.entity or "") or c.via == "pronoun":
                continue
            after = text[c.end:c.end + 80]
            if _ISSUES_RE.match(after):
                return c.entity, None
        return None, None

    def _names_only(self, doc: Document) -> None:
        saved = doc.sentences
        self(doc)
        doc.sentences = saved

    def _pronouns(self, doc: Document, text: str, mentions: list[_Cand], take,
                  starts: list[int]) -> None:
        on = doc.published
        quotes = _quote_regions(text) + self._said_following(doc, text)
        quotes.sort()
        issuer, issuer_person = self._issuer(doc, text, mentions) if doc.id != "title" else (None, None)
        # speakers: organisations followed by a speech verb, in order
        speakers: list[tuple[int, str]] = []
        if issuer:
            speakers.append((-1, issuer))
        for c in mentions:
            if c.entity and self._speaker_kind_ok(c.entity):
                after = text[c.end:c.end + 60]
                if _SPEAKS_AFTER.match(after):
                    speakers.append((c.start, c.entity))
        sp_pos = [p for p, _ in speakers]

        def last_speaker(pos: int) -> str | None:
            i = bisect_left(sp_pos, pos) - 1
            return speakers[i][1] if i >= 0 else None

        # "it said", "it added", "It deplores", "it has also documented"
        it_resolved: list[tuple[int, int, str]] = []
        for m in _IT_SAID.finditer(text):
            who = last_speaker(m.start())
            if who and take(_Cand(0, 0, m.start(1), m.end(1), None, who, "pronoun")):
                it_resolved.append((m.start(1), m.end(1), who))
                speakers.append((m.start(), who))
                speakers.sort()
                sp_pos[:] = [p for p, _ in speakers]
        by_start = sorted(mentions, key=lambda c: c.start)
        qcache: dict[tuple[int, int], str | None] = {}
        for m in re.finditer(r"\b([Ww]e|[Oo]ur|[Uu]s|[Oo]urs|[Oo]urselves|I|[Mm]y|[Mm]e)\b", text):
            w = m.group(1)
            if w == "US" or (w.lower() == "us" and text[m.start():m.end()].isupper()):
                continue
            first_sg = w.lower() in ("i", "my", "me")
            if w == "I" and not re.match(r"\s+[a-z’']", text[m.end():m.end() + 3]):
                continue  # "World War I", "Part I."
            q = _in_quote(quotes, m.start())
            if q is None:
                who = issuer_person if first_sg else issuer
            else:
                if q not in qcache:
                    qcache[q] = self._quote_speaker(text, q, by_start)
                sp = qcache[q]
                if sp is None:
                    continue
                kind = self.kb.entries[sp].kind if sp in self.kb.entries else ""
                if first_sg:
                    who = sp if kind == "person" else None
                else:
                    who = self.speaks_for(sp, on)
            if who:
                take(_Cand(0, 0, m.start(), m.end(), None, who, "pronoun"))

    @staticmethod
    def _said_following(doc: Document, text: str) -> list[tuple[int, int]]:
        """'X said the following:' / 'X said:' closing a paragraph: the next paragraph is X's
        words even without quotation marks."""
        out = []
        for m in _SAID_FOLLOWING.finditer(text):
            end = text.find("\n\n", m.end())
            out.append((m.end(), len(text) if end < 0 else end))
        return out

    def _quote_speaker(self, text: str, q: tuple[int, int], mentions: list[_Cand]) -> str | None:
        """The speaker of a quotation: a name right after it with a speech verb ("..., it
        added"; "..., said Marin") or right before it ("X said: “...”"). Of a noun phrase
        ("ECR coordinator Anna Fotyga said") the person is the speaker; names inside a
        prepositional phrase ("the aide to X said", "at the session of X") are not."""
        a, b = q
        after = text[b:b + 90]
        m = _SPEECH_AFTER.match(after)

        def choose(cands: list[_Cand]) -> str | None:
            cands = [c for c in cands if not re.search(
                r"\b(?:of|to|for|from|at|in|with|on|by|during|about)\s+(?:the\s+)?$",
                text[max(0, c.start - 20):c.start])]
            if not cands:
                return None
            person = [c for c in cands if self.kb.entries.get(c.entity or "") is not None
                      and self.kb.entries[c.entity].kind == "person"]
            return (person[0] if person else cands[0]).entity

        if m:
            # the speaker stands between the quotation and the verb, or right after the verb
            cand = [c for c in mentions if b <= c.start < b + m.end() + 25 and c.entity]
            return choose(cand)
        before = text[max(0, a - 160):a]
        sm = None
        for sm in _SPEECH_BEFORE.finditer(before):
            pass
        if sm is not None:
            vpos = a - len(before) + sm.start()
            # the subject: names in the clause before the verb, nearest last
            cand = [c for c in mentions if vpos - 120 <= c.start < vpos and c.entity
                    and not re.search(r"[.!?:]", text[c.end:vpos])]
            if cand:
                got = choose(list(reversed(cand)))
                if got:
                    return got
            cand = [c for c in mentions if vpos <= c.start < a and c.entity]
            if cand:
                return cand[-1].entity
        return None

    # ------------------------------------------------------------------ unknown names
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

    # ------------------------------------------------------------------ output
    def _entity(self, eid: str, on: str | None) -> Entity:
        e = self.kb.entries[eid]
        kind = e.kind if e.kind in ("person", "organization", "country", "igo", "group") else "other"
        return Entity(eid, e.name, kind, True, [], e.country_on(on), e.sector_on(on))

    def _aliases(self, eid: str, seen: list[str]) -> list[str]:
        e = self.kb.entries[eid]
        out: list[str] = []
        for s in [e.name] + e.aliases[:4] + seen + e.aliases[4:]:
            s = _POSS_END.sub("", s.strip())
            if s and s not in out:
                out.append(s)
            if len(out) >= 12:
                break
        return out


def _skeleton(key: str) -> str:
    return re.sub(r"[aeiou]", "", key)


def _quote_regions(text: str) -> list[tuple[int, int]]:
    out = []
    stack_open = None
    straight_open = None
    for m in _QUOTE_CHARS.finditer(text):  # only the characters that matter, not every one
        i = m.start()
        ch = m.group()
        if ch in _QUOTE_PAIRS and stack_open is None:
            stack_open = (i, _QUOTE_PAIRS[ch])
        elif stack_open is not None and ch == stack_open[1]:
            out.append((stack_open[0], i + 1))
            stack_open = None
        elif ch == '"':
            if straight_open is None:
                straight_open = i
            else:
                out.append((straight_open, i + 1))
                straight_open = None
        elif ch == "\n":
            # quotations do not run across paragraphs unless reopened
            if stack_open is not None:
                out.append((stack_open[0], i))
                stack_open = None
            straight_open = None
    if stack_open is not None:
        out.append((stack_open[0], len(text)))
    out.sort()
    return out


def _in_quote(regions: list[tuple[int, int]], pos: int) -> tuple[int, int] | None:
    for a, b in regions:
        if a <= pos < b:
            return (a, b)
        if a > pos:
            break
    return None


def mentions_in(doc: Document, start: int, end: int) -> list[Mention]:
    """Mentions that lie inside [start, end), sorted by position."""
    return sorted((m for m in doc.mentions if m.start >= start and m.end <= end),
                  key=lambda m: (m.start, m.end))
