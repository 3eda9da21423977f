"""SPEC §2 ontology: PLOVER 2.0 event types with their modes, the ASSERT extension,
contexts, auxiliary modes and actor sectors. The lexicon loader validates every entry against
these. No imports: scripts/check_gold.py loads this file on its own."""
from __future__ import annotations

MODES: dict[str, frozenset[str]] = {
    "AGREE": frozenset(),
    "CONSULT": frozenset({"visit", "third-party", "multilateral", "phone"}),
    "SUPPORT": frozenset(),
    "CONCEDE": frozenset(),
    "COOPERATE": frozenset(),
    "AID": frozenset(),
    "RETREAT": frozenset({"withdraw", "release", "disarm", "ceasefire", "access", "resign"}),
    "REQUEST": frozenset({"assist", "change", "yield", "meet"}),
    "ACCUSE": frozenset({"disapprove", "investigate", "allege"}),
    "REJECT": frozenset({"assist", "change", "yield", "meet"}),
    "THREATEN": frozenset({"restrict", "arrest", "relations", "expel", "territory", "violence"}),
    "PROTEST": frozenset({"demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"}),
    "SANCTION": frozenset({"convict", "expel", "withdraw", "discontinue"}),
    "MOBILIZE": frozenset({"troops", "weapons", "police", "militia"}),
    "COERCE": frozenset({"seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport",
                         "withhold", "misinformation", "cyber"}),
    "ASSAULT": frozenset({"abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive",
                          "firearms", "explosives", "suicide-attack", "aerial", "drone",
                          "heavy-weapons", "crowd-control", "unconventional"}),
    "ASSERT": frozenset(),
}
TYPES = frozenset(MODES)

CONTEXTS = frozenset("""military intelligence executive legislative election political_institutions
pro_democracy pro_autocracy economic legal reparations human_rights rights_freedoms repression
human_security gender lgbt religion_ethnicity inequality diplomatic territory peacekeeping health
asylum migration disasters natural_resource environment technology terrorism cbrn cyber
misinformation crime corruption illegal_drugs trafficking""".split())

AUX = frozenset({"negation", "hypothetical", "future", "historical"})

# PLOVER actor sector codes (SPEC §2); the knowledge base and the gold checker validate against them
SECTORS = frozenset("""COP GOV JUD LEG MIL PRM PTY REB SPY UAF UNK AGR BUS CRM CVL EDU ELI JRN LAB
MED REF OPP PRE REL SOC""".split())

# Types whose trigger is a speech act: it can frame a list (SPEC §3 rule 3), and a missing
# subject falls back to the current speaker of the text.
SPEECH_TYPES = frozenset({"REQUEST", "ACCUSE", "REJECT", "SUPPORT", "ASSERT", "AGREE", "THREATEN"})
