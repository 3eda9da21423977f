"""The events stage: sentences + mentions -> events (SPEC §3).

Rule-based and dependency-free. Per sentence: tokenise, match the trigger lexicon, group the
matches into predicates (a speech act and the content it governs form one event), find the
verb group before each trigger (auxiliaries, modals, negators), then the arguments: the
subject before the verb group (or the `by` agent for a passive), the objects after it.
Discourse: list items take the type, actor and recipients of their framing line; sentences
inside a quotation take the quoted speaker; "we"/"I" and imperatives take the current speaker.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from claimscope.events.inflect import verb_forms
from claimscope.events.lexicon import TOKEN_RE, Lexicon, Match, norm
from claimscope.events.ontology import MODES
from claimscope.model import Document, Entity, Event, Mention, Role, Sentence, Span

# ---------------------------------------------------------------- word classes

def _forms(*lemmas: str) -> frozenset[str]:
    out: set[str] = set()
    for lemma in lemmas:
        out |= verb_forms(lemma)
    return frozenset(out)


BE = frozenset({"is", "are", "was", "were", "be", "been", "being", "am", "'s", "get", "got", "gets",
                "getting", "remain", "remains", "remained"})
AUX = frozenset({"have", "has", "had", "having", "will", "would", "shall", "should", "can", "could",
                 "may", "might", "must", "do", "does", "did", "'ll", "'d", "wo", "ca"}) | BE
ADVERB_WORDS = frozenset({"not", "n't", "never", "also", "still", "already", "yet", "again", "once",
                          "further", "even", "just", "now", "then", "thus", "therefore", "jointly",
                          "together", "ever", "soon", "only", "all", "both", "too", "so", "no",
                          "longer", "more", "most", "very", "actually", "allegedly", "reportedly",
                          "indeed", "firmly", "strongly", "fully", "deeply", "once", "today",
                          "hereby", "herewith", "further", "thereby", "nevertheless", "in", "fact",
                          "particular", "being", "been", "to", "immediately", "unconditionally",
                          "categorically", "resolutely", "vehemently", "sincerely", "repeatedly",
                          "consistently", "continuously", "constantly", "openly", "publicly",
                          "directly", "illegally", "selflessly", "recently", "officially", "far", "either",
                          "neither"})
CATENATIVE = _forms("decide", "continue", "plan", "intend", "try", "seek", "begin", "start", "want",
                    "wish", "aim", "promise", "attempt", "need", "go", "use", "keep", "threaten",
                    "prepare", "expect", "refuse", "fail", "agree", "hope", "dare", "manage",
                    "choose", "tend", "seem", "appear", "be", "have", "make", "let", "help", "come",
                    "vow", "pledge", "undertake", "resolve", "move", "dare", "ought", "like",
                    "love") | frozenset(
    {"able", "unable", "possible", "impossible", "ready", "willing", "prepared", "set", "due", "likely", "about", "going",
     "on", "up", "going", "keen", "determined", "eager", "forced", "compelled"})
PREPS = frozenset({"of", "in", "to", "with", "by", "from", "on", "for", "against", "at", "into",
                   "over", "under", "about", "like", "among", "including", "through", "toward",
                   "towards", "between", "via", "within", "across", "after", "before", "since",
                   "during", "amid", "despite", "upon", "onto", "without", "behind", "near",
                   "than", "as", "per", "concerning", "regarding"})
DETERMINERS = frozenset({"the", "a", "an", "another", "this", "that", "these", "those", "its", "their", "his",
                         "her", "our", "your", "my", "all", "any", "some", "every", "each"})
CLAUSE_WORDS = frozenset({"that", "which", "who", "whom", "whose", "because", "while", "whereas",
                          "although", "though", "if", "unless", "when", "where", "but", "since",
                          "so", "whether", "until", "after", "before", "as"})
BACKGROUND_PREPS = frozenset({"since", "after", "before", "during", "given", "following", "amid",
                              "despite", "until", "over", "about", "concerning", "regarding", "for", "by", "from", "against", "with", "without", "on",
                              "into", "to", "in", "at", "through", "like", "as", "than"})
QUANTIFIERS = frozenset({"many", "several", "other", "few", "numerous", "both", "such", "no", "more",
                         "further", "new", "any"})
ADJ_SUFFIXES = ("ive", "al", "ous", "ful", "ic", "ent", "ant", "ble", "ary", "ory", "ish", "less",
                "est", "ing")
# adjectives without an adjective suffix that stand before event nouns ('widespread protests')
PLAIN_ADJECTIVES = frozenset({"widespread", "mass", "massive", "large", "huge", "new", "recent", "ongoing",
                              "nationwide", "street", "spontaneous", "daily", "weekly", "fresh", "renewed",
                              "violent", "brutal", "unprecedented", "large-scale", "full-scale", "joint",
                              "repeated", "constant", "peaceful", "illegal", "armed", "military", "political"})
QUANTITY_NOUNS = frozenset({"majority", "minority", "many", "most", "some", "thousands", "hundreds",
                            "millions", "tens", "dozens", "all", "each", "none", "part", "number",
                            "one", "two", "three", "several", "few", "both", "members", "amount"})
FIRST_PERSON = frozenset({"we", "i", "our", "us", "my", "me", "ours", "ourselves", "myself"})
PRONOUNS = FIRST_PERSON | {"he", "she", "it", "they", "him", "her", "them", "his", "its", "their",
                           "you", "your"}
QUOTE_OPEN = "“«„\""
QUOTE_CLOSE = "”»\""
SPEECH = frozenset({"REQUEST", "ACCUSE", "REJECT", "ASSERT", "SUPPORT", "AGREE", "THREATEN"})
# verbal types: a stating verb whose content is one of these takes the content's type (rule 4)
VERBAL = frozenset({"ACCUSE", "REJECT", "REQUEST", "SUPPORT", "AGREE", "THREATEN", "CONCEDE"})
# readiness ("ready to", "willing to") with hostile content is that content, hypothetical
HOSTILE = frozenset({"ASSAULT", "THREATEN", "MOBILIZE", "COERCE", "SANCTION", "PROTEST"})
# a warned or conditional hostile act is a threat of it: THREATEN's mode by the act's type/mode
THREAT_MODE: dict[str, dict[str | None, str]] = {
    "ASSAULT": {None: "violence"},
    "MOBILIZE": {None: "violence"},
    "COERCE": {None: "restrict", "arrest": "arrest", "deport": "expel"},
    "SANCTION": {None: "restrict", "expel": "expel", "convict": "arrest", "withdraw": "relations"},
}
WARN_FORMS = _forms("warn")
# prepositions before a gerund whose subject is that of the main clause ('without killing')
GERUND_PREPS = frozenset({"without", "by", "after", "before", "instead", "despite", "through", "while",
                          "when", "besides", "since"})
# letting another actor act ('let Putin launch', 'allowed Russia to station'): COOPERATE
ENABLING = _forms("let", "allow", "permit", "enable", "authorise", "authorize")
# verbs whose object is the subject of the verb that follows ('let Putin launch', 'allowed
# Moscow to use', 'forced the regime to release')
CAUSATIVE = _forms("let", "make", "help", "allow", "permit", "force", "compel", "enable", "cause",
                   "lead", "prompt", "push", "get")
CONSIDER_FORMS = _forms("consider", "contemplate", "weigh", "mull")
# verbs taking a gerund complement that belong to its verb group ('will consider closing')
GERUND_CATENATIVE = CONSIDER_FORMS | _forms("resume", "risk", "discuss", "propose", "suggest", "recommend",
                                            "stop", "cease", "keep")
TIME_WORDS = frozenset({"last", "this", "next", "yesterday", "today", "tomorrow", "on", "earlier",
                        "later", "recently"})
SUBORDINATORS = frozenset({"if", "unless", "when", "while", "although", "though", "because", "as",
                           "since", "after", "before", "once", "whereas"})
NP_STOP = AUX | CLAUSE_WORDS | frozenset({",", ";", ":", "“", "”", '"', "(", ")", "–", "—", "-", "why",
                                          "how", "what", "there", "here", "«", "»", ".", "!", "?"})
ISSUER_RE = re.compile(r"(?:(?:joint|official|public)\s+)?(?:statement|appeal|resolution|declaration|address|"
                       r"remarks|speech|communiqu[eé]|press release|open letter)\s+(?:by|of|from)\s+(?:the\s+)?",
                       re.IGNORECASE)
ISSUER_END = re.compile(r"\s+(?:on|about|regarding|concerning|in|at|ahead|to|over|for|after|with)\s+|[,:;(]")
ADDRESSEE_VERBS = _forms("urge", "ask", "invite", "encourage", "implore", "press", "instruct", "order",
                         "tell", "exhort", "beg", "request", "advise", "entreat", "remind")
# prepositions whose object is a place, time or source, not a recipient ('in Minsk',
# 'from the territory of Belarus')
LOCATIVE_PREPS = frozenset({"in", "at", "from", "near", "within", "inside", "across", "throughout", "during",
                            "since", "via", "through", "outside", "around", "beyond", "amid"})
EVALUATIVE = frozenset({"worrying", "alarming", "troubling", "disturbing", "deplorable", "unacceptable",
                        "outrageous", "inadmissible", "regrettable", "shameful", "appalling"})
SYMMETRIC = frozenset({"CONSULT", "COOPERATE", "AGREE"})
# event nouns whose 'of' phrase is the agent ('the deployment of Russian troops', 'protests of
# workers', 'a meeting of ministers'); for the others it is the undergoer
OF_AGENT_TYPES = frozenset({"MOBILIZE", "PROTEST", "CONSULT"})
MILITARY_NOUNS = frozenset({"troops", "forces", "army", "military", "soldiers", "units", "contingent",
                            "servicemen", "mercenaries", "militants"})
# verbs that characterise their object ('regard X as', 'consider X', 'describe X as'); with
# hostile content ('an attack', 'repression', 'a threat') the speaker accuses (rule 4)
CHARACTERISE = _forms("consider", "regard", "view", "deem", "qualify", "describe", "label", "brand",
                      "characterise", "characterize", "term", "see", "treat")
CHARACTER_TYPES = frozenset({"ASSAULT", "COERCE", "THREATEN"})
# verbs whose 'that' opens a complement clause, not a relative clause ('told BPN that X met')
THAT_VERBS = _forms("say", "tell", "believe", "think", "know", "hope", "admit", "acknowledge", "confirm",
                    "deny", "show", "indicate", "understand", "agree", "ensure", "learn", "reveal",
                    "suggest", "assure", "remind", "realise", "realize", "recognise", "recognize",
                    "emphasise", "emphasize", "underline", "stress", "note", "state", "declare",
                    "announce", "report", "claim", "warn", "recall", "insist", "argue", "consider",
                    "fear", "feel", "expect", "demand", "seem") | frozenset({"sure", "convinced", "aware",
                                                                             "clear", "obvious", "evident"})
# participles that after 'be' are adjectives of the subject's state, not passives
PSYCH_ADJECTIVES = frozenset({"concerned", "worried", "alarmed", "disappointed", "outraged", "shocked",
                              "appalled", "dismayed", "convinced", "determined", "committed", "prepared",
                              "pleased", "delighted", "troubled", "disturbed", "saddened", "horrified",
                              "indignant", "resolved", "opposed", "united", "interested", "engaged",
                              "dedicated", "ready", "grateful", "encouraged", "heartened", "frustrated"})
# role nouns that, definite and without a name, refer back to a person ('the spokesman said')
ROLE_NOUNS = frozenset({"spokesman", "spokeswoman", "spokesperson", "president", "minister", "ambassador",
                        "diplomat", "chairman", "chairwoman", "chairperson", "premier", "envoy",
                        "rapporteur", "commissioner", "chancellor", "politician", "opposition leader"})
IRREGULAR_PARTICIPLES = frozenset({"made", "held", "sent", "kept", "brought", "built", "bought", "caught",
                                   "found", "led", "left", "lost", "met", "paid", "said", "sold", "taught",
                                   "told", "thought", "won", "struck", "fought", "sought", "shot", "hit",
                                   "put", "set", "cut", "bound", "run", "done", "hung", "spread", "let"})
COPULAS = _forms("sound", "seem", "look", "appear", "become")
# verb triggers that are also particles of other verbs ('invited the army back', 'fought back')
PARTICLES = frozenset({"back"})
# 'the government', 'the regime', 'the authorities' without a name: the government in focus
GOVERNMENT_NOUNS = frozenset({"government", "authorities", "regime", "junta", "administration", "leadership"})
# 'the organisation', 'the group' without a name: the body in focus
GENERIC_ORG_NOUNS = frozenset({"organisation", "organization", "group", "ngo", "watchdog", "body", "centre",
                               "center", "institution", "movement"})
# a document as the subject of a stating verb ('the statement notes'): its issuer speaks
DOCUMENT_NOUNS = frozenset({"statement", "report", "document", "communiqué", "communique", "note",
                            "release", "letter", "resolution", "declaration", "appeal", "message",
                            "text", "post", "publication", "comment", "commentary"})
# nouns for people or bodies that act: after a possessive they, not the possessor, are the actor
AGENT_NOUNS = ROLE_NOUNS | frozenset({
    "forces", "force", "services", "service", "troops", "army", "police", "officers", "officials",
    "courts", "court", "judges", "judge", "soldiers", "guards", "agents", "militia", "riot",
    "representatives", "diplomats", "ministry", "ministers", "lawyers", "lawyer", "leaders", "leader",
    "head", "staff", "aide", "aides", "adviser", "advisor", "advisers", "prosecutors", "prosecutor",
    "investigators", "supporters", "allies", "mercenaries", "units", "propagandists", "secretary",
    "deputy", "office", "team", "siloviki", "henchmen", "loyalists"})
# people of a body who act for it: 'officers of the KGB detained …' is coded as the KGB
MEMBER_NOUNS = frozenset({"officers", "officer", "employees", "staff", "agents", "officials", "servicemen",
                          "soldiers", "troops", "forces", "units", "personnel", "fighters", "operatives",
                          "investigators", "militia", "riot", "guards"})
UNIT_NOUNS = frozenset({"department", "departments", "branch", "unit", "office", "division", "directorate",
                        "service", "board", "administration", "section"})
# heads of descriptions of people or groups that can be recipients ('refugees from Ukraine',
# 'activists', 'victims and their families'); things ('the verdict') are not
HUMAN_NOUNS = frozenset({
    "people", "persons", "individuals", "activists", "refugees", "protesters", "protestors", "demonstrators",
    "victims", "families", "relatives", "prisoners", "detainees", "journalists", "bloggers", "students",
    "citizens", "civilians", "volunteers", "workers", "employees", "drivers", "children", "women", "men",
    "migrants", "asylum-seekers", "opponents", "critics", "dissidents", "defenders", "lawyers", "members",
    "politicians", "candidates", "voters", "residents", "inhabitants", "minorities", "believers", "clergy",
    "priests", "teachers", "doctors", "entities", "companies", "enterprises", "businesses", "organisations",
    "organizations", "media", "outlets", "society", "community", "population", "opposition", "neighbours",
    "neighbors", "partners", "allies", "soldiers", "troops", "officials", "judges", "prosecutors",
    "leaders", "diplomats", "exiles", "emigrants", "athletes", "artists", "writers", "musicians",
    "scientists", "pensioners", "farmers", "parents", "supporters", "participants", "those"})
NUMBER_WORDS = frozenset({"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                          "eleven", "twelve", "fifteen", "twenty", "fifty", "dozens", "hundreds", "thousands",
                          "millions", "dozen", "hundred", "thousand", "million", "more", "than", "at", "least",
                          "over", "about", "some", "around", "nearly", "almost", "additional", "another",
                          "further", "all", "many", "several", "these", "those", "the", "a", "an", "new",
                          "other", "its", "their", "his", "her", "our", "up", "to"})
TIME_NOUNS = frozenset({"day", "week", "month", "year", "time", "night", "morning", "evening", "weekend",
                        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})
WEEKDAYS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


@dataclass(slots=True)
class Tok:
    start: int
    end: int
    w: str  # normalised lower-case word
    raw: str


@dataclass
class Pred:
    """A predicate being built: its trigger match and what it governs."""

    match: Match
    type: str
    mode: str | None
    contexts: list[str]
    aux: set[str] = field(default_factory=set)
    content: list[Match] = field(default_factory=list)
    imperative: bool = False
    passive: bool = False
    drop: bool = False
    kind: str = "verb"
    vg_start: int = 0
    confidence: float = 0.7
    characterise: bool = False  # 'regard X as an attack': X is the accused


@dataclass
class _Ctx:
    doc: Document
    ents: dict[str, Entity]
    ref_year: int | None
    speaker: Role | None = None  # the current speaking organisation ("we")
    person_speaker: Role | None = None  # the person who speaks as "I" (a person issuer)
    quote_speakers: dict[int, Role] = field(default_factory=dict)  # sentence id -> speaker
    framing: dict[int, list[Event]] = field(default_factory=dict)  # framing sentence -> events
    framing_roles: dict[int, tuple[Role | None, list[Role]]] = field(default_factory=dict)
    last_org: Role | None = None
    last_person: Role | None = None
    persons: list[Role] = field(default_factory=list)  # persons as subjects or speakers, latest last
    speakers: list[Role] = field(default_factory=list)  # persons who spoke, latest last
    quote_speaker: Role | None = None  # the speaker of the sentence being coded, if quoted
    last_actor: Role | None = None
    last_plural: tuple[Role, list[Role]] | None = None  # last plural subject: first conjunct, others
    coord: list[Role] = field(default_factory=list)  # other conjuncts of the last subject found
    last_speech: Role | None = None
    prev_end: int | None = None  # end token of the previous predicate in the sentence


class EventStage:
    """`EventStage(lexicon)(doc)` fills `doc.events`."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        cues = lexicon.cues
        self.reporting = frozenset(cues.reporting)
        self.negators = frozenset(cues.negators) or frozenset({"not", "n't", "never", "no"})
        self.negating_verbs = frozenset(cues.negating_verbs)
        self.negating_phrases = cues.negating_phrases
        self.support_verbs = frozenset(cues.support_verbs)
        self.future = cues.future
        self.hypothetical = cues.hypothetical
        self.historical = cues.historical
        self.modal_request = cues.modal_request
        self.not_negation = cues.not_negation
        # cue lists indexed by their first word: a window is checked only for cues that can start in it
        self._future_idx = _cue_index(self.future)
        self._hypo_idx = _cue_index(self.hypothetical)
        self._hist_idx = _cue_index(self.historical)
        self._modal_first = frozenset(c[0] for c in self.modal_request if c)

    # ------------------------------------------------------------ document level
    def __call__(self, doc: Document) -> Document:
        ents = {e.id: e for e in doc.entities}
        ctx = _Ctx(doc, ents, _reference_year(doc))
        self._quote_speakers(doc, ctx)
        ctx.speaker = self._issuer(doc, ctx)
        mentions = sorted(doc.mentions, key=lambda m: (m.start, -(m.end - m.start)))
        events: list[Event] = []
        mi = 0
        for sent in doc.sentences:
            while mi < len(mentions) and mentions[mi].start < sent.start:
                mi += 1
            j = mi
            smentions: list[Mention] = []
            while j < len(mentions) and mentions[j].start < sent.end:
                m = mentions[j]
                if m.end <= sent.end and (not smentions or m.start >= smentions[-1].end):
                    smentions.append(m)
                j += 1
            events.extend(self._sentence(ctx, sent, smentions))
        for n, ev in enumerate(events, 1):
            ev.id = f"e{n}"
        doc.events = events
        return doc

    def _issuer(self, doc: Document, ctx: _Ctx) -> Role | None:
        """'Statement by X …', 'Appeal of X …', 'Remarks by High Representative X' in a heading
        names who speaks. A person issuer is who "I" is (and who speaks in sentences without a
        subject); "we" is then the body the actors stage resolved it to."""
        for s in doc.sentences[:8]:
            t = doc.text[s.start:s.end]
            mt = ISSUER_RE.search(t)
            if not mt or mt.start() > 40:
                continue
            a = s.start + mt.end()
            for m in doc.mentions:
                if a <= m.start < a + 60 and m.end <= s.end and m.entity in ctx.ents and (
                        m.start < a + 12 or re.fullmatch(r"(?:[A-Z][\w’'-]*\s+)*", doc.text[a:m.start])):
                    role = self._role(ctx, m)
                    if ctx.ents[m.entity].kind == "person":
                        ctx.person_speaker = role
                        return None
                    return role
            if mt.start() > 0:
                continue
            rest = ISSUER_END.split(t[mt.end():], 1)[0].rstrip(" .:\"“”")
            if 0 < len(rest.split()) <= 8:
                return Role(None, " ".join(rest.split()), a, a + len(rest), doc.text[a:a + len(rest)])
        return None

    # ------------------------------------------------------------ quotations
    def _quote_speakers(self, doc: Document, ctx: _Ctx) -> None:
        """Attribute sentences inside quotation marks to the speaker named next to them
        ('“…,” it said', 'the aide said', 'X stressed: “…”', 'X said the following:')."""
        text = doc.text
        sents = doc.sentences
        i = 0
        while i < len(sents):
            s = sents[i]
            if s.kind == "heading":
                i += 1
                continue
            # a run of quote sentences starting at i
            st = text[s.start:s.end]
            starts_quote = st[:1] in QUOTE_OPEN or s.kind == "quote"
            if not starts_quote:
                # 'X said:' / 'X said the following:' -> the following quote/paragraph
                if st.rstrip().endswith(":") and i + 1 < len(sents) and sents[i + 1].kind != "list_item":
                    sp = self._attribution(doc, ctx, s.start, s.end, before=True)
                    if sp is not None:
                        k = i + 1
                        while k < len(sents) and sents[k].kind in ("quote", "sentence") and k <= i + 8:
                            ctx.quote_speakers[sents[k].id] = sp
                            if text[sents[k].start:sents[k].end].rstrip()[-1:] in QUOTE_CLOSE + "”":
                                break
                            k += 1
                        i = k + 1
                        continue
                # inline quote inside a sentence: '… “quote,” X said.' handled per sentence
                close = max(st.rfind("”"), st.rfind("»"))
                if close > 0:
                    sp = self._attribution(doc, ctx, s.start + close + 1, s.end)
                    if sp is not None:
                        ctx.quote_speakers[s.id] = sp
                i += 1
                continue
            k = i
            while k < len(sents) and k < i + 12:
                t = text[sents[k].start:sents[k].end]
                close = max(t.rfind("”"), t.rfind("»"), t.rfind('"') if t.count('"') >= 2 or k > i else -1)
                if close >= 0 and (k > i or close > 0):
                    break
                if k > i and sents[k].kind not in ("quote",):
                    k -= 1
                    close = -1
                    break
                k += 1
            if k >= len(sents):
                k = len(sents) - 1
            t = text[sents[k].start:sents[k].end]
            close = max(t.rfind("”"), t.rfind("»"), t.rfind('"'))
            sp = None
            if close >= 0:
                sp = self._attribution(doc, ctx, sents[k].start + close + 1, sents[k].end)
            if sp is None and i > 0:  # 'X said:' before the quote
                p = sents[i - 1]
                if text[p.start:p.end].rstrip().endswith(":"):
                    sp = self._attribution(doc, ctx, p.start, p.end, before=True)
                elif p.id in ctx.quote_speakers and text[p.start:p.end].lstrip()[:1] in QUOTE_OPEN:
                    sp = ctx.quote_speakers[p.id]  # a further quoted paragraph of the same speaker
            if sp is not None:
                for j in range(i, k + 1):
                    ctx.quote_speakers[sents[j].id] = sp
            i = k + 1

    def _attribution(self, doc: Document, ctx: _Ctx, start: int, end: int, before: bool = False) -> Role | None:
        """The speaker in an attribution clause between `start` and `end` (a reporting verb
        and a mention or noun phrase next to it)."""
        seg = doc.text[start:end]
        if not before and len(seg.strip(" ,.–—-:\"”")) > 120:
            seg = seg[:120]
        toks = [Tok(start + m.start(), start + m.end(), norm(m.group()), m.group()) for m in TOKEN_RE.finditer(seg)]
        vi = next((i for i, t in enumerate(toks) if t.w in self.reporting), None)
        if vi is None:
            return None
        if before:
            # only 'X said[ the following]:' at the end of the sentence
            tail = [t.w for t in toks[vi + 1:]]
            if any(w not in ("the", "following", ":", "that", "this", "in", "a", "statement", "as",
                             "follows", ",", "-", "–") for w in tail):
                return None
        ms = [m for m in doc.mentions if m.start >= start and m.end <= end]
        vpos = toks[vi].start
        # prefer the mention closest to the verb (after it: '“…,” said X'; before it: 'X said')
        if ms:
            after = [m for m in ms if m.start >= toks[vi].end]
            bef = [m for m in ms if m.end <= vpos]
            pick = None
            if bef and not before:
                pick = bef[-1] if len(toks[:vi]) <= 10 else None
                # 'X, head of the Y, wrote': the person before the apposition
                for pm in reversed(bef[:-1]):
                    gap = doc.text[pm.end:vpos].strip()
                    if gap.startswith(",") and gap.endswith(",") and (e := ctx.ents.get(pm.entity)) is not None \
                            and e.kind == "person" and gap.count(",") == 2:
                        pick = pm
                        break
            if pick is None and after and not before:
                pick = after[0]
                # 'said Viasna’s Pavel Sapelka': the person, not the possessor
                if len(after) > 1 and _possessive(norm(doc.text[pick.start:after[1].start].strip())) \
                        and after[1].start - pick.end <= 3:
                    pick = after[1]
            if pick is None and bef:
                # the subject nearest the verb, not a name inside a prepositional phrase
                # ('on the occasion of the Independence Day of Belarus, Lukashenko said:')
                np_bef = [m for m in bef if not re.search(
                    r"\b(?:of|to|for|from|at|in|with|on|by|during|about)\s+(?:the\s+)?$",
                    doc.text[max(0, m.start - 20):m.start])]
                pick = np_bef[-1] if np_bef else bef[-1]
            if pick is not None:
                return self._role(ctx, pick)
        # no mention: a noun phrase before the verb ('the aide to X said') or after it
        np = [t for t in toks[:vi] if t.w not in (",", "-", "–", "—", ".", "“", "”", '"')]
        if np and len(np) <= 6:
            return _np_role(np, doc.text)
        np = [t for t in toks[vi + 1:] if t.w not in (",", ".")][:4]
        if np and np[0].raw[:1].isupper():
            return _np_role(np, doc.text)
        return None

    def _track(self, ctx: _Ctx, actor: Role, etype: str, coord: list[Role] | None = None) -> None:
        if coord or _plural(actor):
            ctx.last_plural = (actor, list(coord or []))
        e = ctx.ents.get(actor.entity) if actor.entity else None
        kind = e.kind if e else None
        ctx.last_actor = actor
        if kind in ("person",):
            ctx.last_person = actor
            self._person(ctx, actor, spoke=etype in ("ASSERT", "ACCUSE", "REQUEST", "REJECT"))
        elif kind in ("organization", "igo", "country", "group"):
            ctx.last_org = actor
        elif actor.entity:  # unknown kind: either
            ctx.last_person = ctx.last_person or actor
            ctx.last_org = ctx.last_org or actor
        if etype in SPEECH and actor.entity:
            ctx.last_speech = actor

    @staticmethod
    def _person(ctx: _Ctx, r: Role, spoke: bool = False) -> None:
        ctx.persons = [x for x in ctx.persons if not _same(x, r)][-7:] + [r]
        if spoke:
            ctx.speakers = [x for x in ctx.speakers if not _same(x, r)][-7:] + [r]

    def _last_person(self, ctx: _Ctx, spoke: bool = False) -> Role | None:
        """'he'/'she'/'the spokesman': the last person who acted or spoke; inside a quotation
        not the quoted speaker ('“He denied any actions,” Mr Jasina concluded')."""
        qs = ctx.quote_speaker
        for r in reversed(ctx.speakers if spoke else ctx.persons):
            if qs is not None and _same(r, qs):
                continue
            return r
        if spoke:
            return self._last_person(ctx)
        if ctx.last_person is not None and not _same(ctx.last_person, qs):
            return ctx.last_person
        return None

    def _is_person(self, ctx: _Ctx, r: Role) -> bool:
        e = ctx.ents.get(r.entity) if r.entity else None
        return e is not None and e.kind == "person"

    def _definite_role(self, ctx: _Ctx, r: Role | None) -> Role | None:
        """A definite description with no name ('the spokesman', 'the Government', 'the
        officers', 'the statement', 'the Cabinet') points back to who or what it names (SPEC §3
        rule 5); anything else stays the unlinked description."""
        if r is None or r.entity is not None:
            return r
        ws = r.name.lower().split()
        if not ws or len(ws) > 3 or ctx.doc.text[max(0, r.start - 4):r.start].lower() != "the ":
            return r
        head, short = ws[-1], len(ws) <= 2
        if short and head in GOVERNMENT_NOUNS and ws[0] in GOVERNMENT_NOUNS | {"same"}:
            # 'the Government has denied …': the government named most often so far
            return self._salient_body(ctx, r.start, lambda e: e.sector == "GOV") or r
        if short and head in MEMBER_NOUNS:
            # 'the officers searched the flat': the body of the last 'officers of X'
            rx = re.compile(rf"\b{re.escape(head)}\s+of\s+(?:the\s+)?(?:[\w’'-]+\s+){{0,3}}?(?:of\s+(?:the\s+)?)?$")
            for m in reversed(ctx.doc.mentions):
                if m.end <= r.start and r.start - m.start < 3000 and m.entity in ctx.ents \
                        and rx.search(ctx.doc.text[max(0, m.start - 60):m.start].lower()):
                    return self._role(ctx, m)
            return r
        if head in DOCUMENT_NOUNS:
            # 'the statement notes', 'the report says': its named author, else who last spoke
            return self._author(ctx, head, r.start) or self._last_source(ctx, r.start) \
                or ctx.speaker or ctx.last_org or r
        if head in ROLE_NOUNS:
            return self._last_person(ctx, spoke=True) or r
        if short and head in GENERIC_ORG_NOUNS:
            # 'the organisation documented …': the non-state body named most often so far
            return self._salient_body(ctx, r.start, lambda e: e.kind in ("organization", "igo")
                                      and e.sector != "GOV") or r
        if short:
            # 'the Cabinet', 'the court': the body last named with that head word
            return self._body_named(ctx, head, r.start) or r
        return r

    def _salient_body(self, ctx: _Ctx, pos: int, ok) -> Role | None:
        """The non-person entity accepted by `ok` that is named most often before `pos` (the
        latest on a tie)."""
        seen: dict[str, tuple[int, Mention]] = {}
        for m in ctx.doc.mentions:
            if m.end <= pos and (e := ctx.ents.get(m.entity)) is not None and e.kind != "person" and ok(e):
                seen[m.entity] = (seen.get(m.entity, (0, m))[0] + 1, m)
        if not seen:
            return None
        return self._role(ctx, max(seen.values(), key=lambda x: (x[0], x[1].start))[1])

    def _body_named(self, ctx: _Ctx, word: str, pos: int) -> Role | None:
        """The body last named before `pos` whose name has `word` ('cabinet' → 'United
        Transitional Cabinet of Belarus', 'court' → 'Homieĺ Regional Court')."""
        for m in reversed(ctx.doc.mentions):
            e = ctx.ents.get(m.entity)
            if m.end <= pos and m.start != pos and e is not None and e.kind not in ("person", "country") \
                    and word in e.name.lower().split():
                return self._role(ctx, m)
        return None

    def _author(self, ctx: _Ctx, noun: str, pos: int) -> Role | None:
        """X in an earlier '<noun> (presented to the Council) by X' ('a report … by Nils
        Muižnieks'), the latest before `pos`."""
        text = ctx.doc.text
        for mt in reversed(list(re.finditer(rf"\b{re.escape(noun)}\b", text[max(0, pos - 3000):pos], re.I))):
            a = max(0, pos - 3000) + mt.end()
            by = text.find(" by ", a, min(pos, a + 80))
            if by < 0 or any(c in text[a:by] for c in ".;!?"):
                continue
            m = next((m for m in ctx.doc.mentions if by + 4 <= m.start <= by + 12 and m.entity in ctx.ents), None)
            if m is not None:
                return self._role(ctx, m)
        return None

    def _last_source(self, ctx: _Ctx, pos: int) -> Role | None:
        """The named speaker of the nearest earlier sentence: its quotation's speaker or the
        subject of its reporting verb ('…, the ministry said in a statement')."""
        doc = ctx.doc
        cur = next((s.id for s in doc.sentences if s.start <= pos < s.end), len(doc.sentences))
        for s in reversed(doc.sentences[max(0, cur - 6):cur]):
            sp = ctx.quote_speakers.get(s.id)
            if sp is None and s.kind != "heading":
                sp = self._attribution(doc, ctx, max(s.start, s.end - 120), s.end)
            if sp is not None and sp.entity is not None:
                return sp
        return None

    def _pronoun(self, ctx: _Ctx, w: str, speaker: Role | None, speech: bool = False) -> Role | None:
        """A pronoun subject the actors stage left unresolved (SPEC §3 rule 5)."""
        if w in FIRST_PERSON:
            return speaker
        if w == "it":
            # 'It also asks the Commission …': the body that last spoke, not the last one that acted
            if speech and ctx.last_speech is not None and not self._is_person(ctx, ctx.last_speech):
                return ctx.last_speech
            return ctx.last_org
        if w in ("he", "she"):
            return self._last_person(ctx)
        if w == "they":  # the last plural subject, never a guess
            if ctx.last_plural is not None:
                ctx.coord = list(ctx.last_plural[1])
                return ctx.last_plural[0]
            return None
        return None

    def _role(self, ctx: _Ctx, m: Mention) -> Role:
        e = ctx.ents.get(m.entity)
        name = e.name if e else m.text
        return Role(m.entity if e else None, name, m.start, m.end, m.text)

    # ------------------------------------------------------------ sentence level
    def _sentence(self, ctx: _Ctx, sent: Sentence, mentions: list[Mention]) -> list[Event]:
        doc = ctx.doc
        text = doc.text
        if sent.kind == "heading":
            return []
        stext = text[sent.start:sent.end]
        off = sent.start
        cache = _NORM
        toks = []
        for mt in TOKEN_RE.finditer(stext):
            g = mt.group()
            w = cache.get(g)
            if w is None:
                w = _norm(g)
            a, b = mt.span()
            toks.append(Tok(off + a, off + b, w, g))
        if not toks:
            return []
        words = [t.w for t in toks]
        # mention -> token ranges
        mtoks: list[tuple[int, int, Mention]] = []
        ti = 0
        for m in mentions:
            while ti < len(toks) and toks[ti].end <= m.start:
                ti += 1
            a = ti
            b = a
            while b < len(toks) and toks[b].start < m.end:
                b += 1
            if b > a:
                mtoks.append((a, b, m))
        quote_speaker = ctx.quote_speakers.get(sent.id)
        ctx.quote_speaker = None
        if quote_speaker is not None and quote_speaker.entity is None and quote_speaker.text.lower() in PRONOUNS:
            quote_speaker = self._pronoun(ctx, quote_speaker.text.lower(), ctx.speaker) or quote_speaker
        if quote_speaker is not None and quote_speaker.entity is None:
            quote_speaker = self._definite_role(ctx, quote_speaker)
            ctx.quote_speakers[sent.id] = quote_speaker
        ctx.quote_speaker = quote_speaker
        if quote_speaker is not None and self._is_person(ctx, quote_speaker):
            self._person(ctx, quote_speaker, spoke=True)
        # update the document speaker from first-person mentions outside quotations
        if quote_speaker is None and sent.kind != "quote":
            for a, b, m in mtoks:
                if words[a] in ("we", "our", "us", "ours", "ourselves") and m.entity in ctx.ents:
                    ctx.speaker = self._role(ctx, m)
                    break
        # 'I, Svyatlana Tsikhanouskaya, …' / 'We, the X, …' names the speaker
        for a, b, m in mtoks:
            if a >= 2 and words[a - 1] == "," and words[a - 2] in ("i", "we") and m.entity in ctx.ents:
                ctx.speaker = self._role(ctx, m)
                if quote_speaker is None:
                    ctx.quote_speakers[sent.id] = ctx.speaker
                break
        speaker = quote_speaker or ctx.person_speaker or ctx.speaker or ctx.last_speech

        matches = self.lexicon.match(words)
        preds = self._predicates(ctx, sent, toks, words, matches)

        # list items: the framing line's speech act decides the type
        framing = ctx.framing.get(sent.parent) if sent.kind == "list_item" and sent.parent is not None else None
        events: list[Event] = []
        if sent.kind == "list_item" and framing:
            prev = doc.sentences[sent.id - 1] if sent.id > 0 else None
            if prev is not None and prev.kind == "list_item" and prev.parent == sent.parent \
                    and "\n" not in text[prev.end:sent.start]:
                return []  # a further sentence of the same item: one event per item (rule 3)
            f = framing[0]
            mode = f.mode
            if f.type == "REQUEST":
                mode = self._request_mode(preds, matches) or f.mode
            trig = preds[0].match if preds else None
            tspan = _span(doc, toks[trig.start].start, toks[trig.end - 1].end) if trig else _span(doc, toks[0].start, toks[min(len(toks), 3) - 1].end)
            contexts = list(dict.fromkeys(f.contexts + [c for p in preds for c in p.contexts]))
            ev = Event("", f.type, mode, _span(doc, sent.start, sent.end), tspan, sent.id,
                       actor=f.actor, recipients=list(f.recipients), object=None,
                       contexts=contexts, aux=list(f.aux),
                       confidence=round(min(f.confidence, 0.9), 2))
            return [ev]

        frame_actor: Role | None = None
        frame_recips: list[Role] = []
        if sent.kind == "list_item" and sent.parent is not None and sent.parent in ctx.framing_roles:
            frame_actor, frame_recips = ctx.framing_roles[sent.parent]

        modal_pred = self._modal_request(ctx, toks, words, matches, preds)
        if modal_pred is not None:
            preds.append(modal_pred)
            preds.sort(key=lambda p: p.match.start)

        prev_actor: Role | None = None
        # a plural subject earlier in this sentence is what a later 'they' refers to
        # ('the Ukrainian people have shown … as they fight')
        they = words.index("they") if "they" in words else -1
        for a, b, m in mtoks:
            if a >= they:
                break
            if b < len(words) and words[b] in AUX and not _in_pp(words, a) and words[a] not in PRONOUNS:
                r = self._role(ctx, m)
                if _plural(r):
                    ctx.last_plural = (r, [])
        # 'according to X' names the source of what the sentence asserts or alleges
        source: Role | None = None
        for i in range(len(words) - 2) if "according" in words else ():
            if words[i] == "according" and words[i + 1] == "to":
                src = next((m for a, b, m in mtoks if i + 2 <= a <= i + 4 and words[a] not in PRONOUNS), None)
                if src is not None:
                    source = self._role(ctx, src)
                break
        # 'in Parliament's view', 'in the opinion of X': the one whose view the sentence states
        for i in range(len(words) - 2) if "view" in words or "opinion" in words else ():
            j = i + 2 if words[i + 1] == "the" else i + 1  # 'in (the) X's view'
            if words[i] == "in" and (v := next((k for k in range(j + 1, min(len(words), j + 5))
                                                if words[k] in ("view", "opinion")), None)) is not None \
                    and _possessive(words[v - 1]):
                src = next((m for a, b, m in mtoks if a in (i + 1, j) and b == v), None)
                if src is None and v == j + 1:  # "in Parliament's view": the body named with that word
                    source = self._body_named(ctx, words[j].split("'")[0].split("’")[0], toks[j].start)
                    break
            elif words[i] == "in" and words[i + 1] == "the" and i + 3 < len(words) and words[i + 2] in ("view", "opinion") \
                    and words[i + 3] == "of":
                src = next((m for a, b, m in mtoks if i + 4 <= a <= i + 5), None)
            else:
                continue
            if src is not None:
                source = self._role(ctx, src)
            break
        ctx.prev_end = None
        for p in preds:
            actor, recips, obj = self._arguments(ctx, p, toks, words, mtoks, speaker, prev_actor)
            ctx.prev_end = p.match.end
            if source is not None and p.type in ("ACCUSE", "ASSERT") and not p.passive and (
                    actor is None or actor.entity is None or _same(actor, speaker)):
                actor = source
            own = actor
            if p.match.trigger.type == "MODAL":  # modal request: the speaker asks the subject
                recips = [actor] if actor is not None else []
                actor = source or speaker
            if actor is None and sent.kind == "list_item" and frame_actor is not None:
                actor = frame_actor
            hw = words[p.match.head]
            if p.type == "ACCUSE" and (hw in EVALUATIVE or p.match.trigger.content or (
                    p.match.trigger.kind == "phrase" and p.match.end - p.match.start == 1 and not hw.endswith("ed"))) \
                    and _after_copula(words, p.match.start):
                # '<the raids> are deeply worrying': the evaluation is the speaker's, the
                # subject is what is evaluated
                if actor is not None and not _same(actor, speaker):
                    recips = [actor] + [r for r in recips if not _same(r, actor)]
                actor = speaker
            if quote_speaker is not None and actor is not None and actor.entity is None \
                    and p.type in ("ACCUSE", "ASSERT") and not p.passive \
                    and actor.name.lower().split()[-1] not in HUMAN_NOUNS | AGENT_NOUNS:
                actor = quote_speaker  # an evaluation inside a quotation is the speaker's
            m = p.match
            if actor is None and p.type in SPEECH and not p.passive and not (
                    p.vg_start > 0 and words[p.vg_start - 1] == "you"):  # 'why are you reproaching us?'
                actor = speaker
            if any(w in ("me", "my") for w in words[m.start:m.end]) and (quote_speaker or ctx.person_speaker):
                actor = quote_speaker or ctx.person_speaker  # 'it seems to me that …': the one who speaks
            if actor is not None:
                prev_actor = actor
                self._track(ctx, actor, p.type, ctx.coord if actor is own else None)
            enabling = self._enabling(ctx, p, toks, words, mtoks, sent, actor)
            if enabling is not None:
                events.append(enabling)
            ev = Event("", p.type, p.mode, _span(doc, sent.start, sent.end),
                       _span(doc, toks[m.start].start, toks[m.end - 1].end), sent.id,
                       actor=actor, recipients=recips, object=obj,
                       contexts=list(dict.fromkeys(p.contexts)), aux=sorted(p.aux),
                       confidence=round(p.confidence, 2))
            events.append(ev)

        # a person who speaks ('…, Łukasz Jasina said', 'said Anaïs Marin') is who a later
        # 'he'/'she'/'the spokesman' refers to
        for a, b, m in mtoks:
            e = ctx.ents.get(m.entity)
            if e is None or e.kind != "person" or words[a] in PRONOUNS:
                continue
            nxt = b + 1 if b < len(words) and words[b] == "," else b
            prv = a - 2 if a >= 2 and words[a - 1] == "," else a - 1
            if (nxt < len(words) and words[nxt] in self.reporting) or (prv >= 0 and words[prv] in self.reporting):
                self._person(ctx, self._role(ctx, m), spoke=True)
        if stext.rstrip().endswith(":"):
            framers = [e for e, p in zip(events, preds) if p.match.trigger.frame or p.type == "REQUEST"]
            subj = events[0].actor if events else self._clause_subject(ctx, toks, words, mtoks, len(toks))
            if subj is None and not matches and 1 <= len(toks) - 1 <= 8 and toks[0].raw[:1].isupper() \
                    and words[0] not in PREPS and words[-2] not in PREPS:  # not 'In view of:'
                subj = _np_role(toks[:-1], text)  # 'The United Transitional Cabinet of Belarus:'
            ctx.framing_roles[sent.id] = (subj or speaker, [])
            if framers:
                # several speech acts ('states and calls on X to:', 'believes that it is necessary
                # to:'): the items take the typed act's type, not the stating verb's
                typed = next((e for e in framers if e.type != "ASSERT"), framers[0])
                ctx.framing[sent.id] = [typed]
                # the framing line itself is not an event (SPEC §3 rule 3)
                events = [e for e in events if not any(e is f for f in framers)]
        return events

    # ------------------------------------------------------------ predicates
    def _predicates(self, ctx: _Ctx, sent: Sentence, toks: list[Tok], words: list[str],
                    matches: list[Match]) -> list[Pred]:
        preds: list[Pred] = []
        scope: Pred | None = None  # the speech act whose complement we are in
        last_any: int = -1  # end of the last trigger seen (any kind)
        kinds: list[str] = []
        noun_at: set[int] = set()
        for m in matches:
            if _noun_usage(toks, words, m, noun_at):
                kinds.append("noun")
                noun_at.add(m.end - 1)
            else:
                kinds.append(m.trigger.kind)
        verb_pos = [m.head for k, m in zip(kinds, matches) if k != "noun" and not m.trigger.content]
        noun_fired = False
        for m, kind in zip(matches, kinds):
            t = m.trigger
            if kind == "noun" and t.verb_only and t.kind != "noun":
                continue  # 'sanctioned entities', 'the targeting of': the entry is a verb only
            if kind != "noun" and m.head > 0 and toks[m.head].raw[:1].isupper() and \
                    words[m.head - 1] not in QUOTE_OPEN + "“«":
                continue  # a capitalised word mid-sentence is a name ('United States', 'March')
            if kind != "noun" and words[m.head] in self.reporting and _after_quote(words, m.start):
                continue  # '“…,” she stressed' attributes a quotation: the quotation is coded
            vg = self._verb_group_start(words, m.head)
            if t.type == "ASSERT" and kind != "noun" and preds and _trailing_attribution(words, vg, m.end):
                continue  # 'Russia and Belarus reject …, she stressed': the clause before is coded
            after_to = _preceded_by_to(words, m.start)
            if m.end - m.start == 1 and words[m.head] in PARTICLES and (
                    m.end >= len(words) or not words[m.end].isalpha() or words[m.end] in PREPS):
                continue  # 'invited the army back –': a particle, not the verb 'back'
            opening_participle = kind != "noun" and _participle_clause(toks, words, m)
            if opening_participle and t.frame:
                continue  # 'Asked about pardons, X said …': the question is no speech act of X
            passive = kind != "noun" and (t.passive or self._is_passive(words, m.head) or opening_participle or (
                # 'were either jailed or forced into exile': a participle coordinated with a passive
                m.head == m.start and m.start > 0 and words[m.start - 1] in ("and", "or") and bool(preds)
                and preds[-1].passive and preds[-1].kind != "noun" and _participle(toks[m.head])
                and not _break_between(words, preds[-1].match.end, m.start)))
            if t.type == "ASSERT" and passive:
                continue  # 'this is stated on the website' reports a source, not a position
            in_scope = scope is not None and not _break_between(words, scope.match.end, m.start) and not any(
                w in ("who", "whom", "whose", "which") or (w == "that" and words[i + 1] in AUX and scope.type == "REQUEST")
                for i, w in enumerate(words[scope.match.end:m.start], scope.match.end)) \
                and not self._relative_that(words, m.start) \
                and not any(w in ("that", "which") for w in words[m.start:m.head])  # 'sanctions that X imposed'
            new_finite = kind != "noun" and not after_to and (
                (m.start > 0 and words[vg - 1 if vg > 0 else 0] in (",", "and", "but", ";")) or _starts_clause(words, vg))
            finite = kind != "noun" and (head_inflected(t, words[m.head]) or any(w in AUX for w in words[vg:m.head]))
            if in_scope:
                ftype = scope.match.trigger.type
                breaks = False
                if t.frame and kind != "noun" and not after_to and new_finite and not t.content:
                    breaks = True  # a new speech act: 'condemn … and urge …'
                elif ftype not in ("REQUEST", "AGREE") and kind != "noun" and finite and not t.content \
                        and vg > 0 and words[vg - 1] in ("and", "but") and not after_to:
                    breaks = True  # 'condemned the sanctions … and announced measures'
                elif ftype == "ASSERT" and t.type not in VERBAL and kind != "noun" and not t.content \
                        and not passive and finite and (not after_to or any(w in AUX for w in words[vg:m.head])):
                    scope.drop = True  # 'X admitted that Y took part in …': Y's event is what is said
                    breaks = True
                elif ftype == "ASSERT" and t.type in VERBAL and kind != "noun" and not t.content \
                        and not passive and not after_to \
                        and _own_subject(words, scope.match.end, vg):
                    # 'she stressed that Russia and Belarus reject …': a verbal act reported of
                    # another subject is that subject's event, not the speaker's (rule 4)
                    scope.drop = True
                    breaks = True
                elif ftype == "ASSERT" and t.type not in VERBAL and passive and not t.content \
                        and not _attributive(words, m.end) and not _stative(words, vg, m.head, m.end):
                    # 'stressed that dozens are detained', 'recalled that X were convicted': the
                    # reported event is coded (rule 4); 'is temporarily occupied territory' (a
                    # participle before its noun) stays the stated position
                    scope.drop = True
                    breaks = True
                if not breaks:
                    scope.content.append(m)
                    scope.contexts.extend(c for c in t.contexts if c not in scope.contexts)
                    last_any = m.end
                    continue
                scope = None
            head_el = next((e for e in t.elements if e.head), None)
            imperative = (kind != "noun" and m.start == vg and head_el is not None and words[m.head] in head_el.base
                          and not toks[0].raw[:1].islower()
                          and (vg == 0 or (vg == 1 and words[0] in QUOTE_OPEN + "“«")
                               or (preds and preds[-1].imperative and words[vg - 1] in (",", "and")))
                          and not _subject_noun(words, m.end))
            predicative = t.content and t.type == "ACCUSE" and _after_copula(words, m.start)
            if predicative:
                kind = "phrase"  # 'the transfer of children is a war crime': the speaker's accusation
            elif t.content and not imperative:
                continue  # evaluative words count only as the content of a speech act
            if kind == "noun" and (noun_fired or _background(words, m.start, self.support_verbs) or any(
                    _clause_start(words, m.start) <= v < _clause_end(words, m.end) for v in verb_pos)):
                last_any = m.end
                continue  # a noun beside a predicate is its object or background (rule 6)
            if (kind != "noun" and m.head == m.start and words[m.head].endswith("ed") and m.start > 0
                    and last_any >= 0 and not _break_between(words, last_any, m.start)
                    and words[m.start - 1] not in BE | AUX | ADVERB_WORDS | PRONOUNS
                    and words[m.start - 1] not in (",", "and", "or", "that", "who", "which")
                    and not toks[m.start - 1].raw[:1].isupper()
                    and m.end < len(words) and words[m.end] in PREPS):
                last_any = m.end
                continue  # a participle modifying a noun: 'the sanctions imposed against Minsk'
            p = Pred(m, t.type, t.mode, list(t.contexts), set(t.aux), vg_start=vg,
                     confidence=t.confidence)
            self._aux(ctx, p, toks, words, vg, kind)
            if "negation" in p.aux and t.negated:
                p.type, p.mode = t.negated, t.negated_mode
                p.aux.discard("negation")
            p.passive = passive
            p.kind = kind
            if imperative:
                p.imperative = True
                if p.type != "REQUEST":
                    p.mode = t.request_mode
                    p.type = "REQUEST"
            last_any = m.end
            if kind == "noun":
                noun_fired = True
            prev = preds[-1] if preds else None
            if (prev is not None and prev.type == p.type and prev.mode == p.mode and not p.imperative
                    and not t.frame and not prev.match.trigger.frame
                    and not _break_between(words, prev.match.end, m.start)
                    and ((m.start - prev.match.end <= 2 and prev.match.end - prev.match.start == 1)
                         or (words[m.head].endswith("ing") and words[m.start - 1] in (",", "“", '"')))):
                prev.contexts.extend(c for c in p.contexts if c not in prev.contexts)
                continue  # 'detained and arrested': one predicate (rule 6)
            preds.append(p)
            scope = p if (t.frame or p.imperative) else None
        out = []
        for p in preds:
            self._resolve(p, words)
            if not p.drop:
                self._threat(p, words)
                out.append(p)
        return out

    def _relative_that(self, words: list[str], i: int) -> bool:
        """'the society that supports Ukraine': 'that' right after a noun and right before the
        verb at i opens a relative clause, not the complement of a stating verb."""
        if i < 2 or words[i - 1] != "that":
            return False
        w = words[i - 2]
        return w.isalpha() and w not in THAT_VERBS and w not in self.reporting and w not in CLAUSE_WORDS \
            and w not in AUX and w not in ADVERB_WORDS and w not in PREPS and w not in ("so", "such")

    def _threat(self, p: Pred, words: list[str]) -> None:
        """A warning of a hostile act by its actor is a THREATEN (SPEC §3): the act in the future
        or hypothetical beside a conditional clause ('will close the border if …'), under a warning
        verb ('warned that it would expel …', '…, the ministry warned'), considered ('will consider
        closing the crossings') or not hesitated over ('will not hesitate to use force')."""
        if p.type not in THREAT_MODE or p.imperative or p.kind == "noun" or p.match.trigger.type == "AGREE":
            return  # readiness with hostile content is decided by _resolve
        m = p.match
        vg = p.vg_start
        cs = _clause_start(words, vg)
        if cs > 0 and words[cs - 1] in ("if", "unless"):
            return  # the conditional clause itself is its own hypothetical event
        pre = words[max(0, m.start - 3):m.start]
        considered = any(w in CONSIDER_FORMS for w in words[max(0, vg - 1):m.head])
        unhesitant = len(pre) >= 2 and pre[-2:] == ["hesitate", "to"] and any(
            w in ("not", "n't", "never") for w in words[max(0, m.start - 5):m.start])
        if not (considered or unhesitant):
            if not ({"future", "hypothetical"} & p.aux) or "have" in words[vg:m.head]:
                return
            if "negation" in p.aux:
                return
            conditional = any(w in ("if", "unless") and not (w == "if" and i + 1 < len(words) and words[i + 1] == "not")
                              and not (i > 0 and words[i - 1] in ("as", "even"))
                              for i, w in enumerate(words) if not vg <= i < m.end) or (
                "case" in words and _contains(words, ("in", "case")))
            warned = any(w in WARN_FORMS for w in words[m.end:])  # '…, the ministry warned'
            wi = next((i for i in range(vg - 1, -1, -1) if words[i] in WARN_FORMS), None)
            if wi is not None:
                # a warning of the warner's own act: 'warned that it would …' (not 'warned that
                # Russia would attack' — that is a warning about someone else)
                between = words[wi + 1:vg]
                if "that" in between:
                    between = between[len(between) - between[::-1].index("that"):]
                subj = [w for w in between if w != ","]
                warned = warned or p.passive or not subj or (
                    len(subj) == 1 and subj[0] in ("it", "we", "they", "i", "he", "she"))
            # 'Should the provocations continue, …' (an inverted conditional)
            conditional = conditional or (words[0] == "should" and "," in words[1:vg])
            # '… will shoot down any drone', '… will retaliate against anyone who': an act against
            # whoever does something is conditional
            anyone = any(w in ("any", "anyone", "anybody", "whoever") for w in words[m.end:m.end + 3])
            if not (conditional or warned or anyone):
                return
        p.mode = THREAT_MODE[p.type].get(p.mode, THREAT_MODE[p.type][None])
        p.type = "THREATEN"
        # a threat is about the future by definition: no future/hypothetical aux (as the gold)
        p.aux -= {"hypothetical", "negation", "future"}

    def _resolve(self, p: Pred, words: list[str] | None = None) -> None:
        """A speech act takes its mode, or its type, from what it governs (SPEC §3 rule 4)."""
        ftype = p.match.trigger.type
        if p.type == "REQUEST":
            if words is not None and words[p.match.start] in ("it", "there") and (
                    (not p.content and words[-1] != ":") or (p.content and p.content[0].trigger.type == "ASSERT")):
                p.drop = True  # 'it is necessary to note that …' asks nothing
                return
            if p.mode is None:
                for c in p.content:
                    if c.trigger.request_mode:
                        p.mode = c.trigger.request_mode
                        break
                    if c.trigger.type == "REQUEST" and c.trigger.mode:
                        p.mode = c.trigger.mode
                        break
        elif ftype == "ASSERT" and p.type == "ASSERT":
            c = next((c for c in p.content if c.trigger.content and c.trigger.type in VERBAL), None) or \
                next((c for c in p.content if c.trigger.type in VERBAL), None)
            if c is not None:
                p.type, p.mode = c.trigger.type, c.trigger.mode
            elif words is not None and words[p.match.head] in CHARACTERISE and any(
                    c.trigger.type in CHARACTER_TYPES for c in p.content):
                # 'We regard these incursions as a hybrid attack': calling something an attack,
                # repression or a threat is the speaker's accusation (rule 4)
                c = next(c for c in p.content if c.trigger.type in CHARACTER_TYPES)
                p.type, p.mode = "ACCUSE", "allege"
                p.characterise = True
                p.contexts.extend(x for x in c.trigger.contexts if x not in p.contexts)
        elif ftype == "AGREE" and p.match.trigger.frame:
            c = next((c for c in p.content if c.trigger.type in HOSTILE), None)
            if c is not None:
                p.type, p.mode = c.trigger.type, c.trigger.mode
                p.contexts.extend(x for x in c.trigger.contexts if x not in p.contexts)
                vg = p.vg_start
                if p.type in THREAT_MODE and words is not None and vg > 0 and (
                        words[vg - 1] in ("we", "i", "it") or any(w in WARN_FORMS for w in words[:vg])):
                    # 'we are ready to close the border', 'warned that it is prepared to …': the
                    # speaker's own readiness for a hostile act is a warning (SPEC §3)
                    p.mode = THREAT_MODE[p.type].get(p.mode, THREAT_MODE[p.type][None])
                    p.type = "THREATEN"
                elif c.trigger.type != "THREATEN":
                    p.aux.add("hypothetical")

    def _request_mode(self, preds: list[Pred], matches: list[Match]) -> str | None:
        for m in matches:
            if m.trigger.request_mode:
                return m.trigger.request_mode
            if m.trigger.type == "REQUEST" and m.trigger.mode:
                return m.trigger.mode
        return None

    def _modal_request(self, ctx: _Ctx, toks: list[Tok], words: list[str], matches: list[Match],
                       preds: list[Pred]) -> Pred | None:
        """'X should/must stop …' in a statement is a REQUEST by the speaker to X."""
        if any(p.type == "REQUEST" for p in preds) or self._modal_first.isdisjoint(words):
            return None
        for cue in self.modal_request:
            n = len(cue)
            for i in range(len(words) - n):
                if tuple(words[i:i + n]) == cue and i > 0 and words[i - 1] not in ("it", "this", "that", "which", "who", "what"):
                    # content trigger after the modal
                    content = [m for m in matches if m.start >= i + n and not _break_between(words, i + n, m.start)]
                    if not content:
                        continue
                    from claimscope.events.lexicon import Trigger
                    trig = Trigger("MODAL", None, "phrase", " ".join(cue), [], confidence=0.55)
                    mm = Match(trig, i, i + n, i)
                    p = Pred(mm, "REQUEST", None, [], set(), vg_start=i, confidence=0.55)
                    for c in content:
                        p.content.append(c)
                        p.contexts.extend(x for x in c.trigger.contexts if x not in p.contexts)
                        if p.mode is None and c.trigger.request_mode:
                            p.mode = c.trigger.request_mode
                    # drop the content predicates: they are what is requested
                    cs = {id(c) for c in content}
                    preds[:] = [q for q in preds if id(q.match) not in cs]
                    return p
        return None

    # ------------------------------------------------------------ verb group & aux
    def _verb_group_start(self, words: list[str], head: int) -> int:
        i = head
        while i > 0:
            w = words[i - 1]
            if w in AUX or w in ADVERB_WORDS or w in self.negators or w in CATENATIVE or (
                    w.endswith("ly") and len(w) > 4) or w in self.negating_verbs or (
                    w in GERUND_CATENATIVE and words[head].endswith("ing")):
                i -= 1
                continue
            break
        return i

    def _aux(self, ctx: _Ctx, p: Pred, toks: list[Tok], words: list[str], vg: int, kind: str = "verb") -> None:
        m = p.match
        group = words[vg:m.head]
        gset = set(words[vg:m.start])  # negation inside the pattern ('not recognise') is its meaning
        # negation in the verb group, or 'no'/'nobody' opening the subject, or 'without'
        neg = bool(gset & self.negators) or bool(gset & self.negating_verbs)
        if neg:
            for cue in self.not_negation:
                if _contains(group + words[m.head:m.head + 2], cue):
                    neg = False
        if not neg and m.start > 0 and words[m.start - 1] == "without":
            neg = True
        # 'has no plans to send troops': negated, and not a plan for the future
        no_plan = any(_contains(group, c) for c in self.negating_phrases)
        neg = neg or no_plan
        cs = _clause_start(words, vg)
        if not neg and p.match.trigger.kind != "noun":
            # ('No country supports …'; not 'X has no plans to …, and will take up arms …')
            conjunct = max([cs] + [i + 1 for i in range(cs, vg) if words[i] in ("and", "but", ",")])
            if any(w in ("no", "nobody", "none", "neither") for w in words[conjunct:vg]):
                neg = True
        if neg:
            p.aux.add("negation")
        clause_pre = words[cs:m.head]
        window = clause_pre if kind == "noun" else words[max(0, vg - 2):m.head]
        if _has_cue(window, self._future_idx) and not no_plan:
            p.aux.add("future")
        if _has_cue(window if kind == "noun" else group, self._hypo_idx) or (
                cs > 0 and words[cs - 1] in ("if", "unless")) or _contains(clause_pre, ("in", "case")) or (
                words[0] == "should" and "," in words and m.head < words.index(",")):  # 'Should X allow …,'
            p.aux.add("hypothetical")
        # historical: a year well before the document's date in the same clause, or a cue
        if ctx.ref_year is not None:
            ce = _clause_end(words, m.end)
            for i in range(cs, ce):
                if _YEAR.fullmatch(words[i]) and int(words[i]) <= ctx.ref_year - 2 and not (
                        i > 0 and words[i - 1] in ("since", "from")):
                    p.aux.add("historical")
                    break
        if _has_cue(words[:m.end + 4], self._hist_idx):
            p.aux.add("historical")

    def _is_passive(self, words: list[str], head: int) -> bool:
        w = words[head]
        if w in PSYCH_ADJECTIVES:
            return False  # 'remains deeply concerned by X': a state of the subject, X is the cause
        if not (w.endswith("ed") or w.endswith("en") or w in IRREGULAR_PARTICIPLES):
            return False
        i = head
        while i > 0 and words[i - 1] not in BE and words[i - 1] != "to" and (
                words[i - 1] in ADVERB_WORDS or (words[i - 1].endswith("ly") and len(words[i - 1]) > 4)):
            i -= 1
        return i > 0 and words[i - 1] in BE

    def _has_subject(self, words: list[str], a: int, b: int) -> bool:
        return any(w in ("i", "we", "he", "she", "they", "it") for w in words[a:b])

    # ------------------------------------------------------------ arguments
    def _clause_subject(self, ctx: _Ctx, toks: list[Tok], words: list[str],
                        mtoks: list[tuple[int, int, Mention]], end: int) -> Role | None:
        cs = _clause_start(words, end)
        for a, b, m in mtoks:
            if a >= cs and b <= end and not _in_pp(words, a):
                return self._role(ctx, m)
        return None

    def _arguments(self, ctx: _Ctx, p: Pred, toks: list[Tok], words: list[str],
                   mtoks: list[tuple[int, int, Mention]], speaker: Role | None,
                   prev_actor: Role | None) -> tuple[Role | None, list[Role], Role | None]:
        m = p.match
        n = len(words)
        vg = p.vg_start
        ce = _clause_end(words, m.end)
        after = [(a, b, mm) for a, b, mm in mtoks if a >= m.end and b <= ce]
        actor: Role | None = None
        recips: list[Role] = []
        obj: Role | None = None
        if p.passive:
            by = next((i for i in range(m.end, ce) if words[i] == "by"), None)
            if by is not None and by > m.end and (_participle(toks[by - 1]) or any(
                    w in ("after", "before", "during", "following", "amid", "since") for w in words[m.end:by])):
                # '… as evidence of the statement made by X': X made, not denied; 'freed after a
                # visit … by X': the visit is X's
                by = None
            if by is not None:
                agent = next(((a, b, mm) for a, b, mm in after if a > by), None)
                # 'by the majority of the Belarusian people': the quantity is not the agent
                q = _strip_quantity(_strip_lead_det(toks[by + 1:min(ce, by + 8)]))
                reach = by + 4 if not q or q[0] is toks[by + 1] else toks.index(q[0]) + 2
                if agent is not None and agent[0] <= reach:
                    actor = self._role(ctx, agent[2])
                else:
                    np = _np_after(toks, by + 1, ce)
                    actor = _np_role(np, ctx.doc.text) if np else None
            if actor is None and p.type == "ACCUSE":
                # 'X was summoned/invited to the Foreign Ministry': the ministry summons
                to = next((i for i in range(m.head + 1, min(ce, m.head + 3)) if words[i] == "to"), None)
                if to is not None:
                    host = next((mm for a, b, mm in mtoks if to < a <= to + 2), None)
                    if host is not None and "ministr" in host.text.lower():
                        actor = self._role(ctx, host)
                    elif host is None and to + 2 < ce and words[to + 1] == "the" and words[to + 2] == "ministry":
                        # 'summoned to the Ministry': the ministry last named
                        r = self._definite_role(ctx, _np_role(toks[to + 1:to + 3], ctx.doc.text))
                        actor = r if r is not None and r.entity is not None else None
            subj = self._subject(ctx, toks, words, mtoks, vg, m)
            if subj is not None and self._is_person(ctx, subj):
                self._person(ctx, subj)  # 'X was summoned … He rejected …'
            if subj is not None and (actor is None or subj.name != actor.name):
                recips.append(subj)
                # 'Kalesnikava, Znak, … and other political prisoners have been kept …'
                recips.extend(r for r in ctx.coord if not any(_same(r, x) for x in recips))
            elif subj is None:
                # 'Detainees have been tortured': the undergoer as a description
                np_toks = _strip_quantity(self._np_before(toks, words, _clause_start(words, vg), vg))
                # 'three more volunteers' -> 'volunteers'; 'All four' names no one
                while np_toks and (np_toks[0].w in NUMBER_WORDS or np_toks[0].w.replace(",", "").isdigit()):
                    np_toks = np_toks[1:]
                if len(np_toks) == 1 and np_toks[0].w in ("he", "she"):
                    if self._last_person(ctx) is not None:
                        recips.append(self._last_person(ctx))
                elif np_toks and not any(t.w in PRONOUNS or t.w in ("this", "that", "which", "there", "what")
                                         for t in np_toks):
                    r = _np_role(np_toks, ctx.doc.text)
                    if r is not None:
                        recips.append(r)
            if actor is None and subj is None:
                pass
            return actor, recips, None
        ctx.coord = []
        if p.imperative:
            actor = speaker
        else:
            if kind_of(p) == "noun":
                return self._noun_args(ctx, p, toks, words, mtoks) or self._support_subject(
                    ctx, toks, words, mtoks, m), [], None
            g = m.start - 1
            while g >= 0 and words[g] in QUOTE_OPEN + "“«":
                g -= 1
            if m.head == m.start and words[m.head].endswith("ing") and g >= 0 and words[g] in GERUND_PREPS:
                # 'By allowing Moscow to use its territory, Minsk is …' / '… took part in the war
                # without killing anyone': a gerund's subject is the main clause's
                if _starts_clause(words, g) or (g > 0 and words[g - 1] == ","):
                    c = next((i for i in range(m.end, ce + 1) if i < n and words[i] == ","), None)
                    gactor = None if c is None else self._first_subject(ctx, toks, words, mtoks, c + 1, n) or next(
                        (self._role(ctx, mm) for a, b, mm in mtoks if a > c and not _in_pp(words, a)), None)
                else:
                    gactor = prev_actor
                if gactor is not None:
                    return gactor, self._recipients(ctx, p, toks, words, after, gactor), None
            if prev_actor is not None and vg == m.head and vg > 0 and words[vg - 1] == "," \
                    and words[m.head].endswith("ing"):
                # '…, reminding the regime of …': a participial clause shares the main subject
                return prev_actor, self._recipients(ctx, p, toks, words, after, prev_actor), None
            actor = self._subject(ctx, toks, words, mtoks, vg, m)
            if actor is not None and prev_actor is not None and vg > 0 and words[vg - 1] in ("and", "or") \
                    and ctx.prev_end is not None and ctx.prev_end < vg and any(
                        a >= ctx.prev_end and b <= vg and _same(self._role(ctx, mm), actor) for a, b, mm in mtoks):
                # 'we will continue sanctioning the regime and supporting civil society': a verb
                # right after 'and' has no subject of its own; what stands after the previous
                # predicate is its object
                actor = prev_actor
                ctx.coord = []
            if actor is None and vg > 0 and words[vg - 1] in ("and", "or") and prev_actor is not None:
                actor = prev_actor
            if actor is None:
                cs = _clause_start(words, vg)
                np_toks = self._np_before(toks, words, cs, vg)
                if np_toks:
                    np_toks = _strip_quantity(np_toks)
                    while len(np_toks) > 1 and _possessive(np_toks[0].w):
                        np_toks = np_toks[1:]  # 'Łukašenka’s security forces' -> the forces
                    sub = next((mm for a, b, mm in mtoks if a == toks.index(np_toks[0]) and b <= vg), None) \
                        if np_toks else None
                if not np_toks:
                    # VP coordination: '… and accept refugees' -> the previous subject
                    if prev_actor is not None and vg > 0 and words[vg - 1] in ("and", ",", "or"):
                        actor = prev_actor
                    elif vg > 0 and words[vg - 1] in ("and", "or"):
                        # '<subject> have lost confidence … and are calling for …'
                        cs1 = _clause_start(words, vg - 1)
                        actor = self._first_subject(ctx, toks, words, mtoks, cs1, vg - 1) or (
                            self._first_subject(ctx, toks, words, mtoks, 0, vg - 1) if cs1 > 0 else None)
                elif sub is not None:
                    actor = self._role(ctx, sub)
                elif len(np_toks) == 1 and np_toks[0].w in PRONOUNS:
                    actor = self._pronoun(ctx, np_toks[0].w, speaker, speech=p.type in SPEECH)
                elif not any(t.w in ("it", "this", "there", "that", "which", "what", "these", "those") for t in np_toks) \
                        and not (np_toks[-1].w in PLAIN_ADJECTIVES and np_toks[-1].raw.islower()):
                    # ('since widespread protests swept': an adjective is no subject)
                    actor = self._definite_role(ctx, _np_role(np_toks, ctx.doc.text))
            elif actor.entity is None and actor.text.lower() in PRONOUNS:
                actor = self._pronoun(ctx, actor.text.lower(), speaker)
        coord = ctx.coord if actor is not None else []
        if p.type in SYMMETRIC:
            # 'Lukashenko and Putin strengthened the union': the other conjuncts are recipients
            recips.extend(r for r in coord if not _same(r, actor))
        # recipients: the NPs the trigger governs (SPEC §3 rule 2)
        if p.type == "REQUEST":
            # the addressee stands between the trigger and 'to'/'that' ('call on X to …',
            # 'urge X to …', 'demand X to …'); 'call for/demand <thing>' has no addressee
            stop = next((i for i in range(m.end, ce) if words[i] in ("to", "that", "not")), ce)
            takes_addressee = words[m.end - 1] in ("on", "upon", "to") or words[m.head] in ADDRESSEE_VERBS
            if not takes_addressee and not (stop < ce and words[stop] == "to"):
                stop = m.end
            for a, b, mm in after:
                if b <= stop:
                    if _bad_recipient_pp(words, a):
                        continue
                    r = self._role(ctx, mm)
                    if not _same(r, actor) and not any(_same(r, x) for x in recips):
                        recips.append(r)
                elif obj is None and a > stop:
                    obj = self._role(ctx, mm)
            if not recips and stop > m.end and takes_addressee:
                np = _np_after(toks, m.end, stop)
                if np and np[0].w not in PREPS and np[0].w not in ("for", "upon") \
                        and not (len(np) == 1 and np[0].w in PRONOUNS):
                    recips.append(_np_role(np, ctx.doc.text))
        elif p.type != "ASSERT":  # a position has no addressee
            if not any(a >= m.end for a, _, _ in after):
                # no named object: a description of people right after the trigger ('sentenced
                # four local activists', 'proceedings against 20 exiled bloggers')
                d = _description_object(toks, words, m.end, ce)
                if d is not None and not _same(d, actor):
                    recips.append(d)
            if p.characterise:  # 'regard the decision of Brussels as …': what is characterised
                inner = [(a, b, mm) for a, b, mm in mtoks if m.head < a and b <= m.end
                         and words[a] not in FIRST_PERSON]
                recips.extend(r for r in (self._role(ctx, x[2]) for x in inner)
                              if not _same(r, actor) and not any(_same(r, y) for y in recips))
            recips.extend(r for r in self._recipients(ctx, p, toks, words, after, actor)
                          if not any(_same(r, x) for x in recips))
        return actor, recips, obj

    def _recipients(self, ctx: _Ctx, p: Pred, toks: list[Tok], words: list[str],
                    after: list[tuple[int, int, Mention]], actor: Role | None) -> list[Role]:
        """Objects of a non-request trigger: no places or sources, the accused of an ACCUSE
        rather than the victims ('against X') it names."""
        if p.type in ("ASSERT", "REQUEST"):
            return []
        recips: list[Role] = []
        cands = []
        for a, b, mm in after:
            if words[a] in FIRST_PERSON or (_bad_recipient_pp(words, a) and not (
                    p.type == "ASSAULT" and _pp_of(words, a, ("at",)))):  # 'fired missiles at Kyiv': the target
                continue
            cands.append((a, b, mm))
        if p.type == "ACCUSE" and any(not _pp_of(words, a, ("against",)) for a, _, _ in cands):
            cands = [c for c in cands if not _pp_of(words, c[0], ("against",))]
        for a, b, mm in cands:
            r = self._role(ctx, mm)
            if not _same(r, actor) and not any(_same(r, x) for x in recips):
                recips.append(r)
            if len(recips) >= 6:
                break
        return recips

    def _noun_args(self, ctx: _Ctx, p: Pred, toks: list[Tok], words: list[str],
                   mtoks: list[tuple[int, int, Mention]]) -> Role | None:
        """The actor of a nominal event: 'invasion by X', "X's invasion", 'Russian invasion',
        and 'deployment/protests/meeting of X' (for other types 'of X' is the undergoer:
        'the invasion of Ukraine', 'support of Ukraine')."""
        m = p.match
        for a, b, mm in mtoks:
            # ('an invasion of Russian troops into Ukraine': armed forces are agents)
            agent_preps = ("of", "by") if p.type in OF_AGENT_TYPES or words[b - 1] in MILITARY_NOUNS or \
                getattr(ctx.ents.get(mm.entity), "sector", None) == "MIL" else ("by",)
            if m.end <= a <= m.end + 4 and words[a - 1] in agent_preps + ("the",) and \
                    any(w in agent_preps for w in words[m.end:a]):
                return self._role(ctx, mm)
            if b + 2 == m.start and words[b + 1] == "of" and _possessive(words[b - 1]) and words[a] not in PRONOUNS:
                return self._role(ctx, mm)  # "the Russian Federation’s escalation of aggression"
            if b == m.start or (b == m.start - 1 and words[b] in ("'s", "’s")) or (
                    b <= m.start and m.start - b <= 2 and all(t.w.endswith(ADJ_SUFFIXES) or t.w in ("full-scale",)
                                                           for t in toks[b:m.start])):
                if words[a] not in PRONOUNS:
                    return self._role(ctx, mm)
        return None

    def _enabling(self, ctx: _Ctx, p: Pred, toks: list[Tok], words: list[str],
                  mtoks: list[tuple[int, int, Mention]], sent: Sentence, actor: Role | None) -> Event | None:
        """'who let Putin launch missiles', 'has allowed Russia to station missiles': letting
        another actor's hostile act is COOPERATE by the one who lets (with that actor as
        recipient), besides the act itself."""
        if p.type not in HOSTILE or p.kind == "noun" or actor is None:
            return None
        vg = p.vg_start
        for a, b, mm in mtoks:
            if a > 0 and words[a - 1] in ENABLING and (b == vg or (b == vg - 1 and words[b] == "to")):
                k = a - 1
                c_vg = self._verb_group_start(words, k)
                enabler = self._subject(ctx, toks, words, mtoks, c_vg, p.match)
                if enabler is None or _same(enabler, actor):
                    return None
                doc = ctx.doc
                cp = Pred(p.match, "COOPERATE", None, ["military"] if p.type in ("ASSAULT", "MOBILIZE") else [])
                self._aux(ctx, cp, toks, words, c_vg)
                return Event("", "COOPERATE", None, _span(doc, sent.start, sent.end),
                             _span(doc, toks[k].start, toks[k].end), sent.id,
                             actor=enabler, recipients=[self._role(ctx, mm)],
                             contexts=cp.contexts, aux=sorted(cp.aux), confidence=0.6)
        return None

    def _support_subject(self, ctx: _Ctx, toks: list[Tok], words: list[str],
                         mtoks: list[tuple[int, int, Mention]], m: Match) -> Role | None:
        """The actor of an event noun that is the object of a support verb ('the Council counts
        on cooperation with …', 'the cabinet described support of Ukraine as …'): its subject."""
        cs = _clause_start(words, m.start)
        k = next((i for i in range(m.start - 1, max(cs, m.start - 9) - 1, -1) if words[i] in self.support_verbs), None)
        if k is None or toks[k].raw[:1].isupper() and k > 0:
            return None
        return self._subject(ctx, toks, words, mtoks, self._verb_group_start(words, k), m)

    def _first_subject(self, ctx: _Ctx, toks: list[Tok], words: list[str],
                       mtoks: list[tuple[int, int, Mention]], cs: int, end: int) -> Role | None:
        """The subject opening a clause ('The people have lost … and are calling'): the words
        from the clause start up to its first auxiliary or finite verb."""
        j = cs
        while j < end and j < cs + 8 and words[j] not in AUX and words[j] not in NP_STOP \
                and words[j] not in PREPS and not (j > cs and words[j].endswith("ed") and toks[j].raw.islower()):
            j += 1
        if j == cs or j >= end or not (words[j] in AUX or (words[j].endswith("ed") and toks[j].raw.islower())):
            return None
        k = j + 1
        while k < end and (words[k] in ADVERB_WORDS or words[k].endswith("ly")):
            k += 1
        if words[j] in BE and k < end and (words[k].endswith("ed") or words[k].endswith("en")):
            return None  # '<X> were denied … and prevented from …': a passive, no actor
        raw = [t.raw for t in toks]
        for a, b, mm in mtoks:
            if a >= cs and b <= j and not _in_pp(words, a) and not _possessor(words, b, j, raw):
                return self._role(ctx, mm)
        np = _strip_quantity(toks[cs:j])
        if len(np) == 1 and np[0].w in PRONOUNS:
            return None
        return _np_role(np, ctx.doc.text)

    def _np_before(self, toks: list[Tok], words: list[str], cs: int, vg: int) -> list[Tok]:
        """The noun phrase right before the verb group (no dependency parse: stop words)."""
        j = vg
        while j > cs and j > vg - 9:
            w = words[j - 1]
            if w in NP_STOP or (w in self.reporting and j < vg) or (w.endswith("ed") and toks[j - 1].raw.islower()
                                                         and w not in ("need", "indeed")):
                break
            j -= 1
        if j > 0 and words[j - 1] in BE:
            return []  # a predicate nominal: 'it is a good occasion to condemn'
        np = toks[j:vg]
        if np and (np[-1].w in PREPS or np[-1].w in DETERMINERS or np[-1].w in ("and", "or", "than", "enough")):
            return []
        while np and np[0].w in ("and", "but", "so", "then", "as", "if", "while", "also", "only", "even"):
            np = np[1:]
        if np and np[0].w in PREPS:
            return []
        return np

    def _subject(self, ctx: _Ctx, toks: list[Tok], words: list[str],
                 mtoks: list[tuple[int, int, Mention]], vg: int, m: Match) -> Role | None:
        cs = _clause_start(words, vg)
        for a, b, mm in mtoks:
            if a > 0 and words[a - 1] in CAUSATIVE and (b == vg or (b == vg - 1 and words[b] == "to")):
                return self._role(ctx, mm)  # 'who let Putin launch missiles': Putin launches
        k = _relative_aside_start(words, vg)
        if k is not None:
            # 'Łukašenka, who has ruled Belarus since 1994, has allowed …': the noun before the aside
            ant = [mm for a, b, mm in mtoks if k - 2 <= b <= k and not _in_pp(words, a)]
            if ant:
                return self._role(ctx, ant[-1])
        d = _reduced_relative(toks, words, vg)
        if d is not None:
            # '…, a step the experts welcomed': the noun phrase right before the verb
            inner = [mm for a, b, mm in mtoks if a >= d and b <= vg]
            return self._role(ctx, inner[-1]) if inner else self._definite_role(ctx, _np_role(toks[d:vg], ctx.doc.text))
        if cs > 0 and words[cs - 1] in ("who", "which", "that") and cs >= 2 and not (
                words[cs - 1] == "that" and any(w in self.reporting or w in THAT_VERBS
                                                for w in words[max(0, cs - 4):cs - 1])):
            # relative clause: the antecedent is the noun before 'who'/'which'
            rel = cs - 1
            among = next((k for k in range(rel - 1, max(1, rel - 5), -1) if words[k] == "among"), None)
            if among is not None and words[among - 1] in BE:
                # 'the US and the UK were among the countries that signed …': the subject of 'be'
                cs0 = _clause_start(words, among - 1)
                subj = [(a, b, mm) for a, b, mm in mtoks if cs0 <= a and b <= among - 1 and not _in_pp(words, a)]
                if subj:
                    ctx.coord = [self._role(ctx, x[2]) for x in subj[1:]]
                    return self._role(ctx, subj[0][2])
            for _ in range(4):
                rel = _skip_aside(words, rel)  # 'Lukashenko – whom she calls … – who let …'
                ant = [x for x in mtoks if x[1] <= rel and x[1] >= rel - 2]
                if ant:
                    # 'Lithuania and Latvia, which have shared …': the first conjunct
                    last = k = mtoks.index(ant[-1])
                    while k > 0 and all(w in (",", "and", "the") for w in words[mtoks[k - 1][1]:mtoks[k][0]]) \
                            and "and" in words[mtoks[k - 1][1]:ant[-1][0]]:
                        k -= 1
                    ctx.coord = [self._role(ctx, x[2]) for x in mtoks[k + 1:last + 1]]
                    return self._role(ctx, mtoks[k][2])
                np = _np_tail(_strip_quantity(self._np_before(toks, words, max(0, rel - 6), rel)))
                if np and np[-1].w in HUMAN_NOUNS | AGENT_NOUNS | GOVERNMENT_NOUNS and not any(t.w in PRONOUNS for t in np):
                    # 'judges who handed down sentences', 'the same regime that let Russia …'
                    return self._definite_role(ctx, _np_role(np, ctx.doc.text))
                if rel < 2 or words[rel - 1] != ",":
                    break
                # a chain of relative clauses ('the Belarusians who are fighting …, who are
                # collecting aid, who are helping …'): the antecedent of the first one
                prev = next((i for i in range(rel - 2, -1, -1) if words[i] == words[cs - 1]
                             or words[i] in (";", ".", ":")), None)
                if prev is None or words[prev] != words[cs - 1]:
                    break
                rel = prev
        after_subclause = False
        if cs == 0 and words[0] in ("should", "were", "had") and "," in words[:vg]:
            # an inverted conditional ('Should Minsk allow …, the Council should …'): the main clause
            cs = words.index(",") + 1
            after_subclause = True
        elif cs > 0 and words[cs - 1] in SUBORDINATORS and "," in words[cs:vg]:
            # 'If the regime releases them, the Council is ready …': the main clause
            comma = cs + max(i for i, w in enumerate(words[cs:vg]) if w == ",")
            # a clause with a verb ('If the regime sends soldiers,'), not a phrase ('Since its
            # establishment,'), keeps its own subject out of the main clause's
            after_subclause = any(w in AUX or (len(w) > 3 and w.endswith(("ed", "s")) and toks[i].raw.islower()
                                               and w not in DETERMINERS | PRONOUNS)
                                  for i, w in enumerate(words[cs:words.index(",", cs)], cs))
            cs = comma + 1
        cands = []
        pp_end = -10
        appo = self._appositions(words, mtoks, cs, vg)
        ends = {b for _, b, _ in mtoks}
        for a, b, mm in mtoks:
            if a < cs or b > vg:
                continue
            if a in appo:
                continue  # 'X, a senior opposition politician, has stated': X is the subject
            title_name = a in ends and (e := ctx.ents.get(mm.entity)) is not None and e.kind == "person" \
                and toks[a].raw[:1].isupper()  # 'Secretary of State of the Council of Ministers X urged'
            if (_in_pp(words, a) and not title_name and not _member_of(words, a)) or (a - pp_end <= 3 and all(w in (",", "and", "or", "the") for w in words[pp_end:a])
                                    and (any(w in ("and", "or") for w in words[pp_end:a])
                                         or (b < len(words) and words[b] in ("and", "or"))
                                         or (b < len(words) and words[b] == "," and any(
                                             b < a2 <= b + 2 for a2, _, _ in mtoks)))):
                pp_end = b
                continue
            if words[a] in ("our", "my", "their", "its", "his", "her", "your") and b - a == 1:
                continue  # 'Our volunteers …': the possessor is not the subject
            if _possessor(words, b, vg, [t.raw for t in toks]):
                continue  # 'Łukašenka’s security forces', 'Viasna’s Pavel Sapelka': the possessed is
            cands.append((a, b, mm))
        if not cands and cs > 0 and words[cs - 1] == "," and not after_subclause:
            # an adverbial clause before: 'In 2020, X did …' / 'X, in response, did …'
            cs2 = _clause_start(words, cs - 1)
            cands = [(a, b, mm) for a, b, mm in mtoks if a >= cs2 and b <= vg and not _in_pp(words, a)]
        if cands:
            # the subject nearest the verb; for a coordinated subject its first conjunct
            k = len(cands) - 1
            while k > 0 and all(w in (",", "and", "or", "the") for w in words[cands[k - 1][1]:cands[k][0]]):
                k -= 1
            ctx.coord = [self._role(ctx, c[2]) for c in cands[k + 1:]]
            return self._role(ctx, cands[k][2])
        return None

    @staticmethod
    def _appositions(words: list[str], mtoks: list[tuple[int, int, Mention]], cs: int, vg: int) -> set[int]:
        """Start tokens of mentions inside an apposition that follows a subject mention and
        closes before the verb group ('X, a senior Belarusian opposition politician, has stated';
        'X – the head of Y – said')."""
        out: set[int] = set()
        for a0, b0, _ in mtoks:
            if a0 < cs or b0 + 1 >= vg or words[b0] not in (",", "–", "—", "("):
                continue
            if words[b0 + 1] not in ("a", "an", "the", "one", "former", "then", "now", "currently", "head",
                                     "leader", "chair", "chairman", "chairwoman", "director", "president"):
                continue
            close = {",": ",", "–": "–", "—": "—", "(": ")"}[words[b0]]
            k = next((i for i in range(b0 + 2, vg) if words[i] == close), None)
            if k is None or any(w in AUX or w in CLAUSE_WORDS for w in words[b0 + 1:k]) or \
                    k + 1 != vg or _in_pp(words, a0):
                continue
            out.update(a for a, b, _ in mtoks if b0 < a < k)
        return out

    # ------------------------------------------------------------ dates

