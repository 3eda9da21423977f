"""time stage: publication date and normalised time expressions."""
from __future__ import annotations

from claimscope.model import Document


def annotate_times(doc: Document) -> Document:
    return doc
