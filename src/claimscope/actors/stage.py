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

import ahocorasick
from rapidfuzz.distance import Levenshtein

from claimscope.model import Document, Entity, Mention, Span

from .boundary import NameBoundaries
from .candidate import Candidate
from .kb import Entry, KnowledgeBase, Pattern
from .morph import LANGUAGES, load_case_endings
from .keys import STOP, _CYR, ascii_fold, cyrillic_language, name_key, tokenize, word_key
from .speakers import SpeakerResolution
from .unknown import UnknownNames

_FILLER = "\u0001"
_NEAR = 400  # characters around a contextual alias in which its context must be named
_LANGUAGE_COUNTRY = {"be": "BLR", "uk": "UKR"}
# Belarusian, Russian, Ukrainian prepositions before a place
_CYR_PLACE_PREPOSITIONS = frozenset("в во у ў на из із з зі со са под пад під около каля біля до да "
                                    "через праз від от ад по па над под після после пасля".split())
_CACHE_MAX = 200_000  # words whose readings are remembered
_BASE = 0x3400  # vocabulary token i is the character chr(_BASE + i) in the key string
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
_MOD_RE = r"(?:(?:" + "|".join(re.escape(m) for m in sorted(_MODIFIERS, key=len, reverse=True)) + r")\s+){0,2}"
# compiled once (these ran per candidate / per quotation before)
_NONWORD = re.compile(r"\W")
_POSS_END = re.compile(r"['’]s$")
_GOV_AFTER = re.compile(r"(?:['’]s)?\s+" + _MOD_RE + r"(" + "|".join(_GOV_HEADS) + r")\b", re.I)
_GOV_BEFORE = re.compile(r"\b" + _MOD_RE + r"(" + "|".join(_GOV_HEADS) + r")\s+of\s+$", re.I)
_ANAPHOR_RE = re.compile(r"\b(?:[Tt]he|[Tt]his|[Ii]ts|[Oo]ur)\s+(" + "|".join(_ANAPHOR_HEADS)
                         + r")\b(?:(['’]s)\s+(\w+))?")
_DOC_NOUN = re.compile(
    r"(?:['’]s)?\s+(?:Charter|Convention|Treaty|Memorandum|Declaration|Covenant|Statute|Act|"
    r"Accords?|Agreement|Protocol|obligations|commitments|standards|principles|membership|"
    r"member states|member countries|Summit|Format|Day)\b")

