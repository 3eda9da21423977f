"""Who "we", "I" and "it" are: the body that issues a document, quoted speakers, and the body
a speaker speaks for (SPEC §3 rule 6). Mixed into ActorStage."""
from __future__ import annotations

import re
from bisect import bisect_left

from claimscope.model import Document

from .candidate import Candidate

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
_ISSUES_RE = re.compile(r"\s+(?:of\s+\w+\s+)?" + _AUX_RE + r"(issued|published|adopted|"
                        r"released|made|considers|declares|states|calls|appeals|demands|"
                        r"expresses|expressed|condemns|stated)\b")
_SPEAKS_AFTER = re.compile(r"\s+(?:\([^)]*\)\s+)?(?:on \w+\s+)?" + _AUX_RE + _SPEECH_RE)
_IT_SAID = re.compile(r"\b([Ii]t)\s+" + _AUX_RE + _SPEECH_RE)
_SAID_FOLLOWING = re.compile(r"\b(?:" + _SPEECH_RE + r")(?:\s+the\s+following|\s+as\s+follows)?:[ \t]*\n+")
_SPEECH_AFTER = re.compile(r"[\s,.–—-]*(?:[\w’'-]+\s+){0,8}?(?:" + "|".join(sorted(_SPEECH)) + r")\b")
_SPEECH_BEFORE = re.compile(r"(?:" + "|".join(sorted(_SPEECH)) + r"|reads|read)\b[^.!?]*$")
_STATEMENT_WORDS = re.compile(
    r"\b(statements?|appeal|resolution|declaration|address|communiqu[eé]|letter|remarks|"
    r"position|announcement|press release|open letter|decision|manifesto|speech|video address)\b", re.I)
_QUOTE_PAIRS = {"“": "”", "«": "»", "„": "“"}
_QUOTE_CHARS = re.compile(r'\n(?=\n)|[“”«»„"]')


class SpeakerResolution:
    """The pronoun and speaker half of ActorStage (needs `self.kb` and `self(doc)`)."""

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

    def _issuer(self, doc: Document, text: str, mentions: list[Candidate]) -> tuple[str | None, str | None]:
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

    def _pronouns(self, doc: Document, text: str, mentions: list[Candidate], take,
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
            if who and take(Candidate(0, 0, m.start(1), m.end(1), None, who, "pronoun")):
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
                take(Candidate(0, 0, m.start(), m.end(), None, who, "pronoun"))

    @staticmethod
    def _said_following(doc: Document, text: str) -> list[tuple[int, int]]:
        """'X said the following:' / 'X said:' closing a paragraph: the next paragraph is X's
        words even without quotation marks."""
        out = []
        for m in _SAID_FOLLOWING.finditer(text):
            end = text.find("\n\n", m.end())
            out.append((m.end(), len(text) if end < 0 else end))
        return out

    def _quote_speaker(self, text: str, q: tuple[int, int], mentions: list[Candidate]) -> str | None:
        """The speaker of a quotation: a name right after it with a speech verb ("..., it
        added"; "..., said Marin") or right before it ("X said: “...”"). Of a noun phrase
        ("ECR coordinator Anna Fotyga said") the person is the speaker; names inside a
        prepositional phrase ("the aide to X said", "at the session of X") are not."""
        a, b = q
        after = text[b:b + 90]
        m = _SPEECH_AFTER.match(after)

        def choose(cands: list[Candidate]) -> str | None:
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
