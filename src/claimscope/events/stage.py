"""The events stage: parsed sentences + mentions -> events (SPEC §3).

Per sentence (parsed by claimscope.parse):
1. candidates: trigger lexicon matches on lemmas, and the learned trigger model's predictions
   (events/learned.py), combined as `combine` says (rules, model or both);
2. structure from dependencies: a predicate inside another's clause is its content (a request's
   mode, a statement's type, the object of a condemnation) and not an event of its own; a noun
   under another predicate or in a background phrase ("since the start of the war") is none;
3. arguments from relations (events/arguments.py): actor = subject (the agent of a passive,
   the object of a control verb for its xcomp, the antecedent of a relative clause, the
   possessor or by-phrase of a nominal event); recipients = objects and the prepositional
   objects each type takes;
4. auxiliary modes from the clause: neg, modal and future auxiliaries, 'if' clauses, years;
5. discourse (events/discourse.py): quotations, "we"/"I", pronouns, definite descriptions,
   framing lines with list items.
"""
from __future__ import annotations

import re

from claimscope.events.arguments import MODAL_REQUEST, Arguments, Pred
from claimscope.events.discourse import PRONOUNS, Discourse, same, unlinked
from claimscope.events.lexicon import Lexicon, Match, norm
from claimscope.events.ontology import MODES, SPEECH_TYPES
from claimscope.events.syntax import RELATIVE_PRONOUNS, Tree
from claimscope.model import Document, Event, Mention, Role, Sentence
from claimscope.parse import Token

COMBINE = ("rules", "model", "both")
ASPECTUAL = frozenset({"stop", "continue", "keep", "start", "begin", "cease", "resume", "halt", "quit"})
# what calling something X makes an accusation ('regards the decision as an attack')
CHARACTERISED = frozenset({"ACCUSE", "ASSAULT", "COERCE", "THREATEN"})
# types whose trigger takes a clause or noun as what is asked, said or agreed (its content)
CONTENT_TAKERS = frozenset({"REQUEST", "REJECT", "ASSERT", "AGREE", "THREATEN", "ACCUSE", "SUPPORT", "CONCEDE"})
HOSTILE = frozenset({"ASSAULT", "MOBILIZE", "COERCE", "SANCTION"})
BACKGROUND_PREPS = frozenset({"since", "after", "before", "during", "following", "amid", "despite", "until",
                              "throughout", "because", "due", "given", "over"})
# the threat a hostile act becomes when its actor warns of doing it
THREAT_MODE = {"ASSAULT": "violence", "MOBILIZE": "violence", "COERCE": "restrict", "SANCTION": "restrict"}
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
MODAL_HYPO = frozenset({"would", "could", "may", "might", "can"})
FUTURE_HEADS = frozenset({"plan", "intend", "go", "prepare", "aim", "expect", "promise", "vow", "pledge"})
# the request an imperative makes, by the type of what it asks for
IMPERATIVE_MODE = {"RETREAT": "yield", "CONCEDE": "yield", "SUPPORT": "assist", "AID": "assist",
                   "COOPERATE": "assist", "CONSULT": "meet", "AGREE": "meet"}
QUOTE_OPENERS = frozenset({"“", "«", "„", '"'})
QUOTE_CLOSERS = frozenset({"”", "»", '"'})
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


