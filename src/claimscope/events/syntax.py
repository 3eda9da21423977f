"""Dependency-tree helpers over one parsed sentence (`claimscope.parse.Token` lists).

Labels are spaCy's English (ClearNLP-style) ones: nsubj, nsubjpass, agent, dobj, dative, prep,
pobj, xcomp, ccomp, relcl, acl, advcl, appos, conj, neg, aux, auxpass, mark, poss, compound.
"""
from __future__ import annotations

from collections.abc import Iterator

from claimscope.parse import Token

SUBJECTS = ("nsubj", "nsubjpass", "csubj", "expl")
CLAUSAL = ("ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "pcomp", "parataxis")
NP_MODIFIERS = ("compound", "amod", "det", "poss", "nummod", "quantmod", "case", "nmod", "punct")
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom", "whose"})


class Tree:
    """One sentence's tokens with navigation by relation."""

    def __init__(self, toks: list[Token]):
        self.toks = toks

    def __len__(self) -> int:
        return len(self.toks)

    def children(self, i: int, *deps: str) -> list[Token]:
        return [self.toks[c] for c in self.toks[i].children if not deps or self.toks[c].dep in deps]

    def child(self, i: int, *deps: str) -> Token | None:
        return next(iter(self.children(i, *deps)), None)

    def head(self, i: int) -> Token:
        return self.toks[self.toks[i].head]

    def ancestors(self, i: int) -> Iterator[Token]:
        seen = {i}
        t = self.toks[i]
        while t.head != t.i and t.head not in seen:
            seen.add(t.head)
            t = self.toks[t.head]
            yield t

    def is_ancestor(self, a: int, b: int) -> bool:
        return any(t.i == a for t in self.ancestors(b))

    def path(self, a: int, b: int) -> list[Token]:
        """The tokens from `b` up to its ancestor `a` (excluding b, including a)."""
        out = []
        for t in self.ancestors(b):
            out.append(t)
            if t.i == a:
                return out
        return []

    def subtree(self, i: int) -> tuple[int, int]:
        """The first and last token index of i's subtree (projective parses: contiguous)."""
        lo = hi = i
        stack = [i]
        while stack:
            j = stack.pop()
            lo, hi = min(lo, j), max(hi, j)
            stack.extend(self.toks[j].children)
        return lo, hi

    def np_core(self, i: int) -> tuple[int, int]:
        """The noun phrase of head i without its clauses and prepositional phrases: compounds,
        adjectives, determiners, possessors, and 'of'-complements of a name ('Government of
        Belarus')."""
        lo = hi = i
        for c in self.toks[i].children:
            t = self.toks[c]
            if t.dep in NP_MODIFIERS or (t.dep == "prep" and t.lower == "of" and c == i + 1):
                a, b = self.subtree(c)
                if b < i or a > i:
                    lo, hi = min(lo, a), max(hi, b)
        while lo < i and self.toks[lo].pos == "PUNCT":
            lo += 1
        while hi > i and self.toks[hi].pos == "PUNCT":
            hi -= 1
        return lo, hi

    def description(self, i: int, with_conjuncts: bool = False) -> tuple[int, int]:
        """The words that describe who head i is, as a text would name them: numbers,
        possessors, adjectives, prepositional and participial modifiers ('46 Belarusian
        officials', 'governments across the world', 'Belarusians living abroad'), without relative
        clauses, appositions or clauses; coordinated descriptions too when asked ('nine individuals
        and three entities'). At most 12 tokens, else the core noun phrase."""
        lo = hi = i
        skip = ("relcl", "appos", "advcl", "punct", "cc", "ccomp", "parataxis") + (() if with_conjuncts else ("conj",))
        for c in self.toks[i].children:
            t = self.toks[c]
            if t.dep in skip or (t.dep == "conj" and t.pos != "NOUN"):
                continue
            if t.dep == "acl" and (t.tag not in ("VBG", "VBN") or any(
                    x.dep in ("nsubj", "nsubjpass", "aux", "auxpass") for x in self.children(c))
                    or self.subtree(c)[1] - self.subtree(c)[0] > 2):
                continue  # 'Belarusians living abroad', not 'men suspected of organising … on Tuesday'
            a, b = self.subtree(c)
            lo, hi = min(lo, a), max(hi, b)
        if with_conjuncts and hi > i:  # a coordination: up to the last conjunct's own description
            last = self.conjuncts(i)[-1]
            if last.i != i:
                hi = max(i, self.description(last.i)[1])
        while lo < i and (self.toks[lo].pos in ("PUNCT", "CCONJ") or (
                self.toks[lo].pos == "ADP" and self.toks[lo].lower != "at") or self.toks[lo].dep == "det"):
            lo += 1  # 'the people' -> 'people', but 'at least 40 people' stays
        while hi > i and self.toks[hi].pos in ("PUNCT", "CCONJ", "ADP"):
            hi -= 1
        if hi - lo >= 12:
            return self.np_core(i)
        return lo, hi

    def conjuncts(self, i: int) -> list[Token]:
        """i and the tokens coordinated with it ('X and Y', 'X, Y and Z')."""
        out = [self.toks[i]]
        k = 0
        while k < len(out):
            out.extend(t for t in self.children(out[k].i, "conj") if t not in out)
            k += 1
        return out

    def prep_objects(self, i: int, *preps: str) -> list[Token]:
        """The objects of i's prepositions among `preps` ('call on X', 'solidarity with X')."""
        out = []
        for p in self.children(i, "prep", "agent", "dative"):
            if p.lower in preps or (p.dep == "agent" and "by" in preps):
                out.extend(self.children(p.i, "pobj"))
        return out

    def subject(self, i: int) -> Token | None:
        return self.nearest_child(i, "nsubj", "csubj", "nsubjpass")

    def nearest_child(self, i: int, *deps: str) -> Token | None:
        """The child with one of `deps` nearest before i (else the first after it): a misparsed
        dateline ('MINSK (Sputnik) – … the West introduced') can be a second subject."""
        kids = self.children(i, *deps)
        before = [k for k in kids if k.i < i]
        return before[-1] if before else (kids[0] if kids else None)

    def is_passive(self, i: int) -> bool:
        return any(t.dep in ("nsubjpass", "auxpass") for t in self.children(i))

    def stative_passive(self, i: int) -> bool:
        """A participle after a copula-like verb ('stands accused of', 'remains detained')."""
        t = self.toks[i]
        return t.tag == "VBN" and t.dep in ("acomp", "xcomp", "oprd") and t.head != i and \
            self.toks[t.head].lemma in ("be", "stand", "remain", "get", "become", "seem", "appear", "stay")

    def verb_chain(self, i: int) -> list[Token]:
        """i and the verbs it hangs from as an xcomp ('has not decided to send' → send, decide)."""
        out = [self.toks[i]]
        t = self.toks[i]
        while t.dep == "xcomp" and t.head != t.i:
            t = self.toks[t.head]
            out.append(t)
        return out