# ---------------------------------------------------------------- helpers

def _span(doc: Document, start: int, end: int) -> Span:
    return Span(start, end, doc.text[start:end])


def kind_of(p: "Pred") -> str:
    return p.kind


def _plural(r: Role) -> bool:
    """A subject 'they' can refer to: a plural noun phrase or a collective."""
    w = r.text.split()[-1].lower() if r.text.split() else ""
    return r.entity is not None and r.entity.endswith("-people") or (
        w.endswith("s") and not w.endswith(("ss", "us", "is")) and not r.text[:1].isupper()) or (
        r.entity is None and w.endswith("s") and not w.endswith(("ss", "us", "is")))


def _strip_quantity(np: list[Tok]) -> list[Tok]:
    """'a majority of Belarusians' -> 'Belarusians'; 'hundreds of thousands of X' -> 'X'."""
    changed = True
    while changed:
        changed = False
        for i, t in enumerate(np[:4]):
            if t.w == "of" and i > 0 and np[i - 1].w in QUANTITY_NOUNS and i + 1 < len(np):
                np = np[i + 1:]
                changed = True
                break
    return np


def _strip_lead_det(np: list[Tok]) -> list[Tok]:
    while np and np[0].w in ("the", "a", "an", "vast", "overwhelming", "large", "small", "great"):
        np = np[1:]
    return np


