"""The learned trigger model: which tokens of a parsed sentence carry an event, and of what type.

A multinomial logistic regression over sparse binary features of each candidate token: its
lemma, part of speech and relation; its head's lemma and relation; its children's relations and
prepositions; the lemmas of its object and complement; negation and auxiliaries; whether a
lexicon trigger matched there (and which type), and whether another trigger governs it. Trained
by `claimscope train` (claimscope.train) from gold files; stored as a small .npz (the feature
vocabulary, the class labels and the weight matrix), read with numpy only: no pickle, no
scikit-learn at run time.

Candidates: every verb, every lexicon trigger head, and every noun or adjective whose lemma
was a trigger in the training data.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from claimscope.events.syntax import Tree

DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "data" / "models" / "triggers.npz"
NONE = "NONE"


def candidates(tree: Tree, rule_heads, trigger_lemmas: frozenset[str]) -> list[int]:
    out = []
    for t in tree.toks:
        if t.i in rule_heads or t.pos == "VERB" or (t.pos in ("NOUN", "ADJ") and t.lemma in trigger_lemmas):
            out.append(t.i)
    return out


def features(tree: Tree, i: int, rules: dict, kind: str = "sentence") -> list[str]:
    """Sparse binary features of token i (strings); `kind` is the sentence kind."""
    toks = tree.toks
    t = toks[i]
    h = toks[t.head]
    f = [f"kind={kind}", f"kind_p={kind}|{t.pos}", f"l={t.lemma}", f"p={t.pos}", f"d={t.dep}",
         f"ld={t.lemma}|{t.dep}", f"lp={t.lemma}|{t.pos}", f"hl={h.lemma}", f"hd={h.dep}", f"hp={h.pos}",
         f"dhl={t.dep}|{h.lemma}", f"tag={t.tag}"]
    if t.head == i:
        f.append("root")
    for c in tree.children(i):
        f.append(f"c={c.dep}")
        if c.dep == "prep":
            f.append(f"prep={c.lower}")
            f.append(f"lprep={t.lemma}|{c.lower}")
            for o in tree.children(c.i, "pobj"):
                f.append(f"pobj={c.lower}|{o.lemma}")
                if o.ent or o.pos == "PROPN":
                    f.append(f"pobj_name={c.lower}")
        elif c.dep in ("dobj", "attr", "acomp", "oprd"):
            f.append(f"obj={c.lemma}")
            f.append(f"lobj={t.lemma}|{c.lemma}")
        elif c.dep in ("xcomp", "ccomp"):
            f.append(f"comp={c.dep}|{c.lemma}")
            f.append(f"lcomp={t.lemma}|{c.dep}")
        elif c.dep in ("aux", "auxpass"):
            f.append(f"aux={c.lower}")
        elif c.dep == "neg":
            f.append("neg")
        elif c.dep == "det":
            f.append(f"det={c.lower}")
        elif c.dep == "poss":
            f.append("poss")
        elif c.dep in ("nsubj", "nsubjpass"):
            f.append(f"subj={c.dep}|{c.pos}")
            if c.lower in ("we", "i"):
                f.append("subj_first_person")
        elif c.dep == "prt":
            f.append(f"prt={t.lemma}|{c.lower}")
        elif c.dep == "mark":
            f.append(f"mark={c.lower}")
    anc = list(tree.ancestors(i))[:3]
    for k, a in enumerate(anc):
        f.append(f"a{k}={a.lemma}")
        if a.i in rules:
            f.append(f"gov={rules[a.i].type}")
            f.append(f"gov{k}={rules[a.i].type}|{t.dep}")
    if any(a.dep == "pobj" and toks[a.head].lower in ("since", "after", "during", "amid", "following", "before")
           for a in [t, *anc[:2]]):
        f.append("background_pp")
    f.append(f"path={t.dep}|{h.dep}")
    f.append(f"lh={t.lemma}|{h.lemma}")
    for j, q in rules.items():  # what else the sentence says ('condemned … the detention')
        if j != i:
            f.append(f"srule={q.type}")
    if i in rules:
        p = rules[i]
        f.append(f"rule={p.type}")
        f.append(f"rule_d={p.type}|{t.dep}")
        f.append(f"rule_p={p.type}|{t.pos}")
        f.append(f"rule_mode={p.type}|{p.mode}")
    else:
        f.append("norule")
    if i > 0:
        f.append(f"prev={toks[i - 1].lower}")
    if i + 1 < len(toks):
        f.append(f"next={toks[i + 1].lower}")
    f.append(f"first_word={toks[0].lower}" if i < 3 else "mid")
    return f


class TriggerModel:
    """A trained trigger classifier. `predict(tree, rules)` -> {token index: (type | None, prob)}."""

    def __init__(self, vocab: dict[str, int], labels: list[str], weights: np.ndarray, bias: np.ndarray,
                 trigger_lemmas: frozenset[str], veto: float = 0.9, add: float = 0.4):
        self.vocab = vocab
        self.labels = labels
        self.weights = weights  # (n_features, n_labels)
        self.bias = bias
        self.trigger_lemmas = trigger_lemmas
        self.veto = veto  # a rule match is dropped when P(no event) is at least this
        self.add = add  # an event only the model proposes needs P(no event) below this
        self.switch = 0.5  # a rule match takes the model's type when its probability is at least this
        self.none = labels.index(NONE)

    @classmethod
    def load(cls, path: Path | str = DEFAULT_MODEL) -> "TriggerModel":
        path = Path(path)
        try:
            z = np.load(path, allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise ValueError(f"cannot load trigger model {path}: {exc}") from None
        vocab = {str(k): n for n, k in enumerate(z["features"])}
        return cls(vocab, [str(x) for x in z["labels"]], z["weights"].astype(np.float32), z["bias"],
                   frozenset(str(x) for x in z["trigger_lemmas"]), float(z["veto"]), float(z["add"]))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        feats = np.array(sorted(self.vocab, key=self.vocab.get))
        np.savez_compressed(path, features=feats, labels=np.array(self.labels), weights=self.weights.astype(np.float16),
                            bias=self.bias, trigger_lemmas=np.array(sorted(self.trigger_lemmas)),
                            veto=np.float32(self.veto), add=np.float32(self.add))

    def probabilities(self, feats: list[list[str]]) -> np.ndarray:
        vocab = self.vocab
        scores = np.tile(self.bias, (len(feats), 1)).astype(np.float32)
        for r, fs in enumerate(feats):
            idx = [vocab[x] for x in fs if x in vocab]
            if idx:
                scores[r] += self.weights[idx].sum(axis=0)
        scores -= scores.max(axis=1, keepdims=True)
        e = np.exp(scores)
        return e / e.sum(axis=1, keepdims=True)

    def predict(self, tree: Tree, rules: dict, kind: str = "sentence") -> dict[int, tuple[str, float, float]]:
        """{token: (most probable event type, its probability, probability of no event)}."""
        cands = candidates(tree, rules, self.trigger_lemmas)
        if not cands:
            return {}
        probs = self.probabilities([features(tree, i, rules, kind) for i in cands])
        probs_events = probs.copy()
        probs_events[:, self.none] = -1.0
        out: dict[int, tuple[str, float, float]] = {}
        for i, row, ev in zip(cands, probs, probs_events):
            k = int(ev.argmax())
            out[i] = (self.labels[k], float(row[k]), float(row[self.none]))
        return out
