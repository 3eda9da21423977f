"""The one place where the stages are composed: read → extract → segment → language →
time → actors → parse → events. Each stage is a plain function or a small callable over `Document`."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from claimscope.actors import ActorStage, load_kb
from claimscope.events import EventStage, load_lexicon
from claimscope.events.discourse import load_nouns
from claimscope.events.learned import DEFAULT_MODEL, TriggerModel
from claimscope.extract import extract, load_boilerplate
from claimscope.language import detect_language
from claimscope.model import Document, Failure, RawDocument
from claimscope.parse import Parser
from claimscope.read import ReadOptions, iter_inputs
from claimscope.segment import segment
from claimscope.temporal import annotate_times, date_events


@dataclass
class PipelineConfig:
    kb_files: list[Path] = field(default_factory=list)
    boilerplate_files: list[Path] = field(default_factory=list)
    lexicon_files: list[Path] = field(default_factory=list)
    nlp: str | None = None  # spaCy pipeline name or path (default: $CLAIMSCOPE_NLP, en_core_web_sm)
    model: Path | None = DEFAULT_MODEL  # trained trigger model (None: rules only)
    combine: str = "both"  # rules, model or both
    read: ReadOptions = field(default_factory=ReadOptions)
    # amplification guards (docs/reliability.md): the parser's cost grows with sentence length
    # and the per-document work with the number of lines and sentences; beyond these a
    # document fails with the reason
    max_sentence_chars: int = 10_000
    max_sentences: int = 50_000
    max_lines: int = 100_000


@dataclass(frozen=True, slots=True)
class AlreadyStored:
    """A document that `run` did not analyse because its content id is already stored."""

    source: str
    id: str


class Pipeline:
    """Loads the data files once, then analyses any number of documents."""

    def __init__(self, config: PipelineConfig | None = None):
        self.config = config or PipelineConfig()
        self.boilerplate = load_boilerplate(self.config.boilerplate_files)
        self.actors = ActorStage(load_kb(self.config.kb_files))
        self.parser = Parser(self.config.nlp)
        model = TriggerModel.load(self.config.model) if self.config.model and (
            self.config.model != DEFAULT_MODEL or DEFAULT_MODEL.exists()) else None
        self.events = EventStage(load_lexicon(self.config.lexicon_files), load_nouns(), model, self.config.combine)
        # after extract, in order; time runs before actors: roles are resolved at the doc's date
        self.stages: list[tuple[str, Callable[[Document], Document]]] = [
            ("segment", segment),
            ("size guard", self.check_size),
            ("language", detect_language),
            ("time", annotate_times),
            ("actors", self.actors),
            ("parse", self.parser),
            ("events", self.events),
            ("event dates", date_events),  # the date each event's sentence states, else published
        ]

    def check_size(self, doc: Document) -> Document:
        """ValueError for documents whose sentences would make the parser run for minutes."""
        limit, most = self.config.max_sentence_chars, self.config.max_sentences
        if len(doc.sentences) > most:
            raise ValueError(f"too many sentences: {len(doc.sentences):,} > limit {most:,}")
        longest = max(doc.sentences, key=lambda s: s.end - s.start, default=None)
        if longest is not None and longest.end - longest.start > limit:
            raise ValueError(f"sentence {longest.id} is {longest.end - longest.start:,} characters long "
                             f"(limit {limit:,}): not prose, or lines without punctuation")
        return doc

    def extract(self, raw: RawDocument) -> Document:
        return extract(raw, self.boilerplate, self.config.max_lines)

    def analyze(self, raw: RawDocument) -> Document:
        return self.complete(self.extract(raw))

    def complete(self, doc: Document) -> Document:
        """Run the stages after extraction."""
        for _, stage in self.stages:
            stage(doc)
        return doc

    def run(self, inputs: Iterable[str], known: Callable[[str], bool] | None = None
            ) -> Iterator[Document | Failure | AlreadyStored]:
        """Analyse every input; a bad document becomes a `Failure`, never an exception.
        With `known`, a document whose content id it accepts is yielded as `AlreadyStored`
        right after extraction (cheap), so a rerun does not analyse it again."""
        for item in iter_inputs(inputs, self.config.read):
            if isinstance(item, Failure):
                yield item
                continue
            try:
                doc = self.extract(item)
                if known is not None and known(doc.id):
                    yield AlreadyStored(doc.source, doc.id)
                    continue
                yield self.complete(doc)
            except ValueError as exc:  # stages raise ValueError for bad content
                yield Failure(item.source, "analyze", str(exc))
            except Exception as exc:  # noqa: BLE001 - a bug on one document must not end the batch
                yield Failure(item.source, "analyze", f"internal error: {exc.__class__.__name__}: {exc}")
