"""The typed document model every pipeline stage reads and enriches.

A stage takes a `Document` and returns it with more fields filled in. All offsets are
Python string indices into `Document.text`; `text[start:end]` equals the span's text.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

SCHEMA_ID = "claimscope.analysis/1"

SentenceKind = Literal["sentence", "list_item", "heading", "quote"]
EntityKind = Literal["person", "organization", "country", "igo", "group", "other"]
Aux = Literal["negation", "hypothetical", "future", "historical"]
PublishedFrom = Literal["metadata", "dateline", "text", "given", "none"]


@dataclass(slots=True)
class RawDocument:
    """What `read` yields: bytes (or already-decoded text) plus where they came from."""

    source: str
    data: bytes | None = None
    text: str | None = None  # set when the reader already has text (JSONL `text`, stdin decoded)
    media_type: str = "text/plain"  # text/plain or text/html
    meta: dict[str, Any] = field(default_factory=dict)  # url, title, published from JSONL/WARC


@dataclass(slots=True)
class Failure:
    """A document that could not be analysed, with a one-line reason."""

    source: str
    stage: str
    reason: str


@dataclass(slots=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Removed:
    text: str
    reason: str


@dataclass(slots=True)
class Sentence:
    id: int
    kind: SentenceKind
    start: int
    end: int
    parent: int | None = None


@dataclass(slots=True)
class Mention:
    """One place in the text that refers to an entity."""

    start: int
    end: int
    text: str
    entity: str  # Entity.id
    via: str = "name"  # name, alias, key, fuzzy, descriptor, adjective, pronoun, role-cue


@dataclass(slots=True)
class Entity:
    id: str
    name: str
    kind: EntityKind
    linked: bool
    aliases: list[str] = field(default_factory=list)
    country: str | None = None
    sector: str | None = None
    mentions: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class Role:
    """An argument of an event: an entity (or an unlinked description) and where it is."""

    entity: str | None
    name: str
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Event:
    id: str
    type: str
    mode: str | None
    span: Span
    trigger: Span
    sentence: int
    actor: Role | None = None
    recipients: list[Role] = field(default_factory=list)
    object: Role | None = None
    contexts: list[str] = field(default_factory=list)
    aux: list[str] = field(default_factory=list)
    date: str | None = None
    confidence: float = 0.5


@dataclass(slots=True)
class TimeExpression:
    start: int
    end: int
    text: str
    value: str | None
    granularity: str = "day"  # day, month, year, range, unknown


@dataclass(slots=True)
class Document:
    id: str
    source: str
    text: str
    media_type: str = "text/plain"
    title: str | None = None
    site: str | None = None
    author: str | None = None
    url: str | None = None
    published: str | None = None
    published_from: PublishedFrom = "none"
    language: str | None = None
    removed: list[Removed] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    times: list[TimeExpression] = field(default_factory=list)
    # sentence id -> parsed tokens (claimscope.parse.Token); working state, never serialised
    parses: dict[int, Any] = field(default_factory=dict)
    # metadata that was given but could not be used ("published 'spring 2021' is not a date");
    # reported by the caller (CLI summary, ingest page), never serialised
    warnings: list[str] = field(default_factory=list)

    def sentence_text(self, sentence: Sentence) -> str:
        return self.text[sentence.start:sentence.end]

    def span(self, start: int, end: int) -> Span:
        return Span(start, end, self.text[start:end])
