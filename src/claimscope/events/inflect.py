"""Small English inflection for trigger lemmas: verb forms and noun plurals.

Rule-based (no dependency); irregular verbs are listed. Both British and American
spellings of -ise/-ize verbs are generated, so a lexicon entry needs only one.
"""
from __future__ import annotations

IRREGULAR: dict[str, tuple[str, ...]] = {
    "be": ("is", "are", "was", "were", "been", "being", "am"),
    "have": ("has", "had", "having"),
    "do": ("does", "did", "done", "doing"),
    "go": ("goes", "went", "gone", "going"),
    "say": ("says", "said", "saying"),
    "tell": ("tells", "told", "telling"),
    "send": ("sends", "sent", "sending"),
    "strike": ("strikes", "struck", "stricken", "striking"),
    "shoot": ("shoots", "shot", "shooting"),
    "fight": ("fights", "fought", "fighting"),
    "seek": ("seeks", "sought", "seeking"),
    "hold": ("holds", "held", "holding"),
    "meet": ("meets", "met", "meeting"),
    "take": ("takes", "took", "taken", "taking"),
    "give": ("gives", "gave", "given", "giving"),
    "make": ("makes", "made", "making"),
    "bring": ("brings", "brought", "bringing"),
    "keep": ("keeps", "kept", "keeping"),
    "lead": ("leads", "led", "leading"),
    "leave": ("leaves", "left", "leaving"),
    "steal": ("steals", "stole", "stolen", "stealing"),
    "throw": ("throws", "threw", "thrown", "throwing"),
    "bear": ("bears", "bore", "borne", "bearing"),
    "beat": ("beats", "beaten", "beating"),
    "begin": ("begins", "began", "begun", "beginning"),
    "break": ("breaks", "broke", "broken", "breaking"),
    "choose": ("chooses", "chose", "chosen", "choosing"),
    "drive": ("drives", "drove", "driven", "driving"),
    "fall": ("falls", "fell", "fallen", "falling"),
    "forbid": ("forbids", "forbade", "forbidden", "forbidding"),
    "get": ("gets", "got", "gotten", "getting"),
    "hide": ("hides", "hid", "hidden", "hiding"),
    "know": ("knows", "knew", "known", "knowing"),
    "lay": ("lays", "laid", "laying"),
    "put": ("puts", "putting"),
    "set": ("sets", "setting"),
    "cut": ("cuts", "cutting"),
    "let": ("lets", "letting"),
    "quit": ("quits", "quitting"),
    "rid": ("rids", "ridding"),
    "shut": ("shuts", "shutting"),
    "spread": ("spreads", "spreading"),
    "stand": ("stands", "stood", "standing"),
    "understand": ("understands", "understood", "understanding"),
    "withdraw": ("withdraws", "withdrew", "withdrawn", "withdrawing"),
    "undertake": ("undertakes", "undertook", "undertaken", "undertaking"),
    "overthrow": ("overthrows", "overthrew", "overthrown", "overthrowing"),
    "seize": ("seizes", "seized", "seizing"),
    "sell": ("sells", "sold", "selling"),
    "sing": ("sings", "sang", "sung", "singing"),
    "speak": ("speaks", "spoke", "spoken", "speaking"),
    "swear": ("swears", "swore", "sworn", "swearing"),
    "sweep": ("sweeps", "swept", "sweeping"),
    "write": ("writes", "wrote", "written", "writing"),
    "feel": ("feels", "felt", "feeling"),
    "find": ("finds", "found", "finding"),
    "win": ("wins", "won", "winning"),
    "lose": ("loses", "lost", "losing"),
    "pay": ("pays", "paid", "paying"),
    "wage": ("wages", "waged", "waging"),
    "oversee": ("oversees", "oversaw", "overseen", "overseeing"),
    "see": ("sees", "saw", "seen", "seeing"),
    "undergo": ("undergoes", "underwent", "undergone", "undergoing"),
    "shake": ("shakes", "shook", "shaken", "shaking"),
    "come": ("comes", "came", "coming"),
    "become": ("becomes", "became", "becoming"),
    "run": ("runs", "ran", "running"),
    "hit": ("hits", "hitting"),
    "bind": ("binds", "bound", "binding"),
    "build": ("builds", "built", "building"),
    "spend": ("spends", "spent", "spending"),
    "lend": ("lends", "lent", "lending"),
    "fly": ("flies", "flew", "flown", "flying"),
    "blow": ("blows", "blew", "blown", "blowing"),
    "draw": ("draws", "drew", "drawn", "drawing"),
    "grow": ("grows", "grew", "grown", "growing"),
    "show": ("shows", "showed", "shown", "showing"),
    "rise": ("rises", "rose", "risen", "rising"),
    "arise": ("arises", "arose", "arisen", "arising"),
    "freeze": ("freezes", "froze", "frozen", "freezing"),
    "flee": ("flees", "fled", "fleeing"),
    "sit": ("sits", "sat", "sitting"),
    "bid": ("bids", "bidding"),
    "spit": ("spits", "spat", "spitting"),
    "swim": ("swims", "swam", "swum", "swimming"),
    "dig": ("digs", "dug", "digging"),
    "spin": ("spins", "spun", "spinning"),
    "split": ("splits", "splitting"),
    "upset": ("upsets", "upsetting"),
    "hang": ("hangs", "hung", "hanged", "hanging"),
    "hurt": ("hurts", "hurting"),
    "cast": ("casts", "casting"),
    "broadcast": ("broadcasts", "broadcasted", "broadcasting"),
    "ride": ("rides", "rode", "ridden", "riding"),
    "tear": ("tears", "tore", "torn", "tearing"),
    "wear": ("wears", "wore", "worn", "wearing"),
    "stick": ("sticks", "stuck", "sticking"),
    "catch": ("catches", "caught", "catching"),
    "teach": ("teaches", "taught", "teaching"),
    "buy": ("buys", "bought", "buying"),
    "think": ("thinks", "thought", "thinking"),
    "feed": ("feeds", "fed", "feeding"),
    "bleed": ("bleeds", "bled", "bleeding"),
    "slay": ("slays", "slew", "slain", "slaying"),
    "sink": ("sinks", "sank", "sunk", "sinking"),
    "bite": ("bites", "bit", "bitten", "biting"),
    "light": ("lights", "lit", "lighted", "lighting"),
    "deal": ("deals", "dealt", "dealing"),
    "mean": ("means", "meant", "meaning"),
    "read": ("reads", "reading"),
    "sleep": ("sleeps", "slept", "sleeping"),
    "forget": ("forgets", "forgot", "forgotten", "forgetting"),
    "forgive": ("forgives", "forgave", "forgiven", "forgiving"),
    "lie": ("lies", "lay", "lain", "lied", "lying"),
}
# prefixed verbs inflect like their base (withhold, uphold, overtake, overrun, mislead, rebuild)
_PREFIXES = ("with", "up", "over", "under", "mis", "out", "re", "fore")
_VOWELS = set("aeiou")
# Final-stressed verbs that double their last consonant (commit -> committed).
_DOUBLE = {"commit", "admit", "permit", "submit", "omit", "transmit", "ban", "bar", "stop", "plan",
           "drop", "rob", "kidnap", "grab", "ship", "tap", "step", "regret", "abet", "shut",
           "occur", "refer", "prefer", "confer", "deter", "compel", "expel", "repel", "propel",
           "control", "patrol", "equip", "jam", "slam", "scrap", "trap", "strip", "wrap", "sum",
           "star", "rebel", "outlaw", "beg", "drag", "tag", "nab", "spur", "blur", "stab", "flag",
           "transfer", "infer", "incur", "recur", "acquit", "outstrip", "overstep", "kidnap",
           "handicap", "embed", "unplug", "remit", "emit", "rebut", "abhor", "annul", "dispel"}