def _strip_time(np: list[Tok]) -> list[Tok]:
    """A time adverbial before the subject is not part of it: 'Yesterday the Ministry …',
    'every week his security services …', 'On Monday the court …'."""
    while np:
        if np[0].w in ("yesterday", "today", "tomorrow", "meanwhile", "earlier", "later", "now", "then",
                       "recently", "also"):
            np = np[1:]
        elif len(np) > 2 and np[0].w in ("every", "each", "last", "this", "next", "on") and (
                np[1].w in TIME_NOUNS or np[1].raw[:1].isupper() and np[1].w in WEEKDAYS):
            np = np[2:]
        else:
            break
    return np


def _np_role(toks: list[Tok], text: str) -> Role | None:
    """An unlinked description as a role: the noun phrase without its article."""
    toks = _strip_time([t for t in toks if t.w not in (",", "“", "”", '"', "(", ")")])
    while toks and toks[0].w in ("the", "a", "an", "no"):
        toks = toks[1:]  # 'No countries spoke for …': the negation is an aux, not the actor
    if len(toks) > 1 and _possessive(toks[0].w) and (toks[-1].w in AGENT_NOUNS or toks[1].raw[:1].isupper()):
        toks = toks[1:]  # 'Łukašenka’s security forces' -> 'security forces'
    while toks and not toks[-1].w[:1].isalnum():
        toks = toks[:-1]
    if not toks:
        return None
    start, end = toks[0].start, toks[-1].end
    return Role(None, " ".join(text[start:end].split()), start, end, text[start:end])


