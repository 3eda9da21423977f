"""Arguments of a predicate from the dependency tree: its actor, recipients and object (SPEC
§3.2), resolved to entities, descriptions or pronoun antecedents. Mixed into EventStage, whose
noun classes (`self.nouns`, `self.actor_nouns`) and cues (`self.support_verbs`, `self.reporting`)
these rules read. See docs/events.md, "Arguments".
"""
from __future__ import annotations

from dataclasses import dataclass, field

from claimscope.events.discourse import PRONOUNS, Discourse, plural, possessive, same, unlinked
from claimscope.events.lexicon import Trigger
from claimscope.events.ontology import SPEECH_TYPES
from claimscope.events.syntax import RELATIVE_PRONOUNS, Tree
from claimscope.model import Role
from claimscope.parse import Token

RECIPIENT_PREPS: dict[str, tuple[str, ...]] = {
    "REQUEST": ("on", "upon", "to", "from"),
    "ACCUSE": ("against", "on", "at", "of", "toward", "towards"),
    "REJECT": ("from", "by", "of"),
    "SUPPORT": ("for", "with", "to", "behind"),
    "AGREE": ("with", "to"),
    "CONSULT": ("with", "to"),
    "COOPERATE": ("with",),
    "AID": ("to", "for"),
    "CONCEDE": ("to",),
    "RETREAT": ("from",),
    "THREATEN": ("against", "to", "with"),
    "PROTEST": ("against", "outside"),
    "SANCTION": ("against", "on"),
    "MOBILIZE": ("against", "to", "toward", "towards"),
    "COERCE": ("against", "on"),
    "ASSAULT": ("against", "on", "at"),
    "ASSERT": (),
}
SYMMETRIC = frozenset({"CONSULT", "COOPERATE", "AGREE"})
TIME_WORDS = frozenset("""monday tuesday wednesday thursday friday saturday sunday january february march
april may june july august september october november december today yesterday tomorrow week month
year""".split())
MODAL_REQUEST = frozenset({"should", "must"})
# a named entity after one of these is a place, source, time or means, not a recipient
NOT_RECIPIENT_PREPS = frozenset({"in", "at", "from", "by", "near", "during", "within", "inside", "across",
                                 "throughout", "according", "since", "after", "before", "until", "via", "through",
                                 "under", "over", "along", "around", "outside", "beyond", "without", "like", "as"})


@dataclass
class Pred:
    """A predicate being built: its head token, its type and what it governs."""

    head: int
    start: int  # trigger token range
    end: int
    type: str
    mode: str | None
    contexts: list[str]
    trigger: Trigger | None = None  # None when only the model proposed it
    aux: set[str] = field(default_factory=set)
    content: list["Pred"] = field(default_factory=list)
    confidence: float = 0.7
    drop: bool = False
    args_from: int | None = None  # the token whose objects are the recipients, when not the head


