"""Discourse for the events stage: who speaks where (SPEC §3 rule 5).

- the issuer of a statement ("Statement by X", a person issuer is who "I" is);
- the speaker of every quoted sentence, named before or after the quotation
  ('“…,” Lukashenko said.', 'X stressed: “…”', 'X said the following:');
- the entities in focus, for "he"/"she"/"it"/"they" and for definite descriptions without a
  name ("the spokesman", "the ministry", "the statement", "the government").

Every look-back is bounded (a few sentences or a few thousand characters), so the cost stays
linear in the length of the document.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from claimscope.errors import DataFileError
from claimscope.model import Document, Entity, Mention, Role

NOUNS_FILE = Path(__file__).resolve().parent.parent / "data" / "nouns.yaml"
NOUN_CLASSES = ("role", "government", "generic_org", "document", "member", "agent", "human", "quantity", "proxy",
                "title")

ISSUER_RE = re.compile(r"(?:(?:joint|official|public)\s+)?(?:statement|appeal|resolution|declaration|address|"
                       r"remarks|speech|communiqu[eé]|press release|open letter)\s+(?:by|of|from)\s+(?:the\s+)?",
                       re.IGNORECASE)
ISSUER_END = re.compile(r"\s+(?:on|about|regarding|concerning|in|at|ahead|to|over|for|after|with)\s+|[,:;(]")
FIRST_PERSON = frozenset({"we", "i", "our", "us", "my", "me", "ours", "ourselves", "myself"})
PRONOUNS = FIRST_PERSON | {"he", "she", "it", "they", "him", "her", "them", "his", "its", "their", "you"}
QUOTE_OPEN = "“«„\""
QUOTE_CLOSE = "”»\""
LOOKBACK_CHARS = 3000  # how far back a definite description or an author is searched
SPEAKING_TYPES = frozenset({"ASSERT", "ACCUSE", "REQUEST", "REJECT"})
SPEECH_TYPES = frozenset({"REQUEST", "ACCUSE", "REJECT", "ASSERT", "SUPPORT", "AGREE", "THREATEN"})


def load_nouns(extra: list[Path] | None = None) -> dict[str, frozenset[str]]:
    """The noun classes of data/nouns.yaml, plus user files of the same shape."""
    out: dict[str, set[str]] = {k: set() for k in NOUN_CLASSES}
    for path in [NOUNS_FILE, *(extra or [])]:
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise DataFileError(str(path), None, None, f"cannot read noun classes: {exc}") from None
        if not isinstance(data, dict):
            raise DataFileError(str(path), None, None, "must be a mapping of noun class -> list of lemmas")
        for key, words in data.items():
            if key not in out:
                raise DataFileError(str(path), None, key, f"unknown noun class (known: {', '.join(NOUN_CLASSES)})")
            if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
                raise DataFileError(str(path), None, key, "must be a list of lemmas")
            out[key].update(w.strip().lower() for w in words)
    return {k: frozenset(v) for k, v in out.items()}


def possessive(w: str) -> bool:
    return w.endswith(("'s", "’s")) or (len(w) > 2 and w.endswith(("s'", "s’")))


def singular(w: str) -> str:
    """A cheap singular for matching a description's head against noun classes."""
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def same(a: Role | None, b: Role | None) -> bool:
    if a is None or b is None:
        return False
    if a.entity and b.entity:
        return a.entity == b.entity
    return a.name.lower() == b.name.lower()


COLLECTIVES = frozenset({"people", "police", "media", "personnel", "staff", "military", "public", "youth",
                         "children", "men", "women", "militia", "clergy", "authorities"})


def plural(r: Role) -> bool:
    """A subject 'they' can refer to: a plural noun phrase or a collective."""
    w = r.text.split()[-1].lower() if r.text.split() else ""
    if (r.entity is not None and r.entity.endswith("-people")) or w in COLLECTIVES:
        return True
    return w.endswith("s") and not w.endswith(("ss", "us", "is")) and (r.entity is None or not r.text[:1].isupper())


def unlinked(doc: Document, start: int, end: int) -> Role | None:
    """An unlinked description as a role: the text between start and end without an article."""
    seg = doc.text[start:end]
    lead = re.match(r"(?:\s|[,“”\"(])*(?:(?:the|a|an|no)\s+)?", seg, re.I)
    start += lead.end() if lead else 0
    seg = doc.text[start:end]
    trail = re.search(r"[\s,.;:“”\")(]+$", seg)
    if trail:
        end -= len(trail.group())
    if end <= start:
        return None
    return Role(None, " ".join(doc.text[start:end].split()), start, end, doc.text[start:end])


