"""`claimscope train`: fit the trigger model (events/learned.py) on gold files.

Each gold document is analysed up to the parse; every candidate token gets a label: the gold
type when it is the trigger of a gold event, else NONE. A gold event's trigger is found in the
tokens its `where` covers: the lexicon trigger of the same type there, else the verb highest in
the tree, else the highest noun or adjective. Needs scikit-learn (`pip install -e '.[train]'`).
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np

from claimscope.evaluate import resolve_gold_file, where_regex
from claimscope.events.learned import NONE, TriggerModel, candidates, features
from claimscope.events.syntax import Tree
from claimscope.model import RawDocument

MIN_FEATURE_COUNT = 2


def _trigger_token(tree: Tree, lo: int, hi: int, etype: str, rules: dict) -> int | None:
    inside = [t for t in tree.toks if lo <= t.start and t.end <= hi]
    if not inside:
        return None
    same = [t.i for t in inside if t.i in rules and rules[t.i].type == etype]
    if same:
        return same[0]

    def depth(i: int) -> int:
        return sum(1 for _ in tree.ancestors(i))

    for pos in (("VERB",), ("NOUN", "ADJ", "PROPN")):
        cands = [t.i for t in inside if t.pos in pos]
        if cands:
            return min(cands, key=depth)
    return None


def examples(gold_files: list[Path], pipeline, lemmas_out: Counter | None = None):
    """Every gold document analysed up to the parse: [(labelled, sentences)], where labelled maps
    (sentence id, token) to the gold type of the event whose trigger it is, and sentences maps a
    sentence id to (tree, sentence kind, the lexicon's matches there)."""
    docs = []
    for gold in gold_files:
        for line in Path(gold).read_text(encoding="utf-8").splitlines():
            if line.strip():
                g = json.loads(line)
                docs.append((resolve_gold_file(gold, g["file"]), g))
    out = []
    for path, g in docs:
        doc = pipeline.analyze(RawDocument(str(path), data=path.read_bytes()))
        sentences = {}
        for s in doc.sentences:
            if s.id in doc.parses:
                tree = Tree(doc.parses[s.id])
                sentences[s.id] = (tree, s.kind, pipeline.events.rule_preds(tree))
        labelled: dict[tuple[int, int], str] = {}
        for ev in g.get("events", []):
            rx = where_regex(ev["where"])
            for s in doc.sentences:
                found = rx.search(doc.text, s.start, s.end) if rx is not None and s.id in sentences else None
                if found is None:
                    continue
                tree, _kind, rules = sentences[s.id]
                i = _trigger_token(tree, found.start(), found.end(), ev["type"], rules)
                if i is not None and (s.id, i) not in labelled:
                    labelled[(s.id, i)] = ev["type"]
                    if lemmas_out is not None and tree.toks[i].pos in ("NOUN", "ADJ"):
                        lemmas_out[tree.toks[i].lemma] += 1
                break
        out.append((labelled, sentences))
    return out


def build_matrix(docs, trigger_lemmas: frozenset[str]):
    rows: list[list[str]] = []
    labels: list[str] = []
    for labelled, sentences in docs:
        by_sentence: dict[int, dict[int, str]] = {}
        for (sid, i), label in labelled.items():
            by_sentence.setdefault(sid, {})[i] = label
        for sid, (tree, kind, rules) in sentences.items():
            gold = by_sentence.get(sid, {})
            for i in sorted(set(candidates(tree, rules, trigger_lemmas)) | set(gold)):
                rows.append(features(tree, i, rules, kind))
                labels.append(gold.get(i, NONE))
    return rows, labels


def train(gold_files: list[Path], out: Path, pipeline=None, c: float = 0.3, seed: int = 0,
          veto: float = 0.9, add: float = 0.4) -> dict:
    """Fit and save the model; return a summary (examples, labels, features)."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    if pipeline is None:
        from claimscope.pipeline import Pipeline, PipelineConfig

        pipeline = Pipeline(PipelineConfig(model=None))
    noun_lemmas: Counter = Counter()
    docs = examples(gold_files, pipeline, noun_lemmas)
    trigger_lemmas = frozenset(noun_lemmas)
    rows, labels = build_matrix(docs, trigger_lemmas)
    counts = Counter(f for r in rows for f in set(r))
    vocab = {f: n for n, f in enumerate(sorted(f for f, k in counts.items() if k >= MIN_FEATURE_COUNT))}
    data, indices, indptr = [], [], [0]
    for r in rows:
        idx = sorted({vocab[f] for f in r if f in vocab})
        indices.extend(idx)
        data.extend([1.0] * len(idx))
        indptr.append(len(indices))
    x = csr_matrix((np.array(data, dtype=np.float32), indices, indptr), shape=(len(rows), len(vocab)))
    clf = LogisticRegression(C=c, max_iter=2000, random_state=seed)
    clf.fit(x, labels)
    model = TriggerModel(vocab, [str(k) for k in clf.classes_], clf.coef_.T.astype(np.float32),
                         clf.intercept_.astype(np.float32), trigger_lemmas, veto=veto, add=add)
    model.save(out)
    return {"documents": len(docs), "examples": len(rows), "features": len(vocab),
            "labels": dict(Counter(labels)), "out": str(out)}