class EventStage(Arguments):
    """`EventStage(lexicon, nouns, model)(doc)` fills `doc.events` from `doc.parses`."""

    def __init__(self, lexicon: Lexicon, nouns: dict[str, frozenset[str]], model=None, combine: str = "both"):
        if combine not in COMBINE:
            raise ValueError(f"combine must be one of {', '.join(COMBINE)}, not {combine!r}")
        if combine != "rules" and model is None:
            combine = "rules"
        self.lexicon = lexicon
        self.nouns = nouns
        self.model = model
        self.combine = combine
        cues = lexicon.cues
        self.reporting = frozenset(cues.reporting)
        self.negating_verbs = frozenset(cues.negating_verbs)
        self.support_verbs = frozenset(cues.support_verbs)
        self.occurrence_verbs = frozenset(cues.occurrence_verbs)
        self.enabling_verbs = frozenset(cues.enabling_verbs)
        self.actor_nouns = nouns["human"] | nouns["agent"] | nouns["member"] | nouns["government"] | \
            nouns["generic_org"] | nouns["role"] | nouns["document"]
        self.recipient_nouns = (self.actor_nouns - nouns["document"]) | nouns["quantity"]

    # ------------------------------------------------------------ document level
    def __call__(self, doc: Document) -> Document:
        ents = {e.id: e for e in doc.entities}
        disc = Discourse(doc, ents, self.nouns, self.reporting)
        ref_year = _reference_year(doc)
        framing: dict[int, tuple[Pred | None, Role | None, list[Role]]] = {}
        events: list[Event] = []
        for sent in doc.sentences:
            toks = doc.parses.get(sent.id)
            if toks:
                events.extend(self._sentence(disc, sent, Tree(toks), disc.mentions_between(sent.start, sent.end),
                                             framing, ref_year))
        for n, ev in enumerate(events, 1):
            ev.id = f"e{n}"
        doc.events = events
        return doc

    # ------------------------------------------------------------ sentence level
    def _sentence(self, disc: Discourse, sent: Sentence, tree: Tree, mentions: list[Mention],
                  framing: dict, ref_year: int | None) -> list[Event]:
        doc = disc.doc
        toks = tree.toks
        words = [norm(t.lower) for t in toks]
        tok_mention = _token_mentions(toks, mentions)
        disc.dateline_token = self._dateline(tree)
        speaker = self._speaker(disc, sent, tree, tok_mention)

        disc.sentence_subjects = [
            (t.i, disc.role(tok_mention[t.i]) if t.i in tok_mention and tok_mention[t.i].entity in disc.ents
             else unlinked(disc.doc, *self._np_offsets(tree, t.i)))
            for t in toks if t.dep in ("nsubj", "nsubjpass") and t.lower not in PRONOUNS and (
                (t.i in tok_mention and tok_mention[t.i].entity in disc.ents) or t.pos == "PROPN")]
        disc.sentence_subjects = [(i, r) for i, r in disc.sentence_subjects if r is not None]
        for t in toks:  # plural people named as subject or object: what a later 'they'/'them' is
            if t.dep in ("nsubj", "nsubjpass", "dobj", "pobj") and t.tag == "NNS" and t.lemma in self.nouns["human"] \
                    and t.i not in tok_mention:
                lo, hi = tree.np_core(t.i)
                r = unlinked(doc, toks[lo].start, toks[hi].end)
                if r is not None:
                    disc.track(r, "")
        preds = self._candidates(tree, sent.kind)
        self._structure(tree, preds, words)
        preds = [p for p in preds if not p.drop]
        preds += self._enabling(tree, preds)
        preds.sort(key=lambda p: p.head)
        modal = self._modal_request(tree, preds)
        if modal is not None:
            preds = [p for p in preds if p not in modal.content] + [modal]
            preds.sort(key=lambda p: p.head)

        if sent.kind == "list_item" and sent.parent in framing and framing[sent.parent][0] is not None:
            return self._list_item(doc, sent, tree, preds, framing[sent.parent], disc)

        source = self._source(disc, tree, tok_mention)
        events: list[Event] = []
        for p in preds:
            self._aux(tree, p, ref_year)
            if "negation" in p.aux and p.trigger is not None and p.trigger.negated and p.trigger.type == p.type:
                # 'do not recognise' is a REJECT, not a negated SUPPORT (lexicon `negated`)
                p.type, p.mode = p.trigger.negated, p.trigger.negated_mode
                p.aux.discard("negation")
            self._threat(tree, p)
            actor, recips, obj = self._arguments(disc, tree, p, tok_mention, speaker)
            if source is not None and p.type in ("ACCUSE", "ASSERT", "REQUEST") and (
                    actor is None or same(actor, speaker)):
                actor = source  # 'according to X', the source of what is alleged
            if any(toks[j].lower in ("me", "my") for j in range(p.start, p.end)) and \
                    (disc.quote_speaker or disc.person_speaker):
                actor = disc.quote_speaker or disc.person_speaker  # 'it seems to me that …'
            if actor is None and sent.kind == "list_item" and sent.parent in framing:
                actor = framing[sent.parent][1]
            if actor is not None:
                disc.track(actor, p.type)
            for r in recips:  # who was acted upon is who a later 'they'/'them'/'he' may be
                disc.track(r, "")
            t0, t1 = toks[p.start], toks[p.end - 1]
            events.append(Event("", p.type, p.mode, doc.span(sent.start, sent.end), doc.span(t0.start, t1.end),
                                sent.id, actor=actor, recipients=recips, object=obj,
                                contexts=list(dict.fromkeys(p.contexts)), aux=sorted(p.aux),
                                confidence=round(p.confidence, 2)))
        self._speakers_named(disc, tree, tok_mention)
        stext = doc.text[sent.start:sent.end].rstrip()
        if stext.endswith(":"):
            framers = [(p, e) for p, e in zip(preds, events) if p.type in SPEECH_TYPES]
            typed = next((x for x in framers if x[0].type != "ASSERT"), framers[0] if framers else None)
            subj = typed[1].actor if typed else self._colon_subject(disc, tree, tok_mention)
            framing[sent.id] = (typed[0] if typed else None, subj or speaker,
                                typed[1].recipients if typed else [])
            if typed:  # the framing line itself is not an event (SPEC §3 rule 3)
                events = [e for p, e in zip(preds, events) if p.type not in SPEECH_TYPES]
        return events

    def _speaker(self, disc: Discourse, sent: Sentence, tree: Tree, tok_mention) -> Role | None:
        """Who speaks in this sentence: its quoted speaker, else the document's speaker."""
        qs = disc.quote_speakers.get(sent.id)
        disc.quote_speaker = None
        if qs is not None and qs.entity is None and qs.text.lower() in PRONOUNS:
            qs = disc.pronoun(qs.text.lower(), disc.speaker) or qs
        if qs is not None and qs.entity is None:
            qs = disc.definite(qs)
            disc.quote_speakers[sent.id] = qs
        disc.quote_speaker = qs
        if qs is not None and disc.is_person(qs):
            disc.add_person(qs, spoke=True)
        if qs is None and sent.kind != "quote":  # 'we' outside quotations names the speaking body
            for t in tree.toks:
                m = tok_mention.get(t.i)
                if t.lower in ("we", "our", "us") and m is not None and m.entity in disc.ents:
                    disc.speaker = disc.role(m)
                    break
        for t in tree.toks:  # 'I, Sviatlana Tsikhanouskaya, …' names the speaker
            if t.lower in ("i", "we") and (ap := tree.child(t.i, "appos")) is not None:
                m = tok_mention.get(ap.i)
                if m is not None and m.entity in disc.ents:
                    disc.speaker = disc.role(m)
                    if qs is None:
                        disc.quote_speakers[sent.id] = disc.speaker
        return qs or disc.person_speaker or disc.speaker or disc.last_speech

    # ------------------------------------------------------------ candidates
    def rule_preds(self, tree: Tree) -> dict[int, Pred]:
        """The lexicon's trigger matches in a sentence, by head token."""
        rules: dict[int, Pred] = {}
        words = [norm(t.lower) for t in tree.toks]
        for m in self.lexicon.match(words, [t.lemma for t in tree.toks], [t.pos for t in tree.toks]):
            t = m.trigger
            nouns = [i for i in range(m.start, m.end) if tree.toks[i].pos in ("NOUN", "PROPN")]
            head = nouns[-1] if t.kind == "noun" and nouns else self._trigger_head(tree, m)
            if head in rules or (t.verb_only and tree.toks[head].pos not in ("VERB", "AUX")) or \
                    tree.toks[head].pos in ("ADV", "ADP", "PART") or tree.toks[head].dep == "prt":
                continue  # 'invited the army back' holds no 'back'
            rules[head] = Pred(head, m.start, m.end, t.type, t.mode, list(t.contexts), trigger=t,
                               aux=set(t.aux), confidence=t.confidence)
        return rules

    def _candidates(self, tree: Tree, kind: str) -> list[Pred]:
        """Rule matches and model predictions, combined as `self.combine` says: 'rules' keeps
        every lexicon match; 'model' keeps the tokens the model finds events (typed by it);
        'both' keeps a rule match unless the model is sure it is no event (P(none) >= veto),
        retypes it when the model prefers another type (P >= switch), and adds the events only
        the model finds (P(none) < add)."""
        rules = self.rule_preds(tree)
        if self.model is None or self.combine == "rules":
            return sorted(rules.values(), key=lambda p: p.head)
        model = self.model
        out: list[Pred] = []
        for i, (label, prob, p_none) in model.predict(tree, rules, kind).items():
            p = rules.get(i)
            if self.combine == "model" or p is None:
                if p_none >= model.add:
                    continue
                if p is None or p.type != label:
                    p = Pred(i, i, i + 1, label, None, [], confidence=round(1 - p_none, 2))
                out.append(p)
            elif p_none < model.veto:
                if label != p.type and prob >= model.switch:
                    p = Pred(i, p.start, p.end, label, None, list(p.contexts), confidence=prob)
                out.append(p)
        return sorted(out, key=lambda p: p.head)

    @staticmethod
    def _trigger_head(tree: Tree, m: Match) -> int:
        """The token of a match that carries the predicate: the pattern's head word, or the
        highest token of the matched span in the tree."""
        if m.end - m.start == 1:
            return m.start
        span = range(m.start, m.end)
        tops = [i for i in span if tree.toks[i].head not in span or tree.toks[i].head == i]
        content = [i for i in tops if tree.toks[i].pos in ("VERB", "NOUN", "ADJ", "PROPN")]
        if m.head in span and tree.toks[m.head].pos == "VERB":
            return m.head
        verbs = [i for i in span if tree.toks[i].pos == "VERB"]  # 'do not recognise' -> recognise
        if verbs:
            return verbs[0]
        if m.head in span and tree.toks[m.head].pos == "AUX":
            return m.head
        return (content or tops or [m.start])[0]  # the phrase's syntactic head ('war crime' -> crime)

    # ------------------------------------------------------------ structure
    def _structure(self, tree: Tree, preds: list[Pred], words: list[str]) -> None:
        """A predicate in the clause or phrase of another is that one's content; nouns naming
        an event as background are none (SPEC §3 rule 6)."""
        by_head = {p.head: p for p in preds}
        toks = tree.toks
        for p in preds:
            t = toks[p.head]
            gov = next((by_head[a.i] for a in tree.ancestors(p.head) if a.i in by_head), None)
            nominal = t.pos in ("NOUN", "PROPN")
            if gov is not None and toks[gov.head].lemma in ASPECTUAL and t.dep == "xcomp" and t.head == gov.head:
                gov.drop = True  # 'will not stop pressing for': the pressing is the event
                continue
            if gov is not None and not gov.drop and self._governs(tree, gov, p):
                gov.content.append(p)
                p.drop = True
                continue
            if p.type == "ASSERT" and any(x.text in QUOTE_CLOSERS for x in toks[:p.head]) and \
                    not any(x.text in QUOTE_OPENERS for x in toks[p.head:]) and t.dep in ("ROOT", "parataxis"):
                p.drop = True  # '“…,” the head of state stressed.': an attribution, not a statement
                continue
            if t.dep == "advcl" and any(c.lower == "to" for c in tree.children(p.head, "aux")):
                p.drop = True  # a purpose ('to end the crisis', 'in order to stop …') is no event
                continue
            if nominal and (self._background(tree, p.head) or (
                    t.dep in ("nsubj", "nsubjpass") and tree.head(p.head).i not in by_head
                    and tree.head(p.head).lemma not in self.occurrence_verbs)):
                p.drop = True  # 'since the start of the war', 'support for X has grown'
        for p in list(preds):
            if not p.drop:
                self._resolve(tree, p, words)

    def _governs(self, tree: Tree, gov: Pred, p: Pred) -> bool:
        """Whether p is what gov asks, states, agrees, rejects or condemns (its content)."""
        toks = tree.toks
        t = toks[p.head]
        path = tree.path(gov.head, p.head)
        if not path:
            return False
        below = toks[path[-2].i] if len(path) >= 2 else t  # the child of gov on the way down
        if below.dep in ("conj", "advcl", "parataxis") or (below.dep == "relcl" and t.pos == "VERB"):
            return False
        if any(x.dep in ("relcl", "advcl") for x in [t, *path[:-1]]) and t.pos == "VERB":
            return False  # 'criticised the sanctions that X has imposed': X's own act
        if t.pos in ("NOUN", "PROPN"):  # 'condemned the detention of X', 'called for the release',
            # but not 'criticised the sanctions that Borduria has imposed' (its own event, named)
            return not any(tree.child(r.i, "nsubj") is not None and tree.child(r.i, "nsubj").lower not in
                           RELATIVE_PRONOUNS for r in tree.children(p.head, "relcl"))
        if gov.type in CONTENT_TAKERS:
            return below.dep in ("xcomp", "ccomp", "pcomp", "prep", "dobj", "acomp", "oprd", "attr")
        return below.dep == "xcomp" and gov.type not in HOSTILE

    def _background(self, tree: Tree, i: int) -> bool:
        """'since the start of the war', 'amid the repression', 'after the elections': a noun
        inside a background phrase, or a noun subject of a non-event verb."""
        for a in [tree.toks[i], *tree.ancestors(i)]:
            if a.dep == "pobj" and tree.head(a.i).lower in BACKGROUND_PREPS:
                return True
            if a.pos == "VERB":
                break
        return False

    def _resolve(self, tree: Tree, p: Pred, words: list[str]) -> None:
        """A speech act takes its mode, or its type, from what it governs (SPEC §3 rule 4)."""
        toks = tree.toks
        if p.type == "REQUEST" and toks[p.start].lower in ("it", "there") and (
                not p.content or p.content[0].type == "ASSERT") and not words[-1] == ":":
            p.drop = True  # 'it is necessary to note that …' asks nothing
            return
        if p.type == "REQUEST" and p.mode is None:
            for c in p.content:
                if c.trigger is not None and c.trigger.request_mode:
                    p.mode = c.trigger.request_mode
                    break
                if c.type == "REQUEST" and c.mode:
                    p.mode = c.mode
                    break
        elif p.type == "ASSERT":
            verbs = [c for c in p.content if toks[c.head].pos in ("VERB", "AUX")]
            nouns = [c for c in p.content if toks[c.head].pos == "NOUN" and c.type in CHARACTERISED]
            if verbs:
                c = verbs[0]
                subj = tree.child(c.head, "nsubj")
                if self._stative(tree, c.head):
                    pass  # 'we state that X is occupied territory': a state stays the statement
                elif (subj is not None and subj.lower not in PRONOUNS) or c.type not in SPEECH_TYPES:
                    c.drop = False  # 'X stressed that Y reject …', 'said that 20 were detained':
                    p.drop = True  # the act reported is coded, with its own actor
                else:  # 'said it would support', 'stated that we reject': the speaker's act
                    p.type, p.mode = c.type, c.mode
                    p.aux |= c.aux
                    p.args_from = c.head  # whom it concerns is in the content clause
            elif nouns:  # 'regards the decision as an attack': the speaker's accusation
                p.type, p.mode = "ACCUSE", "allege"
        elif p.type == "AGREE":
            c = next((c for c in p.content if c.type in HOSTILE | {"THREATEN"}), None)
            if c is not None:  # 'ready to strike'
                subj, _ = self._clause_actor(tree, p.head)
                if subj is None or subj.lower in ("we", "i", "it") or c.type == "THREATEN":  # a threat
                    p.type, p.mode = "THREATEN", c.mode if c.type == "THREATEN" else THREAT_MODE[c.type]
                else:  # someone else's readiness for a hostile act: the act, as possible
                    c.drop = False
                    c.aux.add("hypothetical")
                    p.drop = True
        for c in p.content:
            p.contexts.extend(x for x in c.contexts if x not in p.contexts)

    @staticmethod
    def _stative(tree: Tree, i: int) -> bool:
        """A state, not an act: an adjectival participle ('remains closed'), or a present passive
        with no agent and no time ('is temporarily occupied'; not 'are detained every week')."""
        if tree.toks[i].dep in ("amod", "acomp"):
            return True
        aux = [c.lower for c in tree.children(i, "auxpass")]
        return bool(aux) and aux[-1] in ("is", "are", "'s", "'re") and not tree.prep_objects(i, "by") and not \
            tree.children(i, "npadvmod", "tmod") and not any(c.lower in ("again", "daily", "regularly", "often", "still")
                                                           for c in tree.children(i, "advmod"))

    def _enabling(self, tree: Tree, preds: list[Pred]) -> list[Pred]:
        """Letting another actor's hostile act ('let X shell Y', 'allowed Russia to station
        troops') is COOPERATE by the one who lets, with the one let, besides the act itself."""
        heads = {p.head for p in preds}
        out = []
        for p in preds:
            t = tree.toks[p.head]
            h = tree.head(p.head)
            if p.type in HOSTILE and t.dep in ("ccomp", "xcomp") and h.lemma in self.enabling_verbs \
                    and h.i not in heads and h.i != p.head:
                coop = Pred(h.i, h.i, h.i + 1, "COOPERATE", None, list(p.contexts), confidence=0.6)
                coop.content = [p]
                out.append(coop)
        return out

    def _modal_request(self, tree: Tree, preds: list[Pred]) -> Pred | None:
        """'X should/must stop …' in a statement is a REQUEST by the speaker to X; an imperative
        ('Release all political prisoners.', 'Support the people of X') a REQUEST by the speaker."""
        if any(p.type == "REQUEST" for p in preds):
            return None
        toks = tree.toks
        for p in preds:
            t = toks[p.head]
            first = next((x for x in toks if x.pos not in ("PUNCT", "SPACE", "X", "SYM", "NUM")), None)
            root = t.dep == "ROOT" or (t.dep == "ccomp" and tree.head(p.head).lemma in self.reporting)
            if root and t.tag == "VB" and first is not None and first.i in (p.head, p.head - 1) \
                    and tree.subject(p.head) is None and not tree.children(p.head, "aux") and toks[-1].text != "?":
                mode = (p.trigger.request_mode if p.trigger is not None else None) or IMPERATIVE_MODE.get(p.type, "change")
                req = Pred(p.head, p.start, p.end, "REQUEST", mode, list(p.contexts), confidence=0.6)
                req.content = [p]
                return req
        for p in preds:
            modal = next((a for a in tree.children(p.head, "aux") if a.lower in MODAL_REQUEST), None)
            subj = tree.subject(p.head)
            if modal is None or subj is None or subj.lower in ("it", "this", "that", "which", "who", "what") \
                    or modal.i < subj.i:  # 'Should X attack Y, …' is a condition, not a request
                continue
            mode = p.trigger.request_mode if p.trigger is not None else None
            req = Pred(p.head, modal.i, modal.i + 1, "REQUEST", mode, list(p.contexts), confidence=0.55)
            req.content = [p]
            return req
        return None

    # ------------------------------------------------------------ aux
    def _aux(self, tree: Tree, p: Pred, ref_year: int | None) -> None:
        chain = tree.verb_chain(p.head)
        kids = [c for v in chain for c in tree.children(v.i)]
        toks = tree.toks
        t = toks[p.head]
        neg = any((c.dep == "neg" or (c.lower == "never" and c.dep == "advmod")) and not p.start <= c.i < p.end
                  for c in kids)  # a negator inside the trigger ('do not recognise' -> REJECT) is its type
        if t.pos == "NOUN" and any(c.lower == "no" and c.dep == "det" for c in tree.children(p.head)):
            neg = True
        if any(v.lemma in self.negating_verbs for v in chain[1:]) and p.type != "REJECT":
            neg = True
        no_plans = t.dep in ("acl", "xcomp") and toks[t.head].pos == "NOUN" and any(
            c.lower == "no" for c in tree.children(t.head, "det"))  # 'has no plans to send'
        neg = neg or no_plans
        # 'not only', 'not stop': no negation
        if neg and any(c.dep == "neg" and c.i + 1 < len(toks) and toks[c.i + 1].lower in ("only", "just", "merely")
                       for c in kids):
            neg = False
        if neg and any(v.lemma in ("stop", "cease", "hesitate") for v in chain[1:]):
            neg = False
        if neg:
            p.aux.add("negation")
        auxes = [c.lower for c in kids if c.dep in ("aux", "auxpass")]
        if not no_plans and (any(a in FUTURE_AUX for a in auxes) or any(v.lemma in FUTURE_HEADS for v in chain[1:])
                             or (t.dep == "acl" and toks[t.head].lemma in FUTURE_HEADS)):
            p.aux.add("future")
        if any(a in MODAL_HYPO for a in auxes):
            p.aux.add("hypothetical")
        for a in [t, *tree.ancestors(p.head)]:
            first = toks[tree.subtree(a.i)[0]]
            if any(m.lower in ("if", "unless") for m in tree.children(a.i, "mark")) or (
                    a.dep == "advcl" and first.lower in ("should", "were", "had") and first.head == a.i):
                p.aux.add("hypothetical")  # 'if X attacks', 'Should X attack, …'
                break
            if a.dep not in ("conj", "xcomp", "ccomp", "advcl") and a.i != p.head:
                break
        if ref_year is not None:
            lo, hi = tree.subtree(p.head)
            years = [int(y) for tok in toks[lo:hi + 1] for y in _YEAR.findall(tok.text)]
            if years and max(years) <= ref_year - 2:
                p.aux.add("historical")

    def _threat(self, tree: Tree, p: Pred) -> None:
        """A hostile act its actor announces for the future or under a condition ('will close
        the border if …', 'warned that it would expel …', 'said it would shoot down any drone',
        'will consider closing', 'will not hesitate to use force') is a THREATEN."""
        if p.type not in THREAT_MODE or "negation" in p.aux and not self._unhesitant(tree, p.head):
            return
        toks = tree.toks
        chain = tree.verb_chain(p.head)
        subj = tree.child(p.head, "nsubj")
        own = subj is None or subj.lower in ("we", "i", "it", "he", "she", "they")
        reported = any(a.lemma == "warn" or a.lemma in self.reporting for a in tree.ancestors(p.head)
                       if a.pos == "VERB")
        future = bool({"future", "hypothetical"} & p.aux)
        considered = any(v.lemma in ("consider", "contemplate") for v in chain[1:]) or any(
            a.lemma in ("consider", "contemplate") and a.i == toks[p.head].head for a in tree.ancestors(p.head))
        anyone = any(c.lower in ("any", "anyone", "whoever") for d in tree.children(p.head, "dobj")
                     for c in [d, *tree.children(d.i, "det")])
        if not (self._unhesitant(tree, p.head) or considered or (
                future and (self._conditional(tree, p.head) or (reported and own) or anyone))):
            return
        p.mode = p.mode if p.mode in MODES["THREATEN"] else THREAT_MODE[p.type]
        p.type = "THREATEN"
        p.aux -= {"hypothetical", "negation", "future"}

    @staticmethod
    def _unhesitant(tree: Tree, i: int) -> bool:
        return any(v.lemma == "hesitate" for v in tree.verb_chain(i)[1:])

    @staticmethod
    def _conditional(tree: Tree, head: int) -> bool:
        """An 'if'/'unless' clause attached to this predicate, or an inverted one ('Should the
        provocations continue, …')."""
        for c in tree.children(head, "advcl"):
            if any(m.lower in ("if", "unless") for m in tree.children(c.i, "mark")):
                return True
            first = tree.toks[tree.subtree(c.i)[0]]
            if first.lower in ("should", "were", "had") and first.dep in ("aux", "auxpass"):
                return True
        return False

    def _list_item(self, doc: Document, sent: Sentence, tree: Tree, preds: list[Pred], frame, disc: Discourse
                   ) -> list[Event]:
        """One event per list item, typed by the framing line's speech act (SPEC §3 rule 3)."""
        fpred, factor, frecips = frame
        prev = doc.sentences[sent.id - 1] if sent.id > 0 else None
        if prev is not None and prev.kind == "list_item" and prev.parent == sent.parent \
                and "\n" not in doc.text[prev.end:sent.start]:
            return []  # a further sentence of the same item
        mode = fpred.mode
        if fpred.type == "REQUEST":
            mode = next((p.trigger.request_mode for p in preds if p.trigger is not None and p.trigger.request_mode),
                        None) or next((p.mode for p in preds if p.type == "REQUEST" and p.mode), None) or fpred.mode
        toks = tree.toks
        trig = preds[0] if preds else None
        tspan = doc.span(toks[trig.start].start, toks[trig.end - 1].end) if trig else \
            doc.span(toks[0].start, toks[min(len(toks), 3) - 1].end)
        contexts = list(dict.fromkeys(fpred.contexts + [c for p in preds for c in p.contexts]))
        return [Event("", fpred.type, mode, doc.span(sent.start, sent.end), tspan, sent.id,
                      actor=factor, recipients=list(frecips), contexts=contexts, aux=sorted(fpred.aux),
                      confidence=round(min(fpred.confidence, 0.9), 2))]


def _token_mentions(toks: list[Token], mentions: list[Mention]) -> dict[int, Mention]:
    """Token index -> the mention covering it."""
    out: dict[int, Mention] = {}
    k = 0
    for t in toks:
        while k < len(mentions) and mentions[k].end <= t.start:
            k += 1
        j = k
        while j < len(mentions) and mentions[j].start < t.end:
            if mentions[j].start <= t.start < mentions[j].end or t.start <= mentions[j].start < t.end:
                out.setdefault(t.i, mentions[j])
            j += 1
    return out


def _reference_year(doc: Document) -> int | None:
    if doc.published and doc.published[:4].isdigit():
        return int(doc.published[:4])
    years = [int(t.value[:4]) for t in doc.times if t.value and t.value[:4].isdigit()]
    return max(years) if years else None
