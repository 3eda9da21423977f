"""`claimscope eval`: score the pipeline against hand-coded gold documents (SPEC §5).

Gold file: JSON Lines, one document a line::

    {"file": "corpus/dev/007.txt", "published": "2022-02-22",
     "actors": [{"name": ..., "aliases": [...], "country": ..., "sector": ...}],
     "events": [{"where": ..., "type": ..., "mode": ..., "actor": ..., "recipients": [...],
                 "aux": [...], "contexts": [...]}],
     "times": [{"text": ..., "value": ...}]}

`file` is resolved relative to the gold file's directory, then its parent, then the current
directory. The document is read as raw text/plain bytes and run through `pipeline.analyze`.

Scoring (SPEC §5, the same everywhere):
- events: a gold event is *found* when an unused predicted event of the same type has a span whose
  text contains `where` (whitespace folded on both sides, case kept). Each predicted event matches
  at most one gold event. Gold events are matched in order; among several candidates the one whose
  trigger lies inside `where` is preferred, then the earliest.
- on found events: actor accuracy, recipient recall (and precision), mode accuracy, negation
  accuracy, accuracy per auxiliary mode, context precision/recall.
- names are compared folded (NFKD, combining marks dropped, ł→l, ø→o, ß→ss, curly apostrophes →
  ', lower case, whitespace folded); a predicted role matches a gold name when any of the
  predicted entity's name/aliases equals any of the gold actor's name/aliases (the gold entry in
  the document's `actors` list, or the gold string itself if it is not in the list).
- actors: precision/recall of the set of linked entities per document, micro-averaged.
- dates: share of documents whose predicted `published` equals gold `published` (None == None);
  documents whose gold line has no `published` key are not scored.
- times: precision/recall of `value` as a multiset per document, micro-averaged. Predicted time
  expressions with value None are unresolved and not counted.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

from claimscope.model import Document, Entity, Event, RawDocument, Role

AUX_VALUES = ("negation", "hypothetical", "future", "historical")

_WS = re.compile(r"\s+")
_SPECIAL = str.maketrans({
    "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "đ": "d", "Đ": "D", "æ": "ae", "Æ": "AE",
    "œ": "oe", "Œ": "OE", "ı": "i",
    "’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "′": "'",
    "“": '"', "”": '"', "„": '"', "«": '"', "»": '"',
    "‐": "-", "‑": "-", "–": "-", "—": "-",
})


class Analyzer(Protocol):
    def analyze(self, raw: RawDocument) -> Document: ...


# --------------------------------------------------------------------------- helpers

def fold_ws(s: str) -> str:
    """Whitespace folded (runs → one space, stripped); case kept."""
    return _WS.sub(" ", s).strip()


def fold_name(s: str | None) -> str:
    """Folded to lower-case ASCII where a Latin equivalent exists (other scripts are kept)."""
    if not s:
        return ""
    s = unicodedata.normalize("NFKD", s.translate(_SPECIAL))
    s = "".join(c for c in s if not unicodedata.combining(c))
    return fold_ws(s.translate(_SPECIAL)).lower()


def _ratio(num: float, den: float) -> float | None:
    return None if den == 0 else num / den


def _f1(p: float | None, r: float | None) -> float | None:
    if p is None or r is None:
        return None
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, Any]:
    p, r = _ratio(tp, n_pred), _ratio(tp, n_gold)
    return {"tp": tp, "pred": n_pred, "gold": n_gold, "precision": p, "recall": r, "f1": _f1(p, r)}


def _acc(correct: int, total: int) -> dict[str, Any]:
    return {"correct": correct, "total": total, "accuracy": _ratio(correct, total)}


def resolve_gold_file(gold_path: Path, file: str) -> Path:
    p = Path(file)
    if p.is_absolute():
        if p.exists():
            return p
    else:
        # the gold file's folder and its ancestors, then a `shared/` folder beside any of them
        # (repo gold files name texts of ../shared/corpus as "corpus/train/001.txt")
        ancestors = [gold_path.resolve().parent, *gold_path.resolve().parent.parents]
        for base in [*ancestors, Path.cwd(), *(a / "shared" for a in ancestors)]:
            cand = base / p
            if cand.exists():
                return cand
    raise FileNotFoundError(
        f"{gold_path}: gold file {file!r} not found relative to {gold_path.parent}, its parents, "
        f"a shared/ folder beside them, or {Path.cwd()}")


def read_gold(gold_path: Path) -> list[dict[str, Any]]:
    lines = []
    with open(gold_path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{gold_path}:{n}: not valid JSON: {exc}") from exc
            if "file" not in obj:
                raise ValueError(f"{gold_path}:{n}: gold line has no 'file'")
            lines.append(obj)
    return lines


# --------------------------------------------------------------------------- names

class _GoldNames:
    """Name sets of the gold actors of one document."""

    def __init__(self, actors: list[dict[str, Any]]):
        self.entries: list[set[str]] = []
        self._by_name: dict[str, set[str]] = {}
        self._by_alias: dict[str, set[str]] = {}
        for a in actors:
            names = {fold_name(a.get("name"))} | {fold_name(x) for x in a.get("aliases") or []}
            names.discard("")
            self.entries.append(names)
            self._by_name.setdefault(fold_name(a.get("name")), names)
            for n in names:
                self._by_alias.setdefault(n, names)

    def names(self, gold: str) -> set[str]:
        f = fold_name(gold)
        found = self._by_name.get(f) or self._by_alias.get(f)
        return (found | {f}) if found else {f}


def _entity_names(doc: Document) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for e in doc.entities:
        names = {fold_name(e.name)} | {fold_name(a) for a in e.aliases}
        names.discard("")
        out[e.id] = names
    return out


def _role_names(role: Role, ents: dict[str, set[str]]) -> set[str]:
    names = {fold_name(role.name)}
    if role.entity and role.entity in ents:
        names |= ents[role.entity]
    names.discard("")
    return names


def _is_null(role: Role | None) -> bool:
    return role is None or (not role.entity and not (role.name or "").strip())


# --------------------------------------------------------------------------- events

def where_regex(where: str) -> re.Pattern[str] | None:
    """A gold `where` as a pattern that matches it in the text whatever the whitespace."""
    parts = where.split()
    if not parts:
        return None
    return re.compile(r"\s+".join(re.escape(p) for p in parts))


def _span_text(doc: Document, ev: Event) -> str:
    s = ev.span
    if 0 <= s.start <= s.end <= len(doc.text):
        return doc.text[s.start:s.end]
    return s.text


def match_events(doc: Document, gold_events: list[dict[str, Any]]) -> list[int | None]:
    """For each gold event, the index of the predicted event it is matched to (or None)."""
    used: set[int] = set()
    folded = [fold_ws(_span_text(doc, ev)) for ev in doc.events]
    result: list[int | None] = []
    for g in gold_events:
        where = fold_ws(g.get("where") or "")
        gtype = g.get("type")
        cands = [i for i, ev in enumerate(doc.events)
                 if i not in used and ev.type == gtype and where and where in folded[i]]
        choice = None
        if len(cands) > 1:
            rx = where_regex(where)
            for i in cands:
                ev = doc.events[i]
                if rx is None:
                    break
                for m in rx.finditer(doc.text, max(0, ev.span.start), max(ev.span.end, 0)):
                    if m.start() <= ev.trigger.start and ev.trigger.end <= m.end():
                        choice = i
                        break
                if choice is not None:
                    break
        if choice is None and cands:
            choice = cands[0]
        if choice is not None:
            used.add(choice)
        result.append(choice)
    return result


# --------------------------------------------------------------------------- main

class _Acc:
    """Running counters of the whole evaluation."""

    def __init__(self) -> None:
        self.gold_by_type: Counter[str] = Counter()
        self.pred_by_type: Counter[str] = Counter()
        self.found_by_type: Counter[str] = Counter()
        self.actor = [0, 0]
        self.recip_tp = 0
        self.recip_gold = 0
        self.recip_pred = 0
        self.mode = [0, 0]
        self.aux = {a: [0, 0] for a in AUX_VALUES}
        self.aux_gold = Counter[str]()
        self.aux_pred = Counter[str]()
        self.aux_tp = Counter[str]()
        self.ctx_tp = self.ctx_gold = self.ctx_pred = 0
        self.ent_pred_tp = self.ent_pred = self.ent_gold_tp = self.ent_gold = 0
        self.dates = [0, 0]
        self.time_tp = self.time_pred = self.time_gold = 0
        self.confusion: Counter[tuple[str, str]] = Counter()  # (gold type, type predicted there)


def _score_document(doc: Document, gold: dict[str, Any], acc: _Acc) -> dict[str, Any]:
    gnames = _GoldNames(gold.get("actors") or [])
    ents = _entity_names(doc)
    gold_events = gold.get("events") or []
    for g in gold_events:
        acc.gold_by_type[g.get("type")] += 1
    for ev in doc.events:
        acc.pred_by_type[ev.type] += 1
    matches = match_events(doc, gold_events)
    found = 0
    missed: list[str] = []
    wrong_actor: list[dict[str, Any]] = []
    used_pred = {mi for mi in matches if mi is not None}
    folded = [fold_ws(_span_text(doc, ev)) for ev in doc.events]
    for g, mi in zip(gold_events, matches):
        if mi is None:
            missed.append(f"{g.get('type')}: {g.get('where')}")
            where = fold_ws(g.get("where") or "")
            other = next((i for i, f in enumerate(folded) if i not in used_pred and where and where in f), None)
            acc.confusion[(g.get("type"), doc.events[other].type if other is not None else "-")] += 1
            continue
        found += 1
        ev = doc.events[mi]
        acc.found_by_type[g.get("type")] += 1
        # actor
        gact = g.get("actor")
        if gact is None:
            ok = _is_null(ev.actor)
        else:
            ok = not _is_null(ev.actor) and bool(_role_names(ev.actor, ents) & gnames.names(gact))
        acc.actor[0] += ok
        acc.actor[1] += 1
        if not ok:
            wrong_actor.append({"where": g.get("where"), "gold": gact,
                                "pred": None if _is_null(ev.actor) else ev.actor.name,
                                "trigger": ev.trigger.text,
                                "pred_text": None if _is_null(ev.actor) else ev.actor.text})
        # recipients (one-to-one)
        pred_sets = [_role_names(r, ents) for r in ev.recipients if not _is_null(r)]
        used: set[int] = set()
        for grec in g.get("recipients") or []:
            names = gnames.names(grec)
            for j, ps in enumerate(pred_sets):
                if j not in used and ps & names:
                    used.add(j)
                    acc.recip_tp += 1
                    break
            acc.recip_gold += 1
        acc.recip_pred += len(pred_sets)
        # mode
        acc.mode[0] += (g.get("mode") or None) == (ev.mode or None)
        acc.mode[1] += 1
        # aux
        gaux, paux = set(g.get("aux") or []), set(ev.aux or [])
        for a in AUX_VALUES:
            acc.aux[a][0] += (a in gaux) == (a in paux)
            acc.aux[a][1] += 1
            acc.aux_gold[a] += a in gaux
            acc.aux_pred[a] += a in paux
            acc.aux_tp[a] += a in gaux and a in paux
        # contexts
        if "contexts" in g:
            gc, pc = set(g.get("contexts") or []), set(ev.contexts or [])
            acc.ctx_tp += len(gc & pc)
            acc.ctx_gold += len(gc)
            acc.ctx_pred += len(pc)
    # actors: linked entities vs gold actors
    linked = [ents.get(e.id, set()) for e in doc.entities if e.linked]
    gsets = gnames.entries
    acc.ent_pred += len(linked)
    acc.ent_pred_tp += sum(1 for ps in linked if any(ps & gs for gs in gsets))
    acc.ent_gold += len(gsets)
    acc.ent_gold_tp += sum(1 for gs in gsets if any(ps & gs for ps in linked))
    # publication date
    date_ok = None
    if "published" in gold:
        date_ok = (gold.get("published") or None) == (doc.published or None)
        acc.dates[0] += date_ok
        acc.dates[1] += 1
    # times
    gt = Counter(t.get("value") for t in gold.get("times") or [] if t.get("value") is not None)
    pt = Counter(t.value for t in doc.times if t.value is not None)
    ttp = sum((gt & pt).values())
    acc.time_tp += ttp
    acc.time_gold += sum(gt.values())
    acc.time_pred += sum(pt.values())
    return {
        "file": gold["file"],
        "events": {"gold": len(gold_events), "pred": len(doc.events), "found": found},
        "missed": missed,
        "wrong_actor": wrong_actor,
        "published": {"gold": gold.get("published"), "pred": doc.published,
                      "from": doc.published_from, "correct": date_ok},
        "times": {"gold": sorted(gt.elements()), "pred": sorted(pt.elements()), "tp": ttp},
    }


def evaluate_documents(pairs: Iterable[tuple[Document, dict[str, Any]]]) -> dict[str, Any]:
    """Score already analysed documents against their gold lines."""
    acc = _Acc()
    per_doc = [_score_document(doc, gold, acc) for doc, gold in pairs]
    types = sorted(set(acc.gold_by_type) | set(acc.pred_by_type))
    n_found = sum(acc.found_by_type.values())
    report: dict[str, Any] = {
        "documents": len(per_doc),
        "events": _prf(n_found, sum(acc.pred_by_type.values()), sum(acc.gold_by_type.values())),
        "per_type": {t: _prf(acc.found_by_type[t], acc.pred_by_type[t], acc.gold_by_type[t])
                     for t in types},
        "found": {
            "actor": _acc(*acc.actor),
            "recipients": {**_prf(acc.recip_tp, acc.recip_pred, acc.recip_gold)},
            "mode": _acc(*acc.mode),
            "negation": _acc(*acc.aux["negation"]),
            "aux": {a: {**_acc(*acc.aux[a]), "gold": acc.aux_gold[a], "pred": acc.aux_pred[a],
                        "tp": acc.aux_tp[a]} for a in AUX_VALUES},
            "contexts": _prf(acc.ctx_tp, acc.ctx_pred, acc.ctx_gold),
        },
        "actors": {
            "precision": _ratio(acc.ent_pred_tp, acc.ent_pred),
            "recall": _ratio(acc.ent_gold_tp, acc.ent_gold),
            "pred": acc.ent_pred, "pred_matched": acc.ent_pred_tp,
            "gold": acc.ent_gold, "gold_matched": acc.ent_gold_tp,
        },
        "dates": _acc(*acc.dates),
        "times": _prf(acc.time_tp, acc.time_pred, acc.time_gold),
        # missed gold events: the type an unmatched prediction over the same words had ("-": none)
        "confusion": {f"{g} -> {p}": n for (g, p), n in acc.confusion.most_common()},
        "per_document": per_doc,
    }
    report["actors"]["f1"] = _f1(report["actors"]["precision"], report["actors"]["recall"])
    return report


def evaluate(gold_path: Path, pipeline: Analyzer) -> dict[str, Any]:
    """Run `pipeline` on every gold document and score it (SPEC §5). JSON-serialisable."""
    gold_path = Path(gold_path)
    golds = read_gold(gold_path)
    pairs = []
    failures = []
    for gold in golds:
        path = resolve_gold_file(gold_path, gold["file"])
        raw = RawDocument(source=str(path), data=path.read_bytes(), media_type="text/plain")
        try:
            doc = pipeline.analyze(raw)
        except ValueError as exc:  # counted as an empty analysis, reported
            failures.append({"file": gold["file"], "reason": str(exc)})
            doc = Document(id=str(path), source=str(path), text="")
        pairs.append((doc, gold))
    report = evaluate_documents(pairs)
    report["gold"] = str(gold_path)
    report["failures"] = failures
    return report


def compare_gold(reference: Path, other: Path) -> dict[str, Any]:
    """Score a second annotator's gold file against a reference one (inter-annotator agreement)
    with exactly the rules used for the pipeline: each of `other`'s events becomes a predicted
    event whose span is the sentence holding its `where`, with its actors as linked entities."""
    from claimscope.extract import extract, load_boilerplate
    from claimscope.segment import segment

    reference, other = Path(reference), Path(other)
    theirs = {g["file"]: g for g in read_gold(other)}
    boilerplate = load_boilerplate([])
    pairs = []
    for gold in read_gold(reference):
        if gold["file"] not in theirs:
            continue
        path = resolve_gold_file(reference, gold["file"])
        doc = segment(extract(RawDocument(str(path), data=path.read_bytes()), boilerplate))
        pairs.append((_as_document(doc, theirs[gold["file"]]), gold))
    report = evaluate_documents(pairs)
    report["gold"] = f"{reference} (reference) vs {other}"
    report["failures"] = []
    return report


def _as_document(doc: Document, coded: dict[str, Any]) -> Document:
    """A gold line as if it were the pipeline's analysis of `doc`."""
    ids: dict[str, str] = {}
    for n, a in enumerate(coded.get("actors") or []):
        ids[a["name"]] = f"a{n}"
        doc.entities.append(Entity(f"a{n}", a["name"], "other", True, list(a.get("aliases") or []),
                                   a.get("country"), a.get("sector")))

    def role(name: str | None) -> Role | None:
        return None if name is None else Role(ids.get(name), name, 0, 0, name)

    for n, e in enumerate(coded.get("events") or []):
        rx = where_regex(e.get("where") or "")
        m = rx.search(doc.text) if rx is not None else None
        if m is None:
            continue
        sent = next((s for s in doc.sentences if s.start <= m.start() and m.end() <= s.end), None)
        span = doc.span(sent.start, sent.end) if sent else doc.span(m.start(), m.end())
        doc.events.append(Event(f"e{n}", e["type"], e.get("mode"), span, doc.span(m.start(), m.end()),
                                sent.id if sent else -1, actor=role(e.get("actor")),
                                recipients=[r for r in map(role, e.get("recipients") or []) if r],
                                contexts=list(e.get("contexts") or []), aux=list(e.get("aux") or [])))
    doc.published = coded.get("published")
    return doc