@dataclass
class Discourse:
    """The discourse state of one document while its sentences are coded in order."""

    doc: Document
    ents: dict[str, Entity]
    nouns: dict[str, frozenset[str]]
    reporting: frozenset[str]
    speaker: Role | None = None  # the speaking organisation ("we")
    person_speaker: Role | None = None  # the person who speaks as "I" (a person issuer)
    quote_speakers: dict[int, Role] = field(default_factory=dict)  # sentence id -> speaker
    orgs: list[Role] = field(default_factory=list)  # bodies that acted or were acted upon, latest last
    last_person: Role | None = None
    persons: list[Role] = field(default_factory=list)  # persons as subjects or speakers, latest last
    speakers: list[Role] = field(default_factory=list)  # persons who spoke, latest last
    quote_speaker: Role | None = None  # the speaker of the sentence being coded, if quoted
    plurals: list[Role] = field(default_factory=list)  # plural actors and recipients, latest last
    last_speech: Role | None = None
    sentence_subjects: list[tuple[int, Role]] = field(default_factory=list)  # (token, role) so far
    dateline_token: int = 0  # first token after the current sentence's dateline (0: none)

    def __post_init__(self) -> None:
        # by start, the longer of two nested mentions first (it is the one a token maps to)
        self.mentions = sorted(self.doc.mentions, key=lambda m: (m.start, -(m.end - m.start)))
        self._mention_starts = [m.start for m in self.mentions]
        self._times = sorted((t.start, t.end) for t in self.doc.times)
        self._sentence_starts = [s.start for s in self.doc.sentences]
        self.lead_person, self.lead_body = self._lead()
        self._find_quote_speakers()
        self.speaker = self._issuer()

    def _lead(self) -> tuple[Role | None, Role | None]:
        """The first person and the first body named in the title and lead (the first three
        sentences): who "I" and "we" are in a speech, interview or statement that names no
        issuer ('Tsikhanouskaya: “…”', 'Address of the Coordination Council …')."""
        person = body = None
        lead = self.doc.sentences[:3]
        end = lead[-1].end if lead else 0
        for m in self.mentions:
            if m.start >= end:
                break
            e = self.ents.get(m.entity)
            if e is None or m.text.lower() in PRONOUNS:
                continue
            if e.kind == "person" and self.doc.text[m.end:m.end + 3].lstrip().startswith(":"):
                person = self.role(m)  # 'Tsikhanouskaya: “…”', 'Interview — Father X:' names who speaks
            elif e.kind == "person" and person is None:
                person = self.role(m)
            elif e.kind in ("organization", "igo", "group") and body is None:
                body = self.role(m)
        return person, body
    # ------------------------------------------------------------ roles
    def role(self, m: Mention) -> Role:
        e = self.ents.get(m.entity)
        return Role(m.entity if e else None, e.name if e else m.text, m.start, m.end, m.text)

    def is_person(self, r: Role | None) -> bool:
        e = self.ents.get(r.entity) if r is not None and r.entity else None
        return e is not None and e.kind == "person"

    def mentions_between(self, start: int, end: int) -> list[Mention]:
        a = bisect_left(self._mention_starts, start)
        b = bisect_left(self._mention_starts, end)
        return [m for m in self.mentions[a:b] if m.end <= end]

    def mentions_before(self, pos: int, window: int = LOOKBACK_CHARS) -> list[Mention]:
        """Mentions starting in the `window` characters before `pos`, in text order."""
        return self.mentions_between(max(0, pos - window), pos)

    def in_time(self, pos: int) -> bool:
        """Whether `pos` lies inside a time expression."""
        k = bisect_right(self._times, (pos, float("inf"))) - 1
        return k >= 0 and self._times[k][0] <= pos < self._times[k][1]

    def sentence_at(self, pos: int) -> int:
        return max(0, bisect_right(self._sentence_starts, pos) - 1)

    # ------------------------------------------------------------ issuer
    def _issuer(self) -> Role | None:
        """'Statement by X …', 'Remarks by High Representative X' in a heading names who
        speaks. A person issuer is who "I" is; "we" is the body the actors stage resolved."""
        doc = self.doc
        for s in doc.sentences[:8]:
            t = doc.text[s.start:s.end]
            mt = ISSUER_RE.search(t)
            if not mt or mt.start() > 40:
                continue
            a = s.start + mt.end()
            for m in self.mentions_between(a, a + 60):
                if m.end <= s.end and m.entity in self.ents and (
                        m.start < a + 12 or re.fullmatch(r"(?:[A-Z][\w’'-]*\s+)*", doc.text[a:m.start])):
                    role = self.role(m)
                    if self.ents[m.entity].kind == "person":
                        self.person_speaker = role
                        return None
                    return role
            if mt.start() > 0:
                continue
            rest = ISSUER_END.split(t[mt.end():], 1)[0].rstrip(" .:\"“”")
            if 0 < len(rest.split()) <= 8:
                return Role(None, " ".join(rest.split()), a, a + len(rest), doc.text[a:a + len(rest)])
        return None

    # ------------------------------------------------------------ quotations
    def _find_quote_speakers(self) -> None:
        """Attribute sentences inside quotation marks to the speaker named next to them."""
        text = self.doc.text
        sents = self.doc.sentences
        i = 0
        while i < len(sents):
            s = sents[i]
            st = text[s.start:s.end]
            if s.kind == "heading":
                i += 1
                continue
            if not (st[:1] in QUOTE_OPEN or s.kind == "quote"):
                if st.rstrip().endswith(":") and i + 1 < len(sents) and sents[i + 1].kind != "list_item":
                    sp = self.attribution(s.start, s.end, before=True)  # 'X said:' -> what follows
                    if sp is not None:
                        k = i + 1
                        while k < len(sents) and sents[k].kind in ("quote", "sentence") and k <= i + 8:
                            self.quote_speakers[sents[k].id] = sp
                            if text[sents[k].start:sents[k].end].rstrip()[-1:] in QUOTE_CLOSE:
                                break
                            k += 1
                        i = k + 1
                        continue
                close = max(st.rfind("”"), st.rfind("»"))  # '… “quote,” X said.' in one sentence
                if close > 0:
                    sp = self.attribution(s.start + close + 1, s.end)
                    if sp is not None:
                        self.quote_speakers[s.id] = sp
                i += 1
                continue
            k = i  # a run of quoted sentences from i to k
            while k < len(sents) and k < i + 12:
                t = text[sents[k].start:sents[k].end]
                close = max(t.rfind("”"), t.rfind("»"), t.rfind('"') if t.count('"') >= 2 or k > i else -1)
                if close >= 0 and (k > i or close > 0):
                    break
                if k > i and sents[k].kind != "quote":
                    k -= 1
                    break
                k += 1
            k = min(k, len(sents) - 1)
            t = text[sents[k].start:sents[k].end]
            close = max(t.rfind("”"), t.rfind("»"), t.rfind('"'))
            sp = self.attribution(sents[k].start + close + 1, sents[k].end) if close >= 0 else None
            if sp is None and i > 0:
                p = sents[i - 1]
                if text[p.start:p.end].rstrip().endswith(":"):
                    sp = self.attribution(p.start, p.end, before=True)
                elif p.id in self.quote_speakers and text[p.start:p.end].lstrip()[:1] in QUOTE_OPEN:
                    sp = self.quote_speakers[p.id]  # a further quoted paragraph of the same speaker
            if sp is not None:
                for j in range(i, k + 1):
                    self.quote_speakers[sents[j].id] = sp
            i = k + 1

    def _tokens(self, start: int, end: int):
        sents = self.doc.sentences
        k = self.sentence_at(start)
        while k < len(sents) and sents[k].start < end:
            for t in self.doc.parses.get(sents[k].id, ()):
                if start <= t.start and t.end <= end:
                    yield t
            k += 1

    def attribution(self, start: int, end: int, before: bool = False) -> Role | None:
        """The speaker in an attribution clause between `start` and `end`: the subject of a
        reporting verb there, or the mention next to it."""
        if not before and end - start > 160:
            end = start + 160
        toks = list(self._tokens(start, end))
        verb = next((t for t in toks if t.lemma in self.reporting and t.pos in ("VERB", "AUX")), None)
        if verb is None:
            return None
        if before:  # only 'X said[ the following]:' at the end of the sentence
            tail = [t.lower for t in toks if t.start > verb.start]
            if any(w not in ("the", "following", ":", "that", "this", "in", "a", "statement", "as",
                             "follows", ",", "-", "–") for w in tail):
                return None
        ms = self.mentions_between(start, end)
        if ms:
            bef = [m for m in ms if m.end <= verb.start]
            after = [m for m in ms if m.start >= verb.end]
            pick = None
            if bef and not before:
                pick = bef[-1] if sum(1 for t in toks if t.end <= verb.start) <= 10 else None
                for pm in reversed(bef[:-1]):  # 'X, head of the Y, wrote': the person before the apposition
                    gap = self.doc.text[pm.end:verb.start].strip()
                    if gap.startswith(",") and gap.endswith(",") and gap.count(",") == 2 and self.is_person(self.role(pm)):
                        pick = pm
                        break
            if pick is None and after and not before:
                pick = after[0]
                if len(after) > 1 and possessive(self.doc.text[pick.start:after[1].start].strip()) \
                        and after[1].start - pick.end <= 3:
                    pick = after[1]  # 'said Viasna’s Pavel Sapelka': the person, not the possessor
            if pick is None and bef:
                np_bef = [m for m in bef if not re.search(
                    r"\b(?:of|to|for|from|at|in|with|on|by|during|about)\s+(?:the\s+)?$",
                    self.doc.text[max(0, m.start - 20):m.start])]
                pick = np_bef[-1] if np_bef else bef[-1]
            if pick is not None:
                return self.role(pick)
        # no mention: the reporting verb's subject as a description ('the aide to X said')
        subj = [t for t in toks if t.dep in ("nsubj", "nsubjpass") and t.start < verb.start]
        before_verb = [t for t in toks if t.end <= verb.start and t.lower not in (",", "“", "”", '"', "-", "–", "—")]
        if before_verb and len(before_verb) <= 6:
            return self.definite(unlinked(self.doc, before_verb[0].start, before_verb[-1].end)) if subj else \
                unlinked(self.doc, before_verb[0].start, before_verb[-1].end)
        after_verb = [t for t in toks if t.start >= verb.end and t.lower not in (",", ".")][:4]
        if after_verb and after_verb[0].text[:1].isupper():
            return unlinked(self.doc, after_verb[0].start, after_verb[-1].end)
        return None

    # ------------------------------------------------------------ focus
    def track(self, actor: Role, etype: str) -> None:
        """Record who acted or spoke, for later pronouns and descriptions."""
        if plural(actor):
            self.plurals = [x for x in self.plurals if not same(x, actor)][-5:] + [actor]
        e = self.ents.get(actor.entity) if actor.entity else None
        kind = e.kind if e else None
        if kind == "person":
            self.last_person = actor
            self.add_person(actor, spoke=etype in SPEAKING_TYPES)
        elif kind in ("organization", "igo", "country", "group"):
            self.orgs = [x for x in self.orgs if not same(x, actor)][-5:] + [actor]
        elif actor.entity:
            self.last_person = self.last_person or actor
            self.orgs = self.orgs or [actor]
        if etype in SPEECH_TYPES and actor.entity:
            self.last_speech = actor

    def add_person(self, r: Role, spoke: bool = False) -> None:
        self.persons = [x for x in self.persons if not same(x, r)][-7:] + [r]
        if spoke:
            self.speakers = [x for x in self.speakers if not same(x, r)][-7:] + [r]

    def previous_person(self, spoke: bool = False) -> Role | None:
        """'he'/'she'/'the spokesman': the last person who acted or spoke; inside a quotation
        not the quoted speaker."""
        qs = self.quote_speaker
        for r in reversed(self.speakers if spoke else self.persons):
            if not same(r, qs):
                return r
        if spoke:
            return self.previous_person()
        if self.last_person is not None and not same(self.last_person, qs):
            return self.last_person
        return None

    def pronoun(self, w: str, speaker: Role | None, speech: bool = False, exclude: Role | None = None
                ) -> Role | None:
        """A pronoun the actors stage left unresolved (SPEC §3 rule 5); never a guess. An object
        pronoun is not its own clause's subject (`exclude`: 'the police beat them')."""
        w = w.lower()
        if w in ("i", "my", "me", "myself"):  # "I" is a person: the quoted one, the issuing one,
            for r in (self.quote_speaker, speaker, self.person_speaker, self.lead_person):  # the lead's
                if r is not None and (self.is_person(r) or r.entity is None):
                    return r
            return None
        if w in FIRST_PERSON:
            if speaker is None and self.quote_speaker is None:  # a statement with no issuer
                return self.lead_body or self.lead_person
            return speaker
        if w in ("it", "its"):
            if speech and self.last_speech is not None and not self.is_person(self.last_speech) \
                    and not same(self.last_speech, exclude):
                return self.last_speech
            return next((r for r in reversed(self.orgs) if not same(r, exclude)), None)
        if w in ("he", "she", "his", "her", "him"):
            return self.previous_person()
        if w in ("they", "their", "them"):
            return next((r for r in reversed(self.plurals) if not same(r, exclude)), None)
        return None

    def definite(self, r: Role | None) -> Role | None:
        """A definite description with no name ('the spokesman', 'the Government', 'the
        officers', 'the statement', 'the Cabinet') points back to who or what it names;
        anything else stays the unlinked description."""
        if r is None or r.entity is not None:
            return r
        ws = r.name.lower().split()
        if not ws or len(ws) > 3 or self.doc.text[max(0, r.start - 4):r.start].lower() != "the ":
            return r
        word, short = ws[-1], len(ws) <= 2

        def has(cls: str) -> bool:
            return singular(word) in self.nouns[cls] or word in self.nouns[cls]

        if short and has("government"):
            return self._salient(r.start, lambda e: e.sector == "GOV") or r
        if short and has("member"):
            rx = re.compile(rf"\b{re.escape(word)}\s+of\s+(?:the\s+)?(?:[\w’'-]+\s+){{0,3}}?(?:of\s+(?:the\s+)?)?$")
            for m in reversed(self.mentions_before(r.start)):
                if m.entity in self.ents and rx.search(self.doc.text[max(0, m.start - 60):m.start].lower()):
                    return self.role(m)
            return r
        if has("document"):  # 'the report documents …': its author, the last source, the issuer
            return self._author(word, r.start) or self._last_source(r.start) or self.speaker or \
                self.lead_body or (self.orgs[-1] if self.orgs else None) or r
        if has("role"):
            return self.previous_person(spoke=True) or r
        if short and has("generic_org"):
            return self._salient(r.start, lambda e: e.kind in ("organization", "igo") and e.sector != "GOV") or r
        if short:
            return self._body_named(ws[-1], r.start) or r
        return r

    def _salient(self, pos: int, ok) -> Role | None:
        """The non-person entity accepted by `ok` named most often before `pos` (latest on a tie)."""
        seen: dict[str, tuple[int, Mention]] = {}
        for m in self.mentions_before(pos, 4 * LOOKBACK_CHARS):
            if (e := self.ents.get(m.entity)) is not None and e.kind != "person" and ok(e):
                seen[m.entity] = (seen.get(m.entity, (0, m))[0] + 1, m)
        if not seen:
            return None
        return self.role(max(seen.values(), key=lambda x: (x[0], x[1].start))[1])

    def _body_named(self, word: str, pos: int) -> Role | None:
        """The body last named before `pos` whose name has `word` ('the cabinet')."""
        for m in reversed(self.mentions_before(pos)):
            e = self.ents.get(m.entity)
            if e is not None and e.kind not in ("person", "country") and word in e.name.lower().split():
                return self.role(m)
        return None

    def _author(self, noun: str, pos: int) -> Role | None:
        """X in an earlier '<noun> … by X' ('a report … by Nils Muižnieks')."""
        text = self.doc.text
        base = max(0, pos - LOOKBACK_CHARS)
        for mt in reversed(list(re.finditer(rf"\b{re.escape(noun)}\b", text[base:pos], re.I))):
            a = base + mt.end()
            by = text.find(" by ", a, min(pos, a + 80))
            if by < 0 or any(c in text[a:by] for c in ".;!?"):
                continue
            m = next((m for m in self.mentions_between(by + 4, by + 60) if m.start <= by + 12 and m.entity in self.ents),
                     None)
            if m is not None:
                return self.role(m)
        return None

    def _last_source(self, pos: int) -> Role | None:
        """The named speaker of the nearest earlier sentence (at most six back)."""
        sents = self.doc.sentences
        cur = self.sentence_at(pos)
        for s in reversed(sents[max(0, cur - 6):cur]):
            sp = self.quote_speakers.get(s.id)
            if sp is None and s.kind != "heading":
                sp = self.attribution(max(s.start, s.end - 120), s.end)
            if sp is not None and sp.entity is not None:
                return sp
        return None