def _np_after(toks: list[Tok], i: int, end: int) -> list[Tok]:
    out: list[Tok] = []
    j = i
    while j < end and j < i + 7:
        w = toks[j].w
        if w in (",", ".", ";", ":", "to", "that", "which", "who", "and") and out:
            break
        if w in ("to", "that", "which", "who", ",") or (out and (w in PREPS and w != "of" or w in TIME_WORDS)):
            break
        out.append(toks[j])
        j += 1
    return out


def _same(a: Role | None, b: Role | None) -> bool:
    if a is None or b is None:
        return False
    if a.entity and b.entity:
        return a.entity == b.entity
    return a.name.lower() == b.name.lower()


_NORM: dict[str, str] = {}


def _norm(w: str) -> str:
    r = _NORM.get(w)
    if r is None:
        r = "u.s." if w == "US" else norm(w)  # the country, not the pronoun 'us'
        if len(_NORM) < 200_000:
            _NORM[w] = r
    return r


def _cue_index(cues: list[tuple[str, ...]]) -> dict[str, list[tuple[str, ...]]]:
    idx: dict[str, list[tuple[str, ...]]] = {}
    for c in cues:
        if c:
            idx.setdefault(c[0], []).append(c)
    return idx


def _has_cue(words: list[str], idx: dict[str, list[tuple[str, ...]]]) -> bool:
    """True when any indexed cue occurs in words (same result as any(_contains(words, c))."""
    n = len(words)
    for i, w in enumerate(words):
        cs = idx.get(w)
        if cs:
            for c in cs:
                k = len(c)
                if k == 1 or (i + k <= n and tuple(words[i:i + k]) == c):
                    return True
    return False


