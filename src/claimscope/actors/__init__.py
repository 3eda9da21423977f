"""actors stage: knowledge base, transliteration-aware keys, mention matching, linking.

    kb = load_kb([Path("my.yaml")])
    stage = ActorStage(kb)
    stage(doc)            # fills doc.mentions and doc.entities
    mentions_in(doc, a, b)
    stage.entity_by_id["blr-gov"]
"""
from __future__ import annotations

from .kb import Entry, KnowledgeBase, load_kb
from .keys import name_key, word_key
from .stage import ActorStage, mentions_in


def entity_by_id(kb: KnowledgeBase, eid: str) -> Entry | None:
    """The knowledge-base entry behind a linked entity id (None for unlinked `x:` ids)."""
    return kb.entries.get(eid)


__all__ = ["ActorStage", "Entry", "KnowledgeBase", "entity_by_id", "load_kb", "mentions_in",
           "name_key", "word_key"]
