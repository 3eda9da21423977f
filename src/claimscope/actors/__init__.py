"""actors stage: knowledge base, transliteration-aware keys, mention matching, linking."""
from __future__ import annotations

from pathlib import Path

from claimscope.model import Document


class KnowledgeBase:
    def __init__(self, entries: list[dict]):
        self.entries = entries


def load_kb(extra_files: list[Path] | None = None) -> KnowledgeBase:
    return KnowledgeBase([])


class ActorStage:
    def __init__(self, kb: KnowledgeBase):
        self.kb = kb

    def __call__(self, doc: Document) -> Document:
        return doc