_NO_DOUBLE = {"outlaw"}


def _syllables(w: str) -> int:
    """Vowel groups ('slap' 1, 'transfer' 2); a closed monosyllable doubles its consonant."""
    n, prev = 0, False
    for ch in w:
        cur = ch in _VOWELS or (ch == "y" and n > 0)
        if cur and not prev:
            n += 1
        prev = cur
    return n


def _spellings(lemma: str) -> set[str]:
    out = {lemma}
    if lemma.endswith("ise") and len(lemma) > 4:
        out.add(lemma[:-3] + "ize")
    elif lemma.endswith("ize") and len(lemma) > 4:
        out.add(lemma[:-3] + "ise")
    if lemma.endswith("our"):
        out.add(lemma[:-3] + "or")
    return out


def verb_forms(lemma: str) -> set[str]:
    """All inflected forms of a single-word verb lemma (lower-case)."""
    forms: set[str] = set()
    for v in _spellings(lemma):
        forms.add(v)
        if v in IRREGULAR:
            forms.update(IRREGULAR[v])
            continue
        pre = next((x for x in _PREFIXES if v.startswith(x) and v[len(x):] in IRREGULAR
                    and len(v) - len(x) >= 3), None) if v not in ("relay", "outlay", "upsell") else None
        if pre is not None:
            forms.update(pre + f for f in IRREGULAR[v[len(pre):]])
            continue
        # third person
        if v.endswith(("s", "sh", "ch", "x", "z", "o")):
            forms.add(v + "es")
        elif v.endswith("y") and len(v) > 2 and v[-2] not in _VOWELS:
            forms.add(v[:-1] + "ies")
        else:
            forms.add(v + "s")
        # past / participle / gerund
        if v.endswith("ie"):
            forms.add(v + "d")
            forms.add(v[:-2] + "ying")
        elif v.endswith("e") and not v.endswith(("ee", "ye", "oe")):
            forms.add(v + "d")
            forms.add(v[:-1] + "ing")
        elif v.endswith("ee"):
            forms.add(v + "d")
            forms.add(v + "ing")
        elif v.endswith("y") and len(v) > 2 and v[-2] not in _VOWELS:
            forms.add(v[:-1] + "ied")
            forms.add(v + "ing")
        elif (v in _DOUBLE and v not in _NO_DOUBLE) or (
            len(v) >= 3 and v[-1] not in _VOWELS | {"w", "x", "y"} and v[-2] in _VOWELS
            and v[-3] not in _VOWELS and _syllables(v) == 1
        ):
            forms.add(v + v[-1] + "ed")
            forms.add(v + v[-1] + "ing")
            if v.endswith("l"):
                forms.add(v + "ed")
                forms.add(v + "ing")
        elif v.endswith("l") and len(v) > 3 and v[-2] in _VOWELS and v[-3] not in _VOWELS:
            forms.update({v + "ed", v + "ing", v + "led", v + "ling"})
        elif v.endswith("c"):
            forms.add(v + "ked")
            forms.add(v + "king")
        else:
            forms.add(v + "ed")
            forms.add(v + "ing")
    return forms


def noun_forms(lemma: str) -> set[str]:
    """Singular and plural of a noun (lower-case)."""
    forms: set[str] = set()
    for n in _spellings(lemma):
        forms.add(n)
        if n.endswith(("s", "sh", "ch", "x", "z")):
            forms.add(n + "es")
        elif n.endswith("y") and len(n) > 2 and n[-2] not in _VOWELS:
            forms.add(n[:-1] + "ies")
        else:
            forms.add(n + "s")
    return forms