def _contains(words: list[str], cue: tuple[str, ...]) -> bool:
    n = len(cue)
    if n == 0 or n > len(words) or cue[0] not in words:
        return False
    for i in range(len(words) - n + 1):
        if tuple(words[i:i + n]) == cue:
            return True
    return False


_QUOTES = frozenset({"“", "”", '"', "«", "»"})


def _clause_start(words: list[str], i: int) -> int:
    j = i
    while j > 0:
        w = words[j - 1]
        if w in _QUOTES:
            # scare quotes around a few words ('designated them as "extremists" and …') are
            # part of the clause
            k = next((k for k in range(j - 2, max(-1, j - 6), -1) if words[k] in _QUOTES), None)
            if k is not None and k < j - 2 and all(x.replace("-", "").isalpha() for x in words[k + 1:j - 1]):
                j = k
                continue
            return j
        if w in (";", ":", "(", ")", "—", "–") or w in CLAUSE_WORDS:
            return j
        j -= 1
    return 0


def _clause_end(words: list[str], i: int) -> int:
    j = i
    n = len(words)
    while j < n:
        w = words[j]
        if w in (";", ".", "!", "?", ":", "”", "»") or (w in ("which", "who", "because", "while", "whereas", "although", "but")):
            return j
        if w == '"' and words[:j].count('"') % 2 == 1 and j - (j - 1 - words[j - 1::-1].index('"')) > 5:
            return j  # a closing straight quote (not scare quotes): the attribution after it is no object
        if w == "," and j + 1 < n and words[j + 1] in ("and", "but", "which", "who", "while", "as", "reminding", "adding", "saying"):
            return j
        j += 1
    return n


