"""Trigger lexicons: YAML files, validation, pattern compilation and matching.

One YAML file per event type (``data/triggers/<type>.yaml``) plus ``cues.yaml`` for the
discourse cues (reporting verbs, negation, modality, time cues). Users add files of either
kind with ``--triggers``. See docs/events.md for the format.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from claimscope.errors import DataFileError
from claimscope.events.ontology import AUX, CONTEXTS, MODES, TYPES

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "triggers"

_ENTRY_KEYS = {"verb", "noun", "phrase", "mode", "contexts", "aux", "negated", "negated_mode",
               "request_mode", "frame", "content", "confidence", "note", "passive", "verb_only"}
_KIND_KEYS = ("verb", "noun", "phrase")
_CUE_KEYS = {"reporting", "negators", "negating_verbs", "negating_phrases", "support_verbs", "occurrence_verbs", "enabling_verbs", "future",
             "hypothetical", "historical",
             "modal_request", "not_negation"}
_BREAK = frozenset(".;:!?")
_QUOTE_MARKS = frozenset('"“”«»„')
_APOS = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})

TOKEN_RE = re.compile(r"\w+(?:['’ʼ\-‑]\w+)*(?:['’]s\b)?|[^\w\s]", re.UNICODE)


def norm(word: str) -> str:
    return word.translate(_APOS).replace("‑", "-").lower()


@dataclass(slots=True)
class Element:
    forms: frozenset[str] | None  # None for a gap
    optional: bool = False
    gap: int = 0
    head: bool = False
    base: frozenset[str] = frozenset()  # the lemma(s) an inflected element matches


@dataclass(slots=True)
class Trigger:
    type: str
    mode: str | None
    kind: str  # verb, noun, phrase
    pattern: str
    elements: list[Element]
    contexts: list[str] = field(default_factory=list)
    aux: list[str] = field(default_factory=list)
    negated: str | None = None
    negated_mode: str | None = None
    request_mode: str | None = None
    frame: bool = False
    content: bool = False  # a content verb: inside a request/accusation it is the object
    passive: bool = False  # the subject undergoes it ('be in prison'): coded as a passive
    verb_only: bool = False  # never read as a noun ('sanctioned entities', 'the targeting of')
    confidence: float = 0.7
    source: str = ""
    priority: tuple[int, int] = (0, 0)


@dataclass(slots=True)
class Match:
    trigger: Trigger
    start: int  # token index
    end: int  # token index, exclusive
    head: int  # token index of the inflected word


@dataclass
class Cues:
    reporting: set[str] = field(default_factory=set)
    negators: set[str] = field(default_factory=set)
    negating_verbs: set[str] = field(default_factory=set)
    support_verbs: set[str] = field(default_factory=set)
    occurrence_verbs: set[str] = field(default_factory=set)
    enabling_verbs: set[str] = field(default_factory=set)
    negating_phrases: list[tuple[str, ...]] = field(default_factory=list)
    future: list[tuple[str, ...]] = field(default_factory=list)
    hypothetical: list[tuple[str, ...]] = field(default_factory=list)
    historical: list[tuple[str, ...]] = field(default_factory=list)
    modal_request: list[tuple[str, ...]] = field(default_factory=list)
    not_negation: list[tuple[str, ...]] = field(default_factory=list)


class Lexicon:
    """All triggers, indexed by the forms of their first word, plus the discourse cues."""

    def __init__(self, triggers: list[Trigger], cues: Cues):
        self.triggers = triggers
        self.cues = cues
        # first word form -> (trigger, the words its next required element can be): a trigger
        # is tried only when the sentence has one of those words (most are skipped this way)
        self.index: dict[str, list[tuple[Trigger, frozenset[str] | None]]] = {}
        for t in triggers:
            required = next((e.forms for e in t.elements[1:] if e.forms is not None and not e.optional), None)
            for f in t.elements[0].forms or ():
                self.index.setdefault(f, []).append((t, required))

    def __len__(self) -> int:
        return len(self.triggers)

    def match(self, words: list[str], lemmas: list[str], pos: list[str] | None = None) -> list[Match]:
        """Every trigger occurrence in a parsed sentence (lower-cased normalised words and their
        lemmas), with overlaps resolved in favour of the more specific pattern. An inflected
        pattern word matches by lemma, a literal one by its form. With parts of speech, a noun
        pattern does not match where its last word is a verb ('a drone struck')."""
        found: list[Match] = []
        index = self.index
        n = len(words)
        present = set(words) | set(lemmas)
        for i in range(n):
            cands = index.get(words[i], ()) if words[i] == lemmas[i] else \
                index.get(words[i], []) + index.get(lemmas[i], [])
            if not cands:
                continue
            for t, required in cands:
                if required is not None and present.isdisjoint(required):
                    continue
                r = _match_from(t.elements, 0, words, lemmas, i, n)
                if r is not None:
                    end, head = r
                    if pos is not None and t.kind == "noun" and pos[end - 1] in ("VERB", "AUX"):
                        continue
                    found.append(Match(t, i, end, head if head >= 0 else i))
        if len(found) < 2:
            return found
        found.sort(key=lambda m: (-m.trigger.priority[0], -(m.end - m.start), -m.trigger.priority[1], m.start))
        kept: list[Match] = []
        taken: set[int] = set()
        for m in found:
            toks = set(range(m.start, m.end))
            if toks & taken:
                continue
            kept.append(m)
            taken |= toks
        kept.sort(key=lambda m: m.start)
        return kept


def _match_from(elems: list[Element], k: int, words: list[str], lemmas: list[str], i: int,
                n: int) -> tuple[int, int] | None:
    if k == len(elems):
        return i, -1
    e = elems[k]
    if e.forms is None:  # gap: shortest first, never across a clause break; quote marks and figures are free
        g = used = 0
        while True:
            r = _match_from(elems, k + 1, words, lemmas, i + g, n)
            if r is not None:
                return r
            if i + g >= n or words[i + g] in _BREAK:
                return None
            used += words[i + g] not in _QUOTE_MARKS and not words[i + g].replace(",", "").isdigit()
            if used > e.gap:
                return None
            g += 1
    if i < n and (words[i] in e.forms or (e.base and lemmas[i] in e.base)):
        r = _match_from(elems, k + 1, words, lemmas, i + 1, n)
        if r is not None:
            return r[0], (i if e.head else r[1])
    if e.optional:
        return _match_from(elems, k + 1, words, lemmas, i, n)
    return None


def compile_pattern(pattern: str, kind: str) -> list[Element]:
    """``verb``: first word matched by lemma; ``noun``: last word matched by lemma; ``phrase``:
    literal, except words marked ``+`` or ``~`` (matched by lemma). ``a|b`` alternatives,
    ``word?`` optional, ``*`` / ``*N`` a gap of up to 4 / N words."""
    raw = pattern.split()
    if not raw:
        raise ValueError("empty pattern")
    elems: list[Element] = []
    words_idx = [j for j, w in enumerate(raw) if not w.startswith("*")]
    if not words_idx:
        raise ValueError("pattern has no word")
    for j, w in enumerate(raw):
        if w.startswith("*"):
            num = w[1:]
            if num and not num.isdigit():
                raise ValueError(f"bad gap {w!r}")
            elems.append(Element(None, gap=int(num) if num else 4))
            continue
        optional = w.endswith("?")
        w = w.rstrip("?")
        mark = ""
        if w[:1] in "+~":
            mark, w = w[0], w[1:]
        if kind == "verb" and j == words_idx[0]:
            mark = mark or "+"
        if kind == "noun" and j == words_idx[-1]:
            mark = mark or "~"
        alts = [norm(a) for a in w.strip("()").split("|") if a]
        if not alts:
            raise ValueError(f"bad word {w!r}")
        forms = set(alts)  # an inflected word also matches its lemma through `base`
        heads_so_far = any(x.head for x in elems)
        elems.append(Element(frozenset(forms), optional=optional, head=(mark == "+" and not heads_so_far),
                             base=frozenset(alts) if mark else frozenset()))
    if elems[0].forms is None or elems[0].optional:
        raise ValueError("a pattern must start with a required word")
    if elems[-1].forms is None:
        raise ValueError("a pattern must not end with a gap")
    if not any(e.head for e in elems):
        elems[0].head = True
    return elems


def _fail(path: Path, entry: Any, fld: str | None, problem: str) -> DataFileError:
    return DataFileError(str(path), entry, fld, problem)


def _load_type_file(path: Path, data: dict, user: int) -> list[Trigger]:
    etype = data.get("type")
    if etype not in TYPES:
        raise _fail(path, None, "type", f"unknown event type {etype!r} (known: {', '.join(sorted(TYPES))})")
    entries = data.get("triggers")
    if not isinstance(entries, list):
        raise _fail(path, None, "triggers", "must be a list of entries")
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise _fail(path, None, "defaults", "must be a mapping")
    out: list[Trigger] = []
    for n, raw in enumerate(entries, 1):
        if isinstance(raw, str):
            raw = {"verb": raw}
        if not isinstance(raw, dict):
            raise _fail(path, n, None, "an entry must be a mapping (or a verb string)")
        e = {**defaults, **raw}
        label = f"{n} ({next((str(e[k]) for k in _KIND_KEYS if k in e), '?')})"
        unknown = set(e) - _ENTRY_KEYS
        if unknown:
            raise _fail(path, label, sorted(unknown)[0], "unknown field")
        kinds = [k for k in _KIND_KEYS if k in raw]
        if len(kinds) != 1:
            raise _fail(path, label, "verb", "exactly one of verb, noun, phrase is required")
        kind = kinds[0]
        pats = e[kind]
        if isinstance(pats, str):
            pats = [pats]
        if not isinstance(pats, list) or not pats or not all(isinstance(p, str) and p.strip() for p in pats):
            raise _fail(path, label, kind, "must be a non-empty string or list of strings")
        mode = e.get("mode")
        if mode is not None and mode not in MODES[etype]:
            valid = ", ".join(sorted(MODES[etype])) or "none"
            raise _fail(path, label, "mode", f"{mode!r} is not a mode of {etype} (valid: {valid})")
        contexts = e.get("contexts") or []
        if not isinstance(contexts, list):
            raise _fail(path, label, "contexts", "must be a list")
        for c in contexts:
            if c not in CONTEXTS:
                raise _fail(path, label, "contexts", f"unknown context {c!r}")
        aux = e.get("aux") or []
        if not isinstance(aux, list):
            raise _fail(path, label, "aux", "must be a list")
        for a in aux:
            if a not in AUX:
                raise _fail(path, label, "aux", f"unknown auxiliary mode {a!r} (valid: {', '.join(sorted(AUX))})")
        negated = e.get("negated")
        if negated is not None and negated not in TYPES:
            raise _fail(path, label, "negated", f"unknown event type {negated!r}")
        nmode = e.get("negated_mode")
        if nmode is not None and (negated is None or nmode not in MODES[negated]):
            raise _fail(path, label, "negated_mode", f"{nmode!r} is not a mode of {negated}")
        rmode = e.get("request_mode")
        if rmode is not None and rmode not in MODES["REQUEST"]:
            raise _fail(path, label, "request_mode", f"{rmode!r} is not a REQUEST mode")
        for b in ("frame", "content", "passive", "verb_only"):
            if b in e and not isinstance(e[b], bool):
                raise _fail(path, label, b, "must be true or false")
        conf = e.get("confidence", 0.7)
        if not isinstance(conf, (int, float)) or not 0 <= conf <= 1:
            raise _fail(path, label, "confidence", "must be a number between 0 and 1")
        for p in pats:
            try:
                elems = compile_pattern(p, kind)
            except ValueError as exc:
                raise _fail(path, label, kind, f"bad pattern {p!r}: {exc}") from None
            literal = sum(1 for x in elems if x.forms is not None and not x.optional)
            out.append(Trigger(
                type=etype, mode=mode, kind=kind, pattern=p, elements=elems,
                contexts=list(contexts), aux=list(aux), negated=negated, negated_mode=nmode,
                request_mode=rmode, frame=bool(e.get("frame", etype in ("REQUEST", "ASSERT"))),
                content=bool(e.get("content", False)), passive=bool(e.get("passive", False)),
                verb_only=bool(e.get("verb_only", False)),
                confidence=float(conf), source=str(path), priority=(literal, user),
            ))
    return out


def _phrases(path: Path, key: str, value: Any) -> list[tuple[str, ...]]:
    """A cue list: each item a phrase string ("going to") or a list of words."""
    if not isinstance(value, list):
        raise _fail(path, None, key, "must be a list of phrases")
    out = []
    for n, v in enumerate(value, 1):
        if isinstance(v, list) and v and all(isinstance(w, str) and w.strip() for w in v):
            out.append(tuple(norm(w) for w in v))
        elif isinstance(v, str) and v.strip():
            out.append(tuple(norm(w) for w in v.split()))
        else:
            raise _fail(path, n, key, "a cue must be a non-empty string or list of words")
    return out


def _load_cues(path: Path, data: dict, cues: Cues) -> None:
    for key, value in data.items():
        if key not in _CUE_KEYS:
            raise _fail(path, None, key, f"unknown cue list (known: {', '.join(sorted(_CUE_KEYS))})")
        phrases = _phrases(path, key, value)
        if key in ("reporting", "negating_verbs", "support_verbs", "occurrence_verbs", "enabling_verbs"):
            for p in phrases:
                if len(p) != 1:
                    raise _fail(path, None, key, f"{' '.join(p)!r}: one verb lemma per line")
                getattr(cues, key).add(p[0])  # lemmas
        elif key == "negators":
            cues.negators.update(p[0] for p in phrases if len(p) == 1)
        else:
            getattr(cues, key).extend(phrases)


def load_lexicon(extra_files: list[Path] | None = None) -> Lexicon:
    """Load the built-in trigger files, then the user's; raise DataFileError on a bad entry."""
    files = sorted(DATA_DIR.glob("*.yaml"))
    user_files = [Path(p) for p in (extra_files or [])]
    triggers: list[Trigger] = []
    cues = Cues()
    for user, path in [(0, f) for f in files] + [(1, f) for f in user_files]:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise _fail(path, None, None, f"cannot read: {exc.strerror or exc}") from None
        except yaml.YAMLError as exc:
            raise _fail(path, None, None, f"not valid YAML: {exc}") from None
        if not isinstance(data, dict):
            raise _fail(path, None, None, "must be a mapping with 'type' and 'triggers' (or cue lists)")
        if "type" in data or "triggers" in data:
            extra = set(data) - {"type", "triggers", "defaults", "description"}
            if extra:
                raise _fail(path, None, sorted(extra)[0], "unknown top-level field")
            triggers.extend(_load_type_file(path, data, user))
        else:
            _load_cues(path, data, cues)
    return Lexicon(triggers, cues)
