"""events stage: trigger lexicons, argument roles, discourse structure, auxiliary modes."""
from __future__ import annotations

from pathlib import Path

from claimscope.model import Document


def load_lexicon(extra_files: list[Path] | None = None) -> dict:
    return {}


class EventStage:
    def __init__(self, lexicon: dict):
        self.lexicon = lexicon

    def __call__(self, doc: Document) -> Document:
        return doc