class ActorStage(SpeakerResolution, UnknownNames, NameBoundaries):
    """`ActorStage(kb)(doc)` fills doc.mentions and doc.entities."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.entity_by_id: dict[str, Entry] = kb.entries
        self._vocab: dict[str, str] = {}
        for i, tok in enumerate(kb.vocabulary):
            if i >= 0x6BFF:
                raise ValueError("knowledge base vocabulary too large")
            self._vocab[tok] = chr(_BASE + i)
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
        # single-word keys of people's names (surnames), for a genitive -s
        self._person_tokens = frozenset(
            key for key, plist in kb.patterns.items() if " " not in key and any(
                p.via in ("name", "alias") and kb.entries[e].kind == "person"
                for p in plist for e in p.entries))
        self._fz_lower: dict[str, set[str]] = {}
        self._fz_skel: dict[str, list[str]] = {}
        for t in self._fuzzy_vocab:
            self._fz_lower.setdefault(t.lower(), set()).add(t)
            self._fz_skel.setdefault(_skeleton(t.lower()), []).append(t)
        self._fuzzy_cache: dict[str, str | None] = {}
        self._endings = load_case_endings()
        # keys of every KB person's given names (another person's surname guard, boundary.py)
        self._given_names = frozenset(k for ks in kb.first_names.values() for k in ks)
        # lower-case Cyrillic words of the knowledge base's names -> their name-token keys
        self._cyrillic_words: dict[str, str] = {}
        for e in kb.entries.values():
            for n in e.all_names():
                if _CYR.search(n):
                    n_lang = cyrillic_language(n)
                    for a, b in tokenize(n):
                        k = word_key(n[a:b], n_lang)
                        if k in self._vocab:
                            self._cyrillic_words.setdefault(n[a:b].lower(), k)
        # (word, language) -> its readings (_options); bounded, see _CACHE_MAX
        self._options_cache: dict[tuple[str, str | None], tuple[tuple[str, ...], str]] = {}
        # consecutive name tokens of knowledge-base names, to read an ambiguous case form
        self._pairs = {(t[i], t[i + 1]) for key in kb.patterns for t in [key.split(" ")]
                       for i in range(len(t) - 1)}
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

    def _citation_keys(self, word: str, lang: str | None) -> tuple[str, ...]:
        """Name-token keys of the citation forms an inflected Cyrillic word may stand for
        ("Лукашэнкам" -> key of "Лукашэнка"), best first. The document's language's endings
        are tried first, then the other two (a Russian name quoted in a Belarusian text)."""
        out: list[str] = []
        order = (lang,) + tuple(x for x in LANGUAGES if x != lang) if lang in LANGUAGES else LANGUAGES
        forms = [f for rules in order for f in self._endings.citation_forms(word, rules)]
        for form in forms:  # the knowledge base's own Cyrillic words: no transliteration needed
            k = self._cyrillic_words.get(form.lower())
            if k is not None and k not in out:
                out.append(k)
        if not out and word[0].isupper():  # a name the KB spells only in Latin letters
            for form in forms:
                k = word_key(form, lang)
                if k in self._vocab and k not in out:
                    out.append(k)
        return tuple(out)

    def _options(self, word: str, key: str, lang: str | None) -> tuple[tuple[str, ...], str]:
        """The name-token keys a token may be, best first, and how: '' (its own key first),
        'inflected' (case forms of name tokens, morph.py), 'fuzzy' (see _fuzzy)."""
        ck = (word, lang)
        got = self._options_cache.get(ck)
        if got is None:
            if len(self._options_cache) > _CACHE_MAX:  # a long batch: start afresh, stay bounded
                self._options_cache.clear()
            got = self._options_cache[ck] = self._find_options(word, key, lang)
        return got

    def _find_options(self, word: str, key: str, lang: str | None) -> tuple[tuple[str, ...], str]:
        own = (key,) if key in self._vocab else ()
        if "\u0400" <= word[0] <= "\u04ff":
            if not own:  # a Russian spelling in a Belarusian text ("АБСЕ" keyed as Russian)
                k = self._cyrillic_words.get(word.lower())
                own = (k,) if k is not None else ()
            cit = self._citation_keys(word, lang)
            if cit and own and lang and self._endings.is_oblique(word, lang):
                # its own key last: a case form first, the name token only if a name goes on
                return tuple(k for k in cit if k != key) + own, "inflected"
            if cit:
                return own + tuple(k for k in cit if k != key), "" if own else "inflected"
        if own:
            return own, ""
        if word[0].isupper() and word.endswith("s") and len(word) > 5:
            # German/Polish-style genitive of a person's name: "Lukaschenkos Regime"
            k = word_key(word[:-1], lang)
            if k in self._person_tokens:
                return (k,), "inflected"
        if word[0].isupper() and len(key) >= 5 and not key.isdigit():
            f = self._fuzzy(key)
            if f is not None:
                return (f,), "fuzzy"
        return (), ""

    def _key_string(self, text: str, spans: list[tuple[int, int]], keys: list[str],
                    lang: str | None) -> tuple[list[int], str, set[int], set[int]]:
        """One character per non-stop token (a filler for tokens that are no name token):
        (key-string position -> token index, the string, fuzzy positions, inflected positions).
        Of a token's several readings ("Народнага": Народны or Народнае) the one that continues
        a knowledge-base name with a neighbour is taken ("Народнага антыкрызіснага
        ўпраўлення" -> Народнае), else the first."""
        vocab = self._vocab
        idx: list[int] = []
        chars: list[str] = []
        # positions with several readings: (readings, the ones that are the word's own key)
        readings: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        fuzzy_pos: set[int] = set()
        inflected_pos: set[int] = set()
        for ti, k in enumerate(keys):
            if not k or k in STOP:
                continue
            a = spans[ti][0]
            first = text[a]
            c = vocab.get(k)
            idx.append(ti)
            if (first < "\u0400" or first > "\u04ff") and (
                    c is not None or not first.isupper() or len(k) < 5 or k.isdigit()):
                chars.append(c or _FILLER)  # the common case: a Latin word, known or not a name
                continue
            o, step = self._options(text[a:spans[ti][1]], k, lang)
            j = len(chars)
            chars.append(vocab[o[0]] if o else _FILLER)
            if step == "fuzzy":
                fuzzy_pos.add(j)
            elif step == "inflected":
                inflected_pos.add(j)
            if len(o) > 1:
                # the word's own spelling: its key, or its key in another language's spelling
                readings[j] = o, (k,) if step else (k, o[0])
        pairs = self._pairs
        vocabulary = self.kb.vocabulary
        for j, (o, own) in readings.items():
            prev = vocabulary[ord(chars[j - 1]) - _BASE] if j and chars[j - 1] != _FILLER else None
            nxt = readings[j + 1][0] if j + 1 in readings else (
                (vocabulary[ord(chars[j + 1]) - _BASE],)
                if j + 1 < len(chars) and chars[j + 1] != _FILLER else ())
            for k in o:
                if (prev, k) in pairs or any((k, n) in pairs for n in nxt):
                    chars[j] = vocab[k]
                    if k in own:
                        inflected_pos.discard(j)
                    else:
                        inflected_pos.add(j)
                    break
        return idx, "".join(chars), fuzzy_pos, inflected_pos

    def resolve_name(self, text: str) -> tuple[list[Pattern], str, str]:
        """Which patterns a spelling resolves to: (patterns, key, how), how = '' (the key is a
        knowledge-base key), 'inflected' or 'fuzzy' (some word needed that step)."""
        key = name_key(text)
        if key in self.kb.patterns:
            return self.kb.patterns[key], key, ""
        lang = cyrillic_language(text) if _CYR.search(text) else None
        spans = tokenize(text)
        _, kstr, fuzzy_pos, inflected_pos = self._key_string(
            text, spans, [word_key(text[a:b], lang) for a, b in spans], lang)
        if not kstr or _FILLER in kstr:
            return [], key, ""
        k2 = " ".join(self.kb.vocabulary[ord(c) - _BASE] for c in kstr)
        return self.kb.patterns.get(k2, []), k2, "fuzzy" if fuzzy_pos else "inflected"

    # ------------------------------------------------------------------ main
    def __call__(self, doc: Document) -> Document:
        text = doc.text
        on = doc.published
        spans = tokenize(text)
        lang = cyrillic_language(text) if _CYR.search(text) else None
        keys = [word_key(text[a:b], lang) for a, b in spans]
        sent_starts = self._sentence_starts(doc)

        # 1. the key string (one char per non-stop token), case forms and fuzzy fill-in
        idx, kstr, fuzzy_pos, inflected_pos = self._key_string(text, spans, keys, lang)

        # 2. all pattern occurrences, validated, longest first
        cands: list[Candidate] = []
        for end, (n, key) in self._auto.iter(kstr):
            s_pos = end - n + 1
            t0, t1 = idx[s_pos], idx[end]
            a, b = spans[t0][0], spans[t1][1]
            if not self._gaps_ok(text, spans, idx, s_pos, end):
                continue
            surface = text[a:b]
            fz = any(p in fuzzy_pos for p in range(s_pos, end + 1))
            inflected = any(p in inflected_pos for p in range(s_pos, end + 1))
            for p in self.kb.patterns[key]:
                if p.exact_case and _NONWORD.sub("", surface) != _NONWORD.sub("", p.surface):
                    continue
                if p.capitalized and not surface[:1].isupper() and not (
                        p.lower_ok and surface.lower() == p.surface.lower()):
                    continue
                if fz and p.via not in ("name", "alias"):
                    continue
                cands.append(Candidate(t0, t1, a, b, p, fuzzy=fz, inflected=inflected))
                break
        cands.sort(key=lambda c: (-(c.end - c.start), c.start))

        # person + "regime"/"government" compositions, and role heads ("the cabinet's chairwoman")
        mentions: list[Candidate] = []
        taken = bytearray(len(text) + 1)

        def take(c: Candidate) -> bool:
            if any(taken[c.start:c.end]):
                return False
            for i in range(c.start, c.end):
                taken[i] = 1
            mentions.append(c)
            return True

        chosen: list[Candidate] = []
        occupied = bytearray(len(spans) + 1)
        for c in cands:
            if any(occupied[c.start_tok:c.end_tok + 1]):
                continue
            for i in range(c.start_tok, c.end_tok + 1):
                occupied[i] = 1
            chosen.append(c)
        chosen.sort(key=lambda c: c.start)
        # a body name inside a longer proper name is another body: unlinked, with the full name
        longer = [(c, self._longer_name(text, spans, c, chosen, sent_starts)) for c in chosen]
        outer = [span for _, span in longer if span is not None]
        chosen = [c for c, span in longer if span is None
                  and not any(a <= c.start and c.end <= b for a, b in outer)]

        # 3. first pass: unambiguous specific names; counts for context
        counts: dict[str, int] = {}
        country_counts: dict[str, int] = {}
        pending: list[Candidate] = []
        for c in chosen:
            p = c.pattern
            assert p is not None
            if p.generic or len(p.entries) > 1 or p.contextual:
                pending.append(c)
                continue
            if p.via == "metonym" and not self._metonym_ok(text, c):
                continue
            if self._another_persons_surname(text, spans, c, sent_starts):
                continue
            if _DOC_NOUN.match(text, c.end):
                continue  # "UN Charter", "Budapest Memorandum", "OSCE obligations"
            c.entity = p.entries[0]
            c.via = self._via(c, p, text[c.start:c.end], c.entity)
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
            entries = p.entries
            if p.contextual:
                entries = [e for e in entries
                           if self._near_ok(c, self.kb.near[(p.key, e)], chosen, lang, home)]
                if not entries:
                    continue
            ent = self._choose(entries, counts, country_counts, home)
            if ent is None:
                continue
            c.entity = ent
            c.via = self._via(c, p, text[c.start:c.end], ent)
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
        # 4. unknown capitalised names (the longer names first)
        qualified = []
        for a, b in outer:
            if not any(taken[a:b]):
                taken[a:b] = b"\x01" * (b - a)
                qualified.append((a, b, text[a:b], "organization", None))
        unknown = sorted(qualified + self._unknown_names(text, spans, keys, taken, sent_starts))

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

    def _via(self, c: Candidate, p: Pattern, surface: str, eid: str) -> str:
        if p.via in ("metonym", "descriptor"):
            return p.via
        if c.fuzzy or c.inflected:
            return "fuzzy" if c.fuzzy else "inflected"
        e = self.kb.entries[eid]
        low = re.sub(r"\s+", " ", surface).lower()
        if low == e.name.lower():
            return "name"
        forms = self._forms.get(eid)
        if forms is None:
            forms = {a.lower() for a in e.aliases} | {a.lower() for a, _ in e.contextual}
            self._forms[eid] = forms
        return "alias" if low in forms else "key"

    @staticmethod
    def _metonym_ok(text: str, c: Candidate) -> bool:
        """A capital as a government, not as a place: 'sanctions against Minsk', not 'in Minsk'."""
        surface = text[c.start:c.end]
        if surface.isupper() and len(surface) > 3:  # dateline "MOSCOW, August 10."
            return False
        if _CYR.search(surface):
            # a case form of a city is a place ("в Минске", "з Мінска"); so is one after a
            # preposition; "официальный Минск" and a bare "Минск" are the government
            m = re.search(r"(\w+)\s+$", text[max(0, c.start - 20):c.start])
            return not c.inflected and not (m and m.group(1).lower() in _CYR_PLACE_PREPOSITIONS)
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

    def _generic_extent(self, text: str, spans, c: Candidate, starts: list[int]) -> int | None:
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

    def _near_ok(self, c: Candidate, near: tuple[str, ...], chosen: list[Candidate],
                 lang: str | None, home: str | None) -> bool:
        """A contextual alias ("CC") links only within _NEAR characters of a mention of one of
        its `near` countries or entries, in a text in that country's language (a Belarusian text
        for BLR), or under a dateline of that country."""
        if home in near or _LANGUAGE_COUNTRY.get(lang or "") in near:
            return True
        for o in chosen:
            if o is c or not o.entity or abs(o.start - c.start) > _NEAR:
                continue
            e = self.kb.entries[o.entity]
            if o.entity in near or e.country in near:
                return True
        return False

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

    def _compositions(self, text: str, linked: list[Candidate], on: str | None) -> list[Candidate]:
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
                out.append(Candidate(c.start_tok, c.end_tok, c.start, c.end + m.end(), None, gov,
                                 "descriptor"))
                continue
            before = text[max(0, c.start - 60):c.start]
            m = _GOV_BEFORE.search(before)
            if m:
                out.append(Candidate(c.start_tok, c.end_tok, c.start - (len(before) - m.start()),
                                 c.end, None, gov, "descriptor"))
        return out

    def _head_of(self, org: str, on: str | None) -> str | None:
        day = (on or "")[:10] or None
        found = [e.id for title, e in self._heads_of.get(org, [])
                 if any(r.head and r.org == org for r in e.roles_on(day))]
        return found[0] if len(found) == 1 else None

    def _anaphors(self, text: str, mentions: list[Candidate], take, on: str | None) -> None:
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
                    new = Candidate(c.start_tok, c.end_tok, c.start, c.end + m.end(), None, who,
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
                    take(Candidate(0, 0, m.start(1), m.end(3), None, who, "descriptor"))
                continue
            take(Candidate(0, 0, m.start(1), m.end(1), None, target, "pronoun"))

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


def mentions_in(doc: Document, start: int, end: int) -> list[Mention]:
    """Mentions that lie inside [start, end), sorted by position."""
    return sorted((m for m in doc.mentions if m.start >= start and m.end <= end),
                  key=lambda m: (m.start, m.end))