def head_inflected(t, word: str) -> bool:
    """True when the trigger's head word is not its base form (so it is finite or a participle)."""
    el = next((e for e in t.elements if e.head), None)
    return el is not None and bool(el.base) and word not in el.base


def _noun_usage(toks: list[Tok], words: list[str], m: Match, noun_at: set[int]) -> bool:
    """A verb trigger used as a noun: 'the state', 'their decisive fight', 'foreign states have',
    'means of pressure', 'raids and searches'."""
    if m.trigger.kind == "noun":
        return True
    i = m.head
    if i != m.start:
        return False
    prev = words[i - 1] if i > 0 else ""
    if prev == "that" and i >= 2 and words[i - 2].isalpha() and words[i - 2] not in PREPS | DETERMINERS | AUX \
            and (words[i].endswith(("s", "ed")) or words[i] in IRREGULAR_PARTICIPLES):
        return False  # 'the society that supports Ukraine': a relative clause's verb
    if prev in DETERMINERS or prev in QUANTIFIERS or prev.endswith("'s") or prev.isdigit():
        return True
    if m.end - m.start == 1:
        if prev in GERUND_PREPS and words[i].endswith("ing") and i + 1 < len(words) \
                and words[i + 1].isalpha() and words[i + 1] not in PREPS:
            return False  # 'without shelling cities': a gerund with its object
        if prev in PREPS and prev != "to":
            return True
        if i > 1 and (words[i - 2] in DETERMINERS | QUANTIFIERS or words[i - 2].isdigit() or words[i - 2] in PREPS) \
                and prev.endswith(ADJ_SUFFIXES) and prev not in AUX \
                and prev not in AGENT_NOUNS | HUMAN_NOUNS | GOVERNMENT_NOUNS | {"parliament", "department"}:
            return True  # ('the president criticised': a noun in -ent is the subject)
        if i > 1 and words[i - 2] in PREPS and words[i - 2] not in SUBORDINATORS and words[i].endswith("s") \
                and prev.isalpha() and toks[i - 1].raw.islower() and prev not in PRONOUNS | AUX | DETERMINERS | CLAUSE_WORDS:
            return True  # 'about pardon requests': a compound noun inside a prepositional phrase
        if i + 1 < len(words) and (words[i + 1] in ("is", "was") or (words[i + 1] in AUX and words[i].endswith("s"))):
            return True
        if prev in ("and", "or") and (i - 2) in noun_at:
            return True
        if prev.endswith("ed") and prev not in AUX and toks[i - 1].raw.islower() and len(prev) > 4 \
                and prev not in ("need", "indeed", "allied"):
            return True  # the object of another verb: 'described support of Ukraine'

    return False