class Arguments:
    """The argument rules of EventStage."""

    @staticmethod
    def _source(disc: Discourse, tree: Tree, tok_mention) -> Role | None:
        """'according to X', 'in X's view', 'in the opinion of X': whose claim the sentence states."""
        for t in tree.toks:
            if t.lower == "according":
                objs = tree.prep_objects(t.i, "to")
            elif t.lower in ("view", "opinion", "assessment") and tree.head(t.i).lower == "in":
                objs = tree.children(t.i, "poss") or tree.prep_objects(t.i, "of")
            else:
                continue
            for o in objs:
                m = tok_mention.get(o.i)
                if m is None:  # 'the Office of the High Commissioner': a mention in the phrase
                    lo, hi = tree.subtree(o.i)
                    m = next((tok_mention[j] for j in range(lo, hi + 1) if j in tok_mention), None)
                if m is not None and m.entity in disc.ents:
                    return disc.role(m)
        return None
    # ------------------------------------------------------------ arguments
    def _arguments(self, disc: Discourse, tree: Tree, p: Pred, tok_mention, speaker: Role | None
                   ) -> tuple[Role | None, list[Role], Role | None]:
        toks = tree.toks
        t = toks[p.head]
        recips: list[Token] = []
        actor_tok: Token | None = None
        evaluative = False
        if t.pos in ("NOUN", "PROPN") and t.dep not in ("attr", "acomp"):
            actor_tok = self._nominal_actor(tree, p.head)
            recips = tree.prep_objects(p.head, "of", "against", "on", "with", "to", "for") \
                if p.type != "REQUEST" else tree.prep_objects(p.head, "to", "on")
            if t.dep in ("nsubjpass", "dobj") and p.type != "REQUEST":  # 'cases were opened against X'
                recips += tree.prep_objects(t.head, "against", "into")
            if actor_tok is not None:
                recips = [r for r in recips if r.i != actor_tok.i]
        else:
            actor_tok, patient = self._clause_actor(tree, p.head)
            if p.trigger is not None and p.trigger.passive and patient is None:  # 'are in prison'
                actor_tok, patient = None, actor_tok
            if p.type in ("ACCUSE", "ASSERT") and t.dep in ("attr", "acomp") and actor_tok is not None \
                    and actor_tok.pos == "NOUN" and actor_tok.lemma not in self.actor_nouns:
                # '“The deportation of X is a war crime,” Y said': the speaker's evaluation of
                # what the subject names, whose doer is accused
                patient = self._nominal_actor(tree, actor_tok.i, climb=False)
                actor_tok = None
                evaluative = True
            elif p.type == "ACCUSE" and p.trigger is not None and p.trigger.content:
                # an allegation word outside a speech act ('Russia has violated …', 'the election
                # was rigged'): the speaker's allegation against its subject
                patient, actor_tok, evaluative = actor_tok, None, True
            if actor_tok is not None and actor_tok.pos == "NOUN" and actor_tok.i not in tok_mention and (
                    actor_tok.lemma in self.nouns["proxy"] | self.nouns["document"]
                    or actor_tok.lemma not in self.actor_nouns):
                # 'the Kremlin's actions threaten', 'the deployment of Russian troops creates a
                # threat', 'released a statement condemning': who acts through the noun
                actor_tok = self._nominal_actor(tree, actor_tok.i) or actor_tok
            if patient is not None and p.type not in ("REQUEST", "ASSERT"):
                recips.append(patient)
                if patient.pos == "NOUN" and patient.lemma not in self.actor_nouns:  # 'cases were opened
                    recips += tree.prep_objects(patient.i, "against", "on", "for", "with", "to")  # against X'
            head = p.args_from if p.args_from is not None else p.head
            if not tree.is_passive(head):
                recips += tree.children(head, "dobj", "dative")
                for d in tree.children(head, "dobj"):  # 'opened proceedings against X', 'the blackmail of X',
                    if d.pos == "NOUN" and d.lemma not in self.actor_nouns:  # 'shot down Russian drones'
                        recips += tree.prep_objects(d.i, "against", "on", "for", "with", "to")
                        recips += [o for o in tree.prep_objects(d.i, "of") if o.pos == "PROPN"]
                        recips += [m for m in tree.children(d.i, "amod", "compound") if m.i in tok_mention]
            if head != p.head:
                recips += tree.prep_objects(head, *RECIPIENT_PREPS.get(p.type, ()))
            lo, hi = tree.subtree(p.head)
            recips += [o for t2 in toks[lo:hi + 1] if t2.lemma == "part" and tree.head(t2.i).lower == "on"
                       for o in tree.prep_objects(t2.i, "of")]  # 'a crime on the part of X'
            recips += tree.prep_objects(p.head, *RECIPIENT_PREPS.get(p.type, ()))
            if p.type == "REQUEST" and p.content:  # 'urged X to release Y': X asked; 'demand the
                content = {c.head for c in p.content}  # release of X': the release is what is asked
                recips += [c for c in tree.children(p.head, "dobj") if c.i not in content]
            for c in tree.children(p.head, "acomp", "xcomp", "ccomp"):  # 'expressed concern over X'
                if toks[c.i].pos in ("NOUN", "ADJ"):
                    recips += tree.prep_objects(c.i, *RECIPIENT_PREPS.get(p.type, ()), "over", "about")
        if p.type == "COOPERATE" and p.content:  # enabling: the one let
            recips += [x for x in [tree.subject(p.content[0].head), tree.child(p.head, "dobj")] if x is not None]
        obj_tok = None
        for c in p.content:
            if toks[c.head].pos == "VERB":
                if p.type == "REQUEST":  # 'asked X to supply Y with weapons': Y is the object
                    obj_tok = tree.child(c.head, "dative") or (
                        tree.child(c.head, "dobj") if tree.prep_objects(c.head, "with") else None)
                elif not recips:  # 'ready to resume talks with X', 'refused to meet X'
                    recips += tree.children(c.head, "dobj", "dative") + \
                        tree.prep_objects(c.head, *RECIPIENT_PREPS.get(c.type, ()))
                    for d in tree.children(c.head, "dobj"):
                        recips += tree.prep_objects(d.i, "with")
            elif not recips and p.type != "REQUEST":
                recips += tree.prep_objects(c.head, "with", "against", "to")
        if not p.content and p.type in ("REJECT", "AGREE", "SUPPORT", "THREATEN", "CONCEDE") and not recips:
            for x in tree.children(p.head, "xcomp"):  # 'declined to work with X', 'agreed to help X'
                recips += tree.children(x.i, "dobj", "dative") + tree.prep_objects(x.i, "with", "to", "against")
        actor = self._role(disc, tree, actor_tok, tok_mention, speaker, p) if actor_tok is not None else None
        if actor is None and actor_tok is None and p.type in SPEECH_TYPES | {"THREATEN"} and (
                t.pos != "NOUN" or evaluative):
            actor = speaker  # an imperative or a clause without a subject in a statement
        if actor is None and p.trigger is None and p.type in SPEECH_TYPES:
            actor = speaker
        if toks[p.start].lower in MODAL_REQUEST and p.content:  # modal request: speaker asks the subject
            recips = [actor_tok] if actor_tok is not None else []
            actor = speaker
        roles: list[Role] = []
        for r in self._expand(tree, recips, tok_mention):
            role = self._role(disc, tree, r, tok_mention, speaker, p, recipient=True, exclude=actor)
            if role is not None and not same(role, actor) and not any(same(role, x) for x in roles):
                roles.append(role)
        if p.type == "ACCUSE" and not roles:  # 'condemned Y's attack on Z', 'regards X's decision as
            for c in p.content:  # an attack': who did what is condemned is the accused
                a = self._nominal_actor(tree, c.head, climb=False) if toks[c.head].pos == "NOUN" else \
                    tree.subject(c.head)
                if a is None and toks[c.head].pos == "NOUN":  # 'considers the referendum a violation'
                    a = tree.child(c.head, "nsubj") or tree.child(p.head, "dobj")
                    if a is not None and a.pos == "NOUN" and a.i not in tok_mention:
                        a = self._nominal_actor(tree, a.i, climb=False) or a
                for x in self._expand(tree, [a] if a is not None else [], tok_mention):
                    role = self._role(disc, tree, x, tok_mention, speaker, p, recipient=True)
                    if role is not None and not same(role, actor) and not any(same(role, y) for y in roles):
                        roles.append(role)
        if not roles and p.type not in ("ASSERT", "REQUEST"):
            roles = self._mentioned_recipients(disc, tree, p, tok_mention, actor)
        if p.type in SYMMETRIC and actor_tok is not None:  # 'X and Y met': Y is the partner
            for c in tree.conjuncts(actor_tok.i)[1:]:
                role = self._role(disc, tree, c, tok_mention, speaker, p, recipient=True)
                if role is not None and not any(same(role, x) for x in roles):
                    roles.append(role)
        obj = self._role(disc, tree, obj_tok, tok_mention, speaker, p, recipient=True) if obj_tok else None
        return actor, roles, obj

    def _mentioned_recipients(self, disc: Discourse, tree: Tree, p: Pred, tok_mention, actor: Role | None
                              ) -> list[Role]:
        """When the relations name no recipient: the entities named after the trigger inside its
        own clause, except places, sources and times (in, at, from, by, near, during …), and, for
        an accusation, the victims ('against X') when an accused is named too."""
        lo, hi = tree.subtree(p.head)
        found: list[tuple[bool, Role]] = []
        for j in range(p.end, hi + 1):
            m = tok_mention.get(j)
            if m is None or m.entity not in disc.ents or (j > p.end and tok_mention.get(j - 1) is m):
                continue
            path = tree.path(p.head, j)
            if not path or any(x.dep in ("ccomp", "advcl", "relcl", "parataxis") and x.i != p.head
                               and tree.subject(x.i) is not None for x in path[:-1]):
                continue  # another clause with its own subject
            preps = [x.lower for x in path if x.dep in ("prep", "agent")]
            if preps and preps[0] in NOT_RECIPIENT_PREPS and not (p.type == "ASSAULT" and preps[0] == "at"):
                continue
            role = disc.role(m)
            if not same(role, actor) and not any(same(role, r) for _, r in found):
                found.append((bool(preps) and preps[0] == "against", role))
        if p.type == "ACCUSE" and any(not victim for victim, _ in found):
            found = [x for x in found if not x[0]]
        return [r for _, r in found[:6]]

    @staticmethod
    def _expand(tree: Tree, toks: list[Token], tok_mention) -> list[Token]:
        """Recipients with their conjuncts ('X and Y'), except a coordination of descriptions
        ('nine individuals and three entities'), which stays one recipient."""
        out: list[Token] = []
        for t in toks:
            if t.lemma == "part":  # 'a crime on the part of X'
                t = next(iter(tree.prep_objects(t.i, "of")), t)
            conj = tree.conjuncts(t.i)
            if t.pos == "NOUN" and t.i not in tok_mention and all(
                    c.pos == "NOUN" and c.i not in tok_mention for c in conj):
                conj = conj[:1]
            for c in conj:
                if c not in out:
                    out.append(c)
        return out

    def _clause_actor(self, tree: Tree, i: int) -> tuple[Token | None, Token | None]:
        """(actor, patient) of the verb at i, climbing to the clause that supplies a missing
        subject: control ('urged X to act' → X), raising and coordination (the head's subject),
        relative clauses (the antecedent)."""
        toks = tree.toks
        seen = set()
        while i not in seen:
            seen.add(i)
            t = toks[i]
            subj = tree.nearest_child(i, "nsubj", "csubj")
            if tree.stative_passive(i):  # 'X stands accused of …': X undergoes it
                agent = tree.prep_objects(i, "by")
                return (agent[0] if agent else None), tree.nearest_child(t.head, "nsubj", "nsubjpass")
            if tree.is_passive(i):
                agent = tree.prep_objects(i, "by")
                patient = tree.child(i, "nsubjpass")
                if patient is not None and patient.lower in RELATIVE_PRONOUNS and t.dep == "relcl":
                    patient = tree.head(i)
                return (agent[0] if agent else None), patient
            if subj is not None:
                if subj.lower in RELATIVE_PRONOUNS and t.dep == "relcl":
                    return self._antecedent_of(tree, i), None
                return subj, None
            if t.dep in ("relcl", "acl") and t.head != i:
                if any(a.lower == "to" for a in tree.children(i, "aux")):  # 'made every effort to support'
                    return self._nominal_actor(tree, t.head), None
                if t.dep == "acl" and t.tag == "VBN" and toks[t.head].dep != "ROOT":  # 'X, sentenced in
                    # March, …': X undergoes it (under a root noun it is the main verb the parser missed)
                    agent = tree.prep_objects(i, "by")
                    return (agent[0] if agent else None), tree.head(i)
                return tree.head(i), None
            if t.dep == "xcomp" and t.head != i:
                obj = tree.child(t.head, "dobj")
                if obj is not None:
                    return obj, None
                i = t.head
                continue
            if t.dep in ("acomp", "attr", "oprd") and t.head != i:  # 'X is ready to …'
                i = t.head
                continue
            if t.dep == "pcomp" and t.head != i and toks[t.head].head != t.head:  # 'without shelling'
                i = toks[t.head].head
                if toks[i].pos not in ("VERB", "AUX"):
                    return None, None
                continue
            if t.dep in ("conj", "advcl", "ccomp", "xcomp") and t.head != i:
                if t.dep == "ccomp" and toks[t.head].pos == "VERB":
                    return None, None  # 'said to have …' has its own subject or none
                i = t.head
                if toks[i].pos not in ("VERB", "AUX"):
                    return None, None
                continue
            return None, None
        return None, None

    @staticmethod
    def _antecedent_of(tree: Tree, i: int) -> Token:
        """The noun a relative clause at i describes; 'X were among the countries that signed':
        X."""
        ante = tree.head(i)
        if ante.dep == "pobj" and tree.head(ante.i).lower == "among":
            subj = tree.subject(tree.head(ante.i).head)
            if subj is not None:
                return subj
        return ante

    def _nominal_actor(self, tree: Tree, i: int, climb: bool = True) -> Token | None:
        """'Russia's invasion', 'the invasion by Russia', 'Russian aggression', 'the invasion of
        Russian troops', 'the violence that the authorities …', and the subject of the clause
        the noun is the object of ('X counts on cooperation with Y', 'X resorted to violence')."""
        toks = tree.toks
        subj = tree.child(i, "nsubj")  # a verb the parser took for a noun ('the ministry thanks')
        if subj is not None and toks[i].dep == "ROOT":
            return subj
        poss = tree.child(i, "poss")
        if poss is not None:
            return poss
        by = tree.prep_objects(i, "by")
        if by:
            return by[0]
        for c in tree.children(i, "amod", "compound"):
            if c.pos == "PROPN" or (c.text[:1].isupper() and c.i > 0):
                return c
        for o in tree.prep_objects(i, "of"):
            if o.lemma in self.nouns["agent"] | self.nouns["member"] or (
                    toks[i].lemma in self.nouns["proxy"] and o.pos == "PROPN"):  # 'the invasion of
                return o  # Russian troops', 'the decision of Borduria'
        t = toks[i]
        for a in tree.children(i, "acl"):  # 'the sanctions imposed against X by Y'
            by = tree.prep_objects(a.i, "by")
            if by:
                return by[0]
        for r in tree.children(i, "relcl"):  # 'the violence that the authorities plunged … into'
            subj = tree.child(r.i, "nsubj")
            if subj is not None and subj.lower not in RELATIVE_PRONOUNS:
                return subj
        for _ in range(4 if climb else 0):  # up to the verb whose object (or prepositional object) the noun is
            if t.dep in ("nsubj", "nsubjpass", "csubj") or t.head == t.i:
                return None
            h = toks[t.head]
            if h.pos in ("VERB", "AUX") and t.dep in ("dobj", "pobj", "prep", "attr", "oprd", "dative"):
                return self._clause_actor(tree, h.i)[0]
            if t.dep not in ("pobj", "prep", "compound", "conj", "appos", "dobj", "attr"):
                return None
            if h.pos == "NOUN" and (ph := tree.child(h.i, "poss")) is not None:
                return ph  # 'Borduria’s escalation of aggression'
            t = h
        return None

    def _role(self, disc: Discourse, tree: Tree, tok: Token, tok_mention, speaker: Role | None, p: Pred,
              recipient: bool = False, exclude: Role | None = None) -> Role | None:
        """The entity (or description) a token stands for."""
        doc = disc.doc
        toks = tree.toks
        if tok.i < disc.dateline_token:  # 'KYIV, March 14 (Reuters) –' is where and when, not who;
            after = [c for c in tree.children(tok.i, "appos", "conj") if c.i >= disc.dateline_token]
            return self._role(disc, tree, after[0], tok_mention, speaker, p, recipient, exclude) if after else None
        if tok.ent in ("DATE", "TIME") or tok.lower in TIME_WORDS or disc.in_time(tok.start):
            return None
        m = tok_mention.get(tok.i)
        if m is None:  # a mention inside the core noun phrase ('the Belarusian authorities')
            lo, hi = tree.np_core(tok.i)
            inside = [tok_mention[j] for j in range(lo, hi + 1) if j in tok_mention and j != tok.i]
            if inside and (tok.lemma in self.actor_nouns - self.nouns["human"] or tok.pos == "PROPN") and not (
                    tok.lemma in self.nouns["agent"] and any(possessive(doc.text[x.start:x.end + 2]) for x in inside)):
                m = inside[-1] if tok.lemma not in self.nouns["member"] else inside[0]
            elif tok.lemma in self.nouns["member"] | self.nouns["agent"]:  # 'officers of the KGB'
                of = tree.prep_objects(tok.i, "of")
                if of and of[0].i in tok_mention:
                    m = tok_mention[of[0].i]
        if m is not None:
            if m.entity in disc.ents:
                return disc.role(m)
            w = m.text.lower()
            if w in PRONOUNS:
                return self._antecedent(disc, tok) or disc.pronoun(w, speaker, speech=p.type in SPEECH_TYPES)
            return Role(None, m.text, m.start, m.end, m.text)
        if tok.lower in PRONOUNS:
            if tok.lower == "you":
                return None
            return self._antecedent(disc, tok) or disc.pronoun(tok.lower, speaker, speech=p.type in SPEECH_TYPES,
                                                               exclude=exclude)
        if tok.lemma in self.nouns["quantity"]:  # 'a majority of Belarusians'
            of = tree.prep_objects(tok.i, "of")
            if of:
                return self._role(disc, tree, of[0], tok_mention, speaker, p, recipient)
        if tok.pos not in ("NOUN", "PROPN") or tok.lower in RELATIVE_PRONOUNS:
            return None
        if recipient and tok.pos == "NOUN" and tok.lemma not in self.recipient_nouns \
                and tok.ent not in ("PERSON", "ORG", "GPE", "NORP"):
            return None
        if not recipient and tok.pos == "NOUN" and tok.lemma not in self.actor_nouns and tok.ent not in (
                "PERSON", "ORG", "GPE", "NORP") and not tok.text[:1].isupper():
            return None
        lo, hi = tree.description(tok.i, with_conjuncts=recipient)
        if tok.pos == "PROPN" and tok.text[:1].isupper():  # 'Lithuanian Foreign Minister Kęstutis
            start = tok.i  # Budrys', 'Secretary of State … Andrei Ravkov' -> the name: the run of
            while start > lo and toks[start - 1].pos == "PROPN" and toks[start - 1].text[:1].isupper() \
                    and toks[start - 1].lemma not in self.nouns["title"]:  # capitalised proper nouns
                start -= 1  # before the head that are no title words
            if start > lo and (toks[start - 1].lemma in self.nouns["title"] or toks[start - 1].pos == "ADP"):
                lo = start
        role = unlinked(doc, toks[lo].start, toks[hi].end)
        return disc.definite(role)

    @staticmethod
    def _dateline(tree: Tree) -> int:
        """The tokens of a leading dateline ('WARSAW, Sept 10 (PAP) –', 'MINSK/VILNIUS —'): the
        index after its dash, or 0. A dateline has a word in capitals or a date before a dash."""
        for t in tree.toks[:14]:
            if t.text in ("–", "—", "-", "--") and t.i > 0:
                before = tree.toks[:t.i]
                if any((x.text.isupper() and len(x.text) > 2 and x.text.isalpha()) or x.text.split("/")[0].isupper()
                       and len(x.text) > 3 for x in before) or any(x.lower in TIME_WORDS or x.pos == "NUM" for x in before):
                    return t.i + 1
                return 0
        return 0

    @staticmethod
    def _np_offsets(tree: Tree, i: int) -> tuple[int, int]:
        lo, hi = tree.np_core(i)
        return tree.toks[lo].start, tree.toks[hi].end

    @staticmethod
    def _antecedent(disc: Discourse, tok: Token) -> Role | None:
        """A third-person pronoun whose antecedent is an earlier subject of the same sentence
        ('the Ukrainian people have shown … as they fight')."""
        w = tok.lower
        if w not in ("he", "she", "his", "her", "it", "its", "they", "their", "them"):
            return None
        for i, role in reversed(disc.sentence_subjects):
            if i >= tok.i:
                continue
            e = disc.ents.get(role.entity)
            person = e is not None and e.kind == "person"
            if (w in ("he", "she", "his", "her") and person) or (w in ("it", "its") and not person and not plural(role)) \
                    or (w in ("they", "their", "them") and not person and (plural(role) or (e and e.kind == "group"))):
                return role
        return None

    def _speakers_named(self, disc: Discourse, tree: Tree, tok_mention) -> None:
        """A person who speaks ('…, Łukasz Jasina said') is who a later 'he'/'she' refers to."""
        for t in tree.toks:
            if t.lemma in self.reporting and t.pos == "VERB":
                s = tree.subject(t.i)
                m = tok_mention.get(s.i) if s is not None else None
                if m is not None and (e := disc.ents.get(m.entity)) is not None and e.kind == "person":
                    disc.add_person(disc.role(m), spoke=True)

    def _colon_subject(self, disc: Discourse, tree: Tree, tok_mention) -> Role | None:
        """'The United Transitional Cabinet of Belarus:' names who speaks in the items."""
        for t in tree.toks:
            if t.dep in ("nsubj", "ROOT") and t.i in tok_mention and tok_mention[t.i].entity in disc.ents:
                return disc.role(tok_mention[t.i])
        return None
