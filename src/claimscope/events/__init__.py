"""events stage: trigger lexicons, argument roles, discourse structure, auxiliary modes.

`load_lexicon(extra_files)` loads and validates ``data/triggers/*.yaml`` plus user files;
`EventStage(lexicon)(doc)` fills ``doc.events``. See docs/events.md.
"""
from __future__ import annotations

from claimscope.events.lexicon import Cues, Lexicon, Match, Trigger, load_lexicon
from claimscope.events.stage import EventStage

__all__ = ["Cues", "EventStage", "Lexicon", "Match", "Trigger", "load_lexicon"]
