"""A candidate mention while the actors stage works on a document."""
from __future__ import annotations

from dataclasses import dataclass

from .kb import Pattern


@dataclass(slots=True)
class Candidate:
    start_tok: int
    end_tok: int  # inclusive
    start: int
    end: int
    pattern: Pattern | None
    entity: str | None = None
    via: str = "name"
    fuzzy: bool = False
    inflected: bool = False  # some word is a case form of a name token (morph.py)