def _after_quote(words: list[str], i: int) -> bool:
    """True when the word at i follows a closing quotation mark within a few words."""
    for j in range(i - 1, max(-1, i - 7), -1):
        w = words[j]
        if w in ("”", "»"):
            return True
        if w == '"':
            return words[:j].count('"') % 2 == 1
        if w in (".", ";"):
            return False
    return False


def _own_subject(words: list[str], a: int, vg: int) -> bool:
    """True when the clause of the verb group at vg (inside a stating verb's complement that
    starts at a) has a subject of its own that is not the speaker ('that Russia and Belarus
    reject …'), rather than 'we/it/he/she' or none."""
    cs = max(a, _clause_start(words, vg))
    subj = [w for w in words[cs:vg] if w not in (",", "also", "still", "that")]
    if not subj or len(subj) > 10:
        return False
    if any(w in PRONOUNS or w in ("this", "which", "who", "what") for w in subj):
        return False
    return any(w.isalpha() and w not in PREPS and w not in DETERMINERS for w in subj)


def _trailing_attribution(words: list[str], vg: int, end: int) -> bool:
    """True for a stating verb that closes the sentence after a comma and a short subject
    ('…, she stressed.', '…, the ministry noted.')."""
    if any(w.isalnum() for w in words[end:]):
        return False
    k = vg - 1
    while k >= 0 and vg - k <= 5 and words[k] != ",":
        if not words[k].isalpha() and words[k] not in ("’s", "'s"):
            return False
        k -= 1
    return k >= 1 and words[k] == "," and k < vg - 1


