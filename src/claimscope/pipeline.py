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
            ("language", detect_language),
            ("time", annotate_times),
            ("actors", self.actors),
            ("parse", self.parser),
            ("events", self.events),
            ("event dates", date_events),  # the date each event's sentence states, else published
        ]

    def extract(self, raw: RawDocument) -> Document:
        return extract(raw, self.boilerplate)

    def analyze(self, raw: RawDocument) -> Document:
        doc = self.extract(raw)
        for _, stage in self.stages:
            stage(doc)
        return doc

    def run(self, inputs: Iterable[str]) -> Iterator[Document | Failure]:
        """Analyse every input; a bad document becomes a `Failure`, never an exception."""
        for item in iter_inputs(inputs, self.config.read):
            if isinstance(item, Failure):
                yield item
                continue
            try:
                yield self.analyze(item)
            except ValueError as exc:  # stages raise ValueError for bad content
                yield Failure(item.source, "analyze", str(exc))
            except Exception as exc:  # noqa: BLE001 - a bug on one document must not end the batch
                yield Failure(item.source, "analyze", f"internal error: {exc.__class__.__name__}: {exc}")