# --------------------------------------------------------------------------- table

def _fmt(x: float | None) -> str:
    return "   -" if x is None else f"{x:.3f}"


def render_table(report: dict[str, Any], per_document: bool = False) -> str:
    ev = report["events"]
    lines = [
        f"gold: {report.get('gold', '-')}   documents: {report['documents']}",
        "",
        f"EVENTS  gold {ev['gold']:4d}  pred {ev['pred']:4d}  found {ev['tp']:4d}   "
        f"P {_fmt(ev['precision'])}  R {_fmt(ev['recall'])}  F1 {_fmt(ev['f1'])}",
        "",
        f"{'type':<12}{'gold':>6}{'pred':>6}{'found':>7}{'P':>8}{'R':>8}{'F1':>8}",
        "-" * 55,
    ]
    for t, r in report["per_type"].items():
        lines.append(f"{t:<12}{r['gold']:>6}{r['pred']:>6}{r['tp']:>7}"
                     f"{_fmt(r['precision']):>8}{_fmt(r['recall']):>8}{_fmt(r['f1']):>8}")
    f = report["found"]
    lines += [
        "",
        "on found events",
        f"  actor accuracy      {_fmt(f['actor']['accuracy'])}  ({f['actor']['correct']}/{f['actor']['total']})",
        f"  recipient recall    {_fmt(f['recipients']['recall'])}  ({f['recipients']['tp']}/{f['recipients']['gold']})"
        f"   precision {_fmt(f['recipients']['precision'])}",
        f"  mode accuracy       {_fmt(f['mode']['accuracy'])}  ({f['mode']['correct']}/{f['mode']['total']})",
        f"  negation accuracy   {_fmt(f['negation']['accuracy'])}  ({f['negation']['correct']}/{f['negation']['total']})",
    ]
    for a, r in f["aux"].items():
        lines.append(f"  aux {a:<15} {_fmt(r['accuracy'])}  (gold {r['gold']}, pred {r['pred']}, both {r['tp']})")
    c = f["contexts"]
    lines.append(f"  contexts            P {_fmt(c['precision'])}  R {_fmt(c['recall'])}")
    a = report["actors"]
    d = report["dates"]
    t = report["times"]
    lines += [
        "",
        f"ACTORS  P {_fmt(a['precision'])}  R {_fmt(a['recall'])}  F1 {_fmt(a['f1'])}"
        f"  (pred {a['pred_matched']}/{a['pred']}, gold {a['gold_matched']}/{a['gold']})",
        f"DATES   accuracy {_fmt(d['accuracy'])}  ({d['correct']}/{d['total']})",
        f"TIMES   P {_fmt(t['precision'])}  R {_fmt(t['recall'])}  F1 {_fmt(t['f1'])}"
        f"  (tp {t['tp']}, pred {t['pred']}, gold {t['gold']})",
    ]
    confusion = [(k, n) for k, n in report.get("confusion", {}).items() if not k.endswith("-> -")]
    if confusion:
        lines += ["", "missed gold events predicted with another type (gold -> predicted):",
                  "  " + ", ".join(f"{k} {n}" for k, n in confusion[:16])]
    if report.get("failures"):
        lines.append(f"FAILURES {len(report['failures'])}: "
                     + "; ".join(f"{x['file']}: {x['reason']}" for x in report["failures"]))
    if per_document:
        lines += ["", f"{'file':<40}{'gold':>6}{'pred':>6}{'found':>7}  published (gold/pred)  times tp/gold/pred"]
        for pd in report["per_document"]:
            e, p, tm = pd["events"], pd["published"], pd["times"]
            lines.append(f"{pd['file'][-40:]:<40}{e['gold']:>6}{e['pred']:>6}{e['found']:>7}  "
                         f"{str(p['gold']):>10}/{str(p['pred']):<10}  "
                         f"{tm['tp']}/{len(tm['gold'])}/{len(tm['pred'])}")
    return "\n".join(lines)