def _stative(words: list[str], vg: int, head: int, end: int) -> bool:
    """'the border is closed to trade', 'Belarus remains occupied': a singular present 'is'
    with a participle and neither agent nor time is a state, not a reported event."""
    if not any(w in ("is", "remains", "'s") for w in words[vg:head]):
        return False
    if any(w in ("being", "been", "by") or w in TIME_WORDS or w in WEEKDAYS or _YEAR.fullmatch(w)
           for w in words[vg:_clause_end(words, end)]):
        return False
    return True


def _description_object(toks: list[Tok], words: list[str], i: int, ce: int) -> Role | None:
    """The object NP at i (or after 'against'/'to'/'on') when it describes people: quantities
    and articles dropped, an 'of' complement kept ('families of political prisoners')."""
    if i < ce and words[i] in ("against", "to", "on", "upon", "at"):
        i += 1
    j = i
    while j < ce and j < i + 6 and (words[j] in NUMBER_WORDS or words[j].isdigit()
                                     or words[j].replace(",", "").replace(".", "").isdigit()):
        j += 1
    k = j
    head = None
    while k < ce and k < j + 5:
        w = words[k]
        if not (w.replace("-", "").isalpha()) or w in NP_STOP or (w in PREPS and w != "of") \
                or w in PRONOUNS or w in ("and", "or") or (toks[k].raw[:1].isupper() and k > j):
            break
        if w == "of":
            if head is None or head not in ("families", "relatives", "victims", "members", "representatives",
                                              "citizens", "people", "supporters", "leaders", "opponents"):
                break
        elif w.endswith("ed") and k == j and not (k + 1 < ce and words[k + 1] in HUMAN_NOUNS):
            break  # 'the arrested …' ok only as an adjective before a people noun ('exiled bloggers')
        else:
            head = w
        k += 1
    while k > j and words[k - 1] in ("of", "the"):
        k -= 1
    if k <= j or words[k - 1] not in HUMAN_NOUNS or words[k - 1] == "those":
        return None
    start, end = toks[j].start, toks[k - 1].end
    text = " ".join(t.raw for t in toks[j:k])
    return Role(None, text, start, end, text)


def _subject_noun(words: list[str], end: int) -> bool:
    """'Pressure on the opposition remains', 'Support for the refugees has grown': a base form
    followed by a prepositional phrase and a finite verb is a noun subject, not an imperative."""
    if end >= len(words) or words[end] not in PREPS or words[end] == "to":
        return False
    for w in words[end + 1:end + 10]:
        if w in (",", ";", ":", "who", "which", "that", "whose", "and", "or"):
            return False
        if w in AUX or w in ("remains", "remained", "continues", "continued", "grows", "grew",
                             "increased", "increases", "intensified", "intensifies"):
            return True
    return False


def _member_of(words: list[str], a: int) -> bool:
    """'(the security) officers of <X>', 'troops of <X>', 'officers of the Hrodna department of
    <X>': the body whose people act."""
    j = a
    for _ in range(2):
        while j > 0 and words[j - 1] in DETERMINERS:
            j -= 1
        if j < 2 or words[j - 1] != "of":
            return False
        if words[j - 2] in MEMBER_NOUNS:
            return j < 3 or words[j - 3] != "of"
        # a unit of the body in between: 'the Hrodna department of', 'the regional office of'
        k = j - 2
        if words[k] not in UNIT_NOUNS:
            return False
        while k > 0 and k > j - 5 and words[k - 1] not in ("of",) and words[k - 1] not in DETERMINERS \
                and words[k - 1].replace("-", "").isalpha() and words[k - 1] not in NP_STOP:
            k -= 1
        j = k
    return False


def _np_tail(np: list[Tok]) -> list[Tok]:
    """The noun phrase that ends `np`: its head and the modifiers before it, cut at the first
    word that can be neither ('include judges' -> 'judges', 'all the organizations' stays)."""
    k = len(np) - 1
    while k > 0:
        t = np[k - 1]
        w = t.w
        if not (w in DETERMINERS or w in QUANTIFIERS or w in NUMBER_WORDS or w.replace(",", "").isdigit()
                or not t.raw[:1].islower() or w.endswith(ADJ_SUFFIXES + ("ed", "ly", "an"))
                or w in ("human", "rights", "civil", "young", "former", "local", "foreign", "security", "law",
                         "enforcement", "prison", "court", "state", "news", "media", "opposition", "same")):
            break
        k -= 1
    return np[k:]


def _reduced_relative(toks: list[Tok], words: list[str], vg: int) -> int | None:
    """The start of the subject of a relative clause without 'that' ('a step the experts
    welcomed', 'people Belarusian human rights defenders consider prisoners'): a noun, then a
    new noun phrase opened by a determiner or a capitalised word, then the verb."""
    if vg < 3:
        return None
    for d in range(vg - 1, max(1, vg - 6), -1):
        w, prev = words[d], toks[d - 1]
        if not w.replace("-", "").isalpha() or w in NP_STOP or w in PREPS or w in PRONOUNS:
            return None
        p = prev.w
        if toks[d].raw[:1].isupper() and prev.raw.islower():
            return d if p in HUMAN_NOUNS else None  # 'people Belarusian human rights defenders consider'
        if w in ("the", "a", "an", "these", "those"):
            # 'a step the experts welcomed': a noun (after its article) before the new article
            if p.isalpha() and prev.raw.islower() and d >= 2 and words[d - 2] in ("a", "an", "the", "another") \
                    and p not in NP_STOP | PREPS | QUANTIFIERS | ADVERB_WORDS and not p.endswith(ADJ_SUFFIXES + ("ed", "ly")):
                return d
            return None
    return None


def _relative_aside_start(words: list[str], vg: int) -> int | None:
    """The index of the comma opening a ', who/which …,' aside that closes right before the
    verb group at vg, else None."""
    if vg < 4 or words[vg - 1] != ",":
        return None
    for k in range(vg - 2, max(0, vg - 30), -1):
        if words[k] in (";", ":", ".", "(", ")"):
            return None
        if words[k] == ",":
            return k if words[k + 1] in ("who", "which", "whose", "whom") else None
    return None


def _skip_aside(words: list[str], i: int) -> int:
    """The index of the opening dash or bracket when a dash/bracket aside closes right before i
    ('Lukashenko – whom she calls a disgrace – who …'), else i."""
    close = words[i - 1] if i > 0 else ""
    opener = {"–": "–", "—": "—", ")": "("}.get(close)
    if opener is None:
        return i
    j = next((k for k in range(i - 2, max(-1, i - 25), -1) if words[k] == opener), None)
    return i if j is None else j


def _after_copula(words: list[str], i: int) -> bool:
    """True when the words before i are a copula and at most an article and adverbs/adjectives
    ('is deeply worrying', 'sound particularly cynical', 'is a war crime')."""
    j = i - 1
    skipped = 0
    while j >= 0 and skipped < 3 and (words[j] in ("a", "an", "the") or words[j] in ADVERB_WORDS
                                      or (words[j].endswith("ly") and len(words[j]) > 4)
                                      or words[j] in ("blatant", "flagrant", "gross", "clear", "serious", "grave",
                                                      "outright", "direct", "another", "new")):
        j -= 1
        skipped += 1
    return j >= 0 and (words[j] in BE or words[j] in COPULAS) and words[j] not in ("get", "got", "gets", "getting")


def _participle_clause(toks: list[Tok], words: list[str], m: Match) -> bool:
    """'Asked about pardons, Lukashenko said …', 'Sentenced in 2023, X …': a past participle
    opening the sentence (or following a comma after a name) is a passive without 'be'."""
    h = m.head
    if h != m.start or not (words[h].endswith("ed") or words[h] in IRREGULAR_PARTICIPLES):
        return False
    if h + 1 >= len(words) or not (words[h + 1] in PREPS or words[h + 1] == ","):
        return False
    if h == 0 or (h == 1 and words[0] in QUOTE_OPEN + "“«"):
        return True
    # 'Ales Bialiatski, sentenced in March 2023 to ten years, …': a reduced relative clause
    return h >= 2 and words[h - 1] == "," and toks[h - 2].raw[:1].isupper() and toks[h - 2].raw.isalpha() \
        and words[h + 1] != "by"


def _participle(t: Tok) -> bool:
    """A lower-case past participle ('made', 'covered', 'taken')."""
    w = t.w
    return t.raw.islower() and len(w) > 3 and (w.endswith("ed") or w.endswith("en") or w in IRREGULAR_PARTICIPLES) \
        and w not in ("need", "indeed", "seen", "often", "between", "even")


def _possessive(w: str) -> bool:
    return w.endswith(("'s", "’s")) or (len(w) > 2 and w.endswith(("s'", "s’")))


def _possessor(words: list[str], b: int, vg: int, raw: list[str] | None = None) -> bool:
    """True when the mention ending at token b is a possessor inside the subject ('Łukašenka’s
    security forces'), i.e. its last token is possessive and a noun phrase follows before vg."""
    if b <= 0 or b >= vg or not _possessive(words[b - 1]):
        return False
    w = words[b]
    if not w.isalpha() or w in NP_STOP or w in PREPS or w in ("and", "or"):
        return False
    if raw is not None and raw[b][:1].isupper():
        return True  # a name: 'Viasna’s Pavel Sapelka'
    # the possessed noun is an agent ('security forces', 'spokesman'), not an action of the
    # possessor ('the Kremlin’s actions … threaten')
    j = b
    while j < vg and j < b + 4 and words[j].isalpha() and words[j] not in NP_STOP and words[j] not in PREPS \
            and words[j] not in PRONOUNS and not (j > b and words[j].endswith("ed")):
        j += 1
    return words[j - 1] in AGENT_NOUNS


def _attributive(words: list[str], i: int) -> bool:
    """True when the word after a participle is the noun it modifies ('occupied territory'),
    not a preposition, adverbial or the end of the clause ('were convicted in 2023')."""
    if i >= len(words):
        return False
    w = words[i]
    return w.isalpha() and w not in PREPS and w not in ADVERB_WORDS and w not in TIME_WORDS \
        and w not in DETERMINERS and w not in QUANTIFIERS and w not in CLAUSE_WORDS \
        and w not in ("and", "or", "every", "each") and not w.endswith("ly")


def _break_between(words: list[str], a: int, b: int) -> bool:
    return any(w in (";", ".", "!", "?") for w in words[a:b])


def _starts_clause(words: list[str], i: int) -> bool:
    return i == 0 or words[i - 1] in (";", ":", "“", "”", '"')


def _preceded_by_to(words: list[str], i: int) -> bool:
    j = i
    while j > 0 and (words[j - 1] in ADVERB_WORDS or (words[j - 1].endswith("ly") and len(words[j - 1]) > 4)) and words[j - 1] != "to":
        j -= 1
    return j > 0 and words[j - 1] == "to"


def _in_pp(words: list[str], a: int) -> bool:
    j = a
    while j > 0 and ((words[j - 1] in DETERMINERS and words[j - 1] != "that") or words[j - 1].endswith("'s")):
        j -= 1  # ('the fact that X …': 'that' opens a clause here)
    while j > 0 and words[j - 1] not in PREPS and (words[j - 1].isalpha() and words[j - 1][:1].islower()) and j > a - 3 \
            and words[j - 1] not in AUX and words[j - 1] not in (",", "and", "that"):
        # adjectives between the preposition and the name: 'against the courageous Ukrainian people'
        j -= 1
    return j > 0 and words[j - 1] in PREPS


def _pp_of(words: list[str], a: int, preps: tuple[str, ...] | frozenset[str]) -> bool:
    """True when the mention at a is the object of one of `preps` (through determiners,
    adjectives and 'the territory of')."""
    j = a
    while j > 0 and (words[j - 1] in DETERMINERS or words[j - 1].endswith("'s")):
        j -= 1
    k = 0
    while j > 0 and k < 2 and words[j - 1] not in PREPS and words[j - 1].isalpha() \
            and not words[j - 1].endswith("ed") and words[j - 1] not in AUX \
            and words[j - 1] not in ("and", "that", "or"):
        j -= 1
        k += 1
    return j > 0 and words[j - 1] in preps


def _bad_recipient_pp(words: list[str], a: int) -> bool:
    """A place or source ('in Minsk', 'from the territory of Belarus', 'in Belarus’ affairs')."""
    if _pp_of(words, a, LOCATIVE_PREPS):
        return True
    # 'the territory of Belarus', 'the border of Ukraine' after a locative preposition
    j = a
    while j > 0 and words[j - 1] in DETERMINERS:
        j -= 1
    if j >= 3 and words[j - 1] == "of" and words[j - 2] in ("territory", "territories", "border",
                                                          "borders", "soil", "airspace") :
        return True
    return False


def _background(words: list[str], i: int, support_verbs: frozenset[str] = frozenset()) -> bool:
    """A noun trigger inside a background phrase: 'since the start of the war', 'given the …'."""
    j = i
    k = 0
    while j > 0 and k < 5:
        w = words[j - 1]
        if w in BACKGROUND_PREPS:
            # ('counts on a new level of cooperation': the particle of a support verb)
            return not (j >= 2 and words[j - 2] in support_verbs)
        if w in (",", ";", ":", "and", "that"):
            return False
        j -= 1
        k += 1
    return False


def _reference_year(doc: Document) -> int | None:
    if doc.published and doc.published[:4].isdigit():
        return int(doc.published[:4])
    years = [int(t.value[:4]) for t in doc.times if t.value and t.value[:4].isdigit()]
    if not years:
        years = [int(y) for y in _YEAR.findall(doc.text)]
        years = [y for y in years if y <= 2100]
    return max(years) if years else None
