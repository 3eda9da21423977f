"""time stage: publication date and normalised time expressions (see docs/time.md).

`annotate_times(doc)` fills `doc.times` and, unless extract already set it from HTML metadata or a
JSONL/WARC field, `doc.published` / `doc.published_from` from the text:

- dateline   "February 24, BPN.", "MOSCOW, August 10. /TASS/.", "GENEVA (30 May 2023) –"
- text       a date alone on its own line; a date after a cue at the start of a line or in a
             header line ("posted 09 October 2022", "date 2024-08-25", "Approved … on
             19.08.2020"); a date in the title or first header lines that is not the object of a
             preposition ("OSCE Permanent Council No.1460 Vienna, 8 February 2024")

A date inside an ordinary narrative sentence is never the publication date. A dateline without a
year leaves `published` None but its month-day anchors relative expressions.

Values: "YYYY-MM-DD", "YYYY-MM", "YYYY", "--MM-DD" / "--MM" when the year is unknown (the
document's year completes them when it is known), "YYYY-Www" for weeks, "199" for decades.
Relative expressions that cannot be anchored are not reported.

`date_events(doc)` gives every event the date its sentence states, else the publication date;
`sentence_date(doc, start, end)` is the same for one span.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from claimscope.model import Document, TimeExpression

# --------------------------------------------------------------------------- lexicon

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}
_MONTH_ABBR = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
               "sept": 9, "oct": 10, "nov": 11, "dec": 12}
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
             "saturday": 5, "sunday": 6}
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
            "fifteen": 15, "twenty": 20, "thirty": 30, "a couple of": 2, "a few": 3}


def _alt(words) -> str:
    forms = []
    for w in sorted(words, key=len, reverse=True):
        forms += [w.capitalize(), w.upper()]
    return "|".join(forms)


_MON_FULL = rf"(?:{_alt(_MONTHS)})"
_MON_ABBR = "|".join(f"{a}\\.?" for a in _alt(_MONTH_ABBR).split("|"))
# one flat alternation of literals: lets the regex engine skip to candidate first letters
_MON = rf"(?P<mon>{_alt(_MONTHS)}|{_MON_ABBR})"
_WD = rf"(?:{_alt(_WEEKDAYS)})"
_DAY = r"(?P<d>\d\d?)(?:st|nd|rd|th)?"
_YEAR = r"(?P<y>1\d{3}|20\d{2})"
_NOT_NUM_AFTER = r"(?!\d|[.,]\d|\s*%|\s*per\s?cent)"
_NUM_WORDS = "|".join(sorted(_NUMBERS, key=len, reverse=True))

# Each pattern is a core that starts with a literal or a character class (so the regex engine
# can skip ahead quickly); optional words before it ("Wednesday, ", "mid-", "this ", "three")
# are matched backwards by _PREFIXES. Overlapping matches: leftmost-longest, then this order.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [(k, re.compile(p)) for k, p in [
    ("mdy", rf"{_MON}\s+{_DAY}(?:,\s*|\s+){_YEAR}\b{_NOT_NUM_AFTER}"),  # February 24, 2022
    ("dmy", rf"{_DAY}\s+(?:of\s+)?{_MON},?\s+{_YEAR}\b{_NOT_NUM_AFTER}"),  # 24 February 2022
    ("iso", r"(?P<y>(?:1[89]|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\d\-])"),  # 2022-02-24
    ("num", r"(?P<d>\d\d?)(?P<sep>[./])(?P<m>\d\d?)(?P=sep)(?P<y>(?:1[89]|20)\d\d)"
            r"(?!\d|[./]\d)"),  # 24.02.2022
    ("my", rf"{_MON},?\s+(?:of\s+)?{_YEAR}\b{_NOT_NUM_AFTER}"),
    ("md", rf"{_MON}\s+{_DAY}\b(?!\d|[.,:]\d)"),  # February 24, Aug. 9
    ("dm", rf"{_DAY}\s+(?:of\s+)?{_MON}(?![a-z])"),  # 24 February
    ("decade", r"(?P<dec>(?:1[5-9]|20)\d0)['’]?s\b"),  # 1990s
    ("year", r"(?P<y>1\d{3}|20\d{2})(?![\d\w%]|[.,]\d|/\d)"),  # 2020 (guards in code)
    ("month", rf"(?P<mon>{_MON_FULL})\b(?!\s*\d)"),  # May (context checked in code)
    ("ago", r"(?P<unit>day|week|month|year|decade)s?\s+ago\b"),  # (a year) ago
    ("yday", r"(?P<w>yesterday|Yesterday|tomorrow|Tomorrow|tonight|Tonight|this\s+morning|"
             r"This\s+morning|this\s+afternoon|this\s+evening|This\s+evening)\b"),
    ("rel", r"(?P<rel>last|Last|next|Next|this|This)\s+(?P<unit>week|month|year)\b"),  # last week
    ("wd", rf"(?P<wd>{_WD})\b"),  # Monday
]]
_PRIORITY = {k: i for i, (k, _) in enumerate(_PATTERNS)}
_ABSOLUTE = {"mdy", "dmy", "iso", "num", "my", "md", "dm", "decade", "year", "month"}
_P_WD = rf"(?P<wd>{_WD}),?\s+(?:the\s+)?"
_P_PRE = r"(?P<pre>early|mid|late|Early|Mid|Late)[- ]"
_PREFIXES: dict[str, tuple[re.Pattern[str], bool]] = {  # kind -> (backward regex, required)
    k: (re.compile(p), req) for k, p, req in [
        ("mdy", rf"(?:{_P_WD})$", False),
        ("dmy", rf"(?:{_P_WD}|the\s+)$", False),
        ("md", rf"(?:(?P<this>this|This)\s+)?(?:{_P_WD})?$", False),
        ("dm", rf"(?:{_P_WD}|the\s+)$", False),
        ("my", rf"{_P_PRE}$", False),
        ("month", rf"{_P_PRE}$", False),
        ("decade", r"(?:the|The)\s+$", False),
        ("ago", rf"(?P<n>(?i:{_NUM_WORDS})|\d{{1,3}})\s+$", True),
        ("rel", r"(?P<pre2>[Ee]arlier|[Ll]ater)\s+$", False),
        ("wd", r"(?P<mod>[Ll]ast|[Nn]ext|[Tt]his)\s+$", False),
    ]}
_BAD_BEFORE = {"year": ".,/#№$€£=_", "iso": ".,/-", "num": ".,/-", "dm": ".,", "dmy": ".,",
               "decade": ".,/$€£"}

_PREPOSITION_BEFORE = re.compile(
    r"(?:\b(?:of|on|since|from|after|before|until|till|to|in|by|between|and|at|during|"
    r"through|anniversary|dated|than|around|about|circa)\s+(?:the\s+)?)$", re.I)
_MONTH_CONTEXT = re.compile(
    r"(?:\b(?:in|since|until|till|by|from|of|during|through|throughout|last|next|this|before|"
    r"after|early|late|mid|end\s+of|beginning\s+of|middle\s+of|start\s+of)[\s-]+(?:the\s+)?)$",
    re.I)
_YEAR_BAD_BEFORE = re.compile(
    r"(?:\b(?:no|nos|number|id|article|art|paragraph|para|line|page|pp|p|item|room|flight|code|"
    r"tel|phone|ref|resolution|decree|order|case|file|box|route|version|model|iso|views?|likes?|"
    r"comments?|shares?|reads?|visitors?|copyright|than|about|around|nearly|almost|"
    r"approximately|some|least|total\s+of|over|up\s+to|roughly|estimated|only|just)\.?\s*[:#]?\s*"
    r"|©\s*|\(c\)\s*)$", re.I)
_YEAR_CUE_BEFORE = re.compile(
    r"(?:\b(?:in|since|of|from|until|till|by|year|before|after|between|and|to|during|the|"
    r"early|late|mid|spring|summer|autumn|fall|winter)[\s-]+)$", re.I)
_COUNT_AFTER = re.compile(
    r"\s*(?:people|persons|citizens|prisoners|detainees|troops|soldiers|servicemen|men|women|"
    r"children|refugees|migrants|protesters|demonstrators|victims|cases|km|kilomet(?:er|re)s|"
    r"met(?:er|re)s|tons|tonnes|dollars|euros|rubles|roubles|hryvnias?|zloty|times|units|"
    r"pieces|votes|signatures|members|participants|employees|workers|families|households|"
    r"residents|deaths|dead|killed|injured|wounded|arrests|deputies|vehicles|tanks|hours|"
    r"minutes|seconds|days|weeks|months|euro|usd|eur|byn|rub|uah|pln|mw|kw|sq)\b", re.I)
_HOLIDAY_BEFORE = re.compile(r"(?:\b(?:Good|Black|Bloody|Holy|Easter|Palm|Ash|Cyber|Super|Clean)\s+)$")
_NEWSPAPER_AFTER = re.compile(r"\s+(?:Times|Telegraph|Express|Post|Mail|Herald|Mirror|Star)\b")
_DURATION_BEFORE = re.compile(r"(?:\b(?:over|in|during|for|within|throughout)\s+the\s+)$", re.I)
_FUTURE_CUE = re.compile(r"\b(?:will|shall|to be held|is due|are due|scheduled|plans? to|is to|are to)\b", re.I)

_WIDGET_LINE = re.compile(
    r"(?:\b(?:USD|EUR|RUB|BYN|UAH|PLN|GBP|CHF|CNY)\b.*\b(?:USD|EUR|RUB|BYN|UAH|PLN|GBP|CHF|CNY)\b"
    r"|exchange\s+rates?|\bviews?\s*[:\d]|°C|\bweather\b)", re.I)

_CITY_PREFIX = re.compile(
    r"^[ \t\u00a0•\-*]*(?!(?:On|In|Since|By|From|Until|As|Before|After|At|The|This|Last|Next)\b)"
    r"(?:[A-ZÀ-Ž][\w.'’\- ]{1,40}?(?:,\s*[A-Z][\w'’ .\-]{1,30}?)?)?[,(]?\s*\(?$")
_DATELINE_SUFFIX = re.compile(
    r"^\)?\s*(?:[,.]\s*\(?/?[A-Z][\w&-]{1,20}(?:[ -][A-Z][\w&-]{1,20})?/?\)?\s*[.:\-–—]"
    r"|\)?\s*(?:\(|/)[A-Z][\w&-]{1,20}(?:[ -][A-Z][\w&-]{1,20})?(?:\)|/)\s*[.:\-–—]"
    r"|\)?\s*[,.]?\s*[-–—])")
_PUB_CUE = re.compile(
    r"\b(?P<cue>posted|published|publication\s+date|date\s+of\s+publication|released|issued|"
    r"updated|last\s+updated|modified|approved|adopted|created|date)\b", re.I)
_STANDALONE_REST = re.compile(
    r"^[\s\W]*?(?:(?:posted|published|updated|date|on)\b[\s:]*)*$"
    r"|^[\s,|–—\-]*(?:(?:at\s+)?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:[AaPp]\.?[Mm]\.?)?"
    r"(?:\s*\(?[A-Z]{2,5}\)?)?)?[\s|–—\-]*$")
_PLACEHOLDERS = {"1970-01-01", "1900-01-01", "0001-01-01"}
_HEADER_LINES = 6


@dataclass(slots=True)
class _Cand:
    kind: str
    start: int
    end: int
    y: int | None = None
    m: int | None = None
    d: int | None = None
    gran: str = "day"
    value: str | None = None
    rel: tuple | None = None  # relative spec, resolved against the anchor
    wd: int | None = None  # weekday named with an absolute date


# --------------------------------------------------------------------------- matching

def _month_num(s: str) -> int:
    s = s.rstrip(".").lower()
    return _MONTHS.get(s) or _MONTH_ABBR[s]


def _valid_day(y: int | None, m: int, d: int) -> bool:
    if not 1 <= m <= 12 or d < 1:
        return False
    try:
        date(y if y else 2000, m, d)
        return True
    except ValueError:
        return False


def _number(s: str) -> int:
    s = s.lower()
    return int(s) if s.isdigit() else _NUMBERS.get(s, 1)


def _scan(text: str) -> list[_Cand]:
    found: list[tuple[int, int, int, str, dict, int]] = []
    for kind, rx in _PATTERNS:
        prefix = _PREFIXES.get(kind)
        for m in rx.finditer(text):
            s, e = m.start(), m.end()
            g = m.groupdict()
            if prefix is not None:
                pm = prefix[0].search(text, max(0, s - 30), s)
                if pm is not None and pm.start() < pm.end():
                    s = pm.start()
                    g.update({k: v for k, v in pm.groupdict().items() if v is not None})
                elif prefix[1]:
                    continue
            if s > 0:
                prev = text[s - 1]
                if prev.isalnum() or (s == m.start() and prev in _BAD_BEFORE.get(kind, "")):
                    continue
            found.append((s, s - e, _PRIORITY[kind], kind, g, e))
    found.sort(key=lambda f: f[:3])
    out: list[_Cand] = []
    last_end = -1
    for start, _, _, kind, g, end in found:
        if start < last_end:
            continue
        c = _parse(kind, g, start, end, text)
        if c is None:
            continue
        out.append(c)
        last_end = c.end
    return out


def _parse(kind: str, g: dict, s: int, e: int, text: str) -> _Cand | None:
    wd = _WEEKDAYS[g["wd"].lower()] if g.get("wd") else None
    if kind in ("mdy", "dmy", "md", "dm", "iso", "num"):
        if kind in ("iso", "num"):
            mo, d = int(g["m"]), int(g["d"])
            if kind == "num" and g["sep"] == "/" and mo > 12 and d <= 12:
                mo, d = d, mo  # US order 02/24/2022
        else:
            mo, d = _month_num(g["mon"]), int(g["d"])
        y = int(g["y"]) if g.get("y") else None
        if not _valid_day(y, mo, d):
            return None
        return _Cand(kind, s, e, y, mo, d, "day", wd=wd)
    if kind == "my":
        return _Cand(kind, s, e, int(g["y"]), _month_num(g["mon"]), None, "month")
    if kind == "month":
        if not g.get("pre"):
            if not _MONTH_CONTEXT.search(text[max(0, s - 20):s]):
                return None
        return _Cand(kind, s, e, None, _month_num(g["mon"]), None, "month")
    if kind == "decade":
        dec = int(g["dec"])
        return _Cand(kind, s, e, gran="range", value=str(dec // 10))
    if kind == "year":
        y = int(g["y"])
        before = text[max(0, s - 30):s]
        if _YEAR_BAD_BEFORE.search(before) or _COUNT_AFTER.match(text, e):
            return None
        if s > 0 and text[s - 1] in "-–—" and not re.search(r"\d{4}\s*[-–—]$", before):
            return None
        if re.search(r"\d[ \u00a0]$", before):  # a digit group: "+375 29 123 2022"
            return None
        if y < 1900 and not _YEAR_CUE_BEFORE.search(before):
            return None
        if y > 2099:
            return None
        return _Cand(kind, s, e, y, None, None, "year")
    if kind == "ago":
        return _Cand(kind, s, e, rel=("ago", _number(g["n"]), g["unit"]))
    if kind == "yday":
        w = g["w"].lower()
        off = -1 if w == "yesterday" else 1 if w == "tomorrow" else 0
        return _Cand(kind, s, e, rel=("day", off))
    if kind == "rel":
        if _DURATION_BEFORE.search(text[max(0, s - 16):s]) and not g.get("pre2"):
            return None
        r = g["rel"].lower()
        off = -1 if r == "last" else 1 if r == "next" else 0
        return _Cand(kind, s, e, rel=(g["unit"], off))
    if kind == "wd":
        if _HOLIDAY_BEFORE.search(text[max(0, s - 10):s]) or _NEWSPAPER_AFTER.match(text, e):
            return None
        mod = (g.get("mod") or "").strip().lower()
        # "on Monday": keep the preposition in the text, as the codebook examples do
        if not mod and text[max(0, s - 3):s].lower() == "on ":
            s -= 3
        sent_start = max(text.rfind(". ", 0, s), text.rfind("\n", 0, s)) + 1
        future = bool(_FUTURE_CUE.search(text, sent_start, s)) if not mod else False
        return _Cand(kind, s, e, rel=("wd", _WEEKDAYS[g["wd"].lower()], mod, future))
    return None


# --------------------------------------------------------------------------- publication date

@dataclass(slots=True)
class _Anchor:
    """What relative expressions are anchored to: a full date, or a partial one."""

    y: int | None
    m: int | None
    d: int | None
    wd: int | None = None  # weekday when known (full date) or assumed (partial dateline)

    @property
    def full(self) -> date | None:
        if self.y and self.m and self.d:
            return date(self.y, self.m, self.d)
        return None


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    ls = text.rfind("\n", 0, pos) + 1
    le = text.find("\n", pos)
    return ls, (len(text) if le < 0 else le)


def _iso(c: _Cand) -> str | None:
    if c.y is None:
        return None
    if c.m is None:
        return f"{c.y:04d}"
    if c.d is None:
        return f"{c.y:04d}-{c.m:02d}"
    return f"{c.y:04d}-{c.m:02d}-{c.d:02d}"


def _not_future(c: _Cand, today: date) -> bool:
    if c.y is None:
        return True
    if c.y > today.year:
        return False
    if c.m is None or c.y < today.year:
        return True
    if c.m != today.month:
        return c.m < today.month
    return c.d is None or c.d <= today.day


def _header_zone(text: str) -> int:
    """End offset of the header: the first lines before the first body paragraph."""
    pos, n = 0, 0
    while pos < len(text) and n < _HEADER_LINES:
        le = text.find("\n", pos)
        le = len(text) if le < 0 else le
        line = text[pos:le].strip()
        if line:
            n += 1
            # a closing quotation mark ends a paragraph only after a full stop ('… he said."'),
            # not a title that quotes a phrase ('… as a "terrorist organisation"')
            body_end = line.endswith((".", "!", "?", "…")) or (
                line.endswith(("”", '"')) and line[:-1].rstrip().endswith((".", "!", "?", "…")))
            if len(line) > 200 or body_end:
                return pos
        pos = le + 1
    return pos


def _is_dateline(text: str, c: _Cand) -> bool:
    ls, le = _line_bounds(text, c.start)
    if c.start - ls > 45:
        return False
    if not _CITY_PREFIX.match(text[ls:c.start]):
        return False
    return bool(_DATELINE_SUFFIX.match(text[c.end:le]))


def _publication(doc: Document, cands: list[_Cand], today: date) -> tuple[_Cand | None, str, _Cand | None]:
    """(full publication date candidate, how found, partial dateline candidate)."""
    text = doc.text
    dated = [c for c in cands if c.kind in ("mdy", "dmy", "iso", "num", "my", "md", "dm")
             and _iso_key(c) not in _PLACEHOLDERS]
    header_end = _header_zone(text)
    limit = max(header_end, min(len(text), 1500))
    partial: _Cand | None = None
    # 1. dateline
    for c in dated:
        if c.start > limit:
            break
        if _is_dateline(text, c):
            if c.y is not None and c.d is not None and _not_future(c, today):
                return c, "dateline", None
            if c.y is None and partial is None:
                partial = c
    full = [c for c in dated if c.y is not None and _not_future(c, today)]
    # 2. cue ("posted 09 October 2022", "date 2024-08-25", "Approved … on 19.08.2020")
    best: tuple[int, _Cand] | None = None
    for c in full:
        ls, le = _line_bounds(text, c.start)
        line = text[ls:le]
        before = text[ls:c.start]
        cues = list(_PUB_CUE.finditer(before))
        if not cues:
            continue
        cue = cues[-1]
        stripped = line.strip()
        header_like = len(stripped) <= 160 and not stripped.endswith((".", "!", "?", "…"))
        at_start = cue.start() <= 12 and len(before) - cue.end() <= 25
        if not (header_like or at_start):
            continue
        if header_like and not at_start and ls > limit:
            continue
        rank = 1 if cue.group("cue").lower() in ("updated", "last updated", "modified") else 0
        if best is None or rank < best[0]:
            best = (rank, c)
    if best:
        return best[1], "text", partial
    # 3. a date alone on its own line
    for c in full:
        ls, le = _line_bounds(text, c.start)
        if _STANDALONE_REST.match(text[ls:c.start]) and _STANDALONE_REST.match(text[c.end:le]):
            if c.d is not None or c.kind == "my":
                return c, "text", partial
    for c in dated:
        if c.y is None and partial is None and c.start <= limit:
            ls, le = _line_bounds(text, c.start)
            if (_STANDALONE_REST.match(text[ls:c.start]) and _STANDALONE_REST.match(text[c.end:le])):
                partial = c
    # 4. the title and the first header lines, a date not governed by a preposition
    for c in full:
        if c.start >= header_end or c.d is None:
            continue
        ls, le = _line_bounds(text, c.start)
        if len(text[ls:le].strip()) > 200:
            continue
        if _PREPOSITION_BEFORE.search(text[max(ls, c.start - 30):c.start]):
            continue
        return c, "text", partial
    if doc.title and doc.title not in text[:header_end + 1]:
        for c in _scan(doc.title):
            if c.kind in ("mdy", "dmy", "iso", "num") and _not_future(c, today) \
                    and _iso_key(c) not in _PLACEHOLDERS \
                    and not _PREPOSITION_BEFORE.search(doc.title[max(0, c.start - 30):c.start]):
                c.start = c.end = -1  # not an offset into the text
                return c, "text", partial
    return None, "none", partial


def _iso_key(c: _Cand) -> str:
    if c.y is None or c.m is None or c.d is None:
        return ""
    return f"{c.y:04d}-{c.m:02d}-{c.d:02d}"


def _parse_published(s: str | None) -> _Anchor | None:
    if not s:
        return None
    m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", s)
    if not m:
        return None
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    a = _Anchor(y, int(mo) if mo else None, int(d) if d else None)
    if a.full:
        a.wd = a.full.weekday()
    return a


def _valid_given(s: str | None, today: date) -> bool:
    if not s or s[:10] in _PLACEHOLDERS:
        return False
    a = _parse_published(s)
    if a is None or a.y < 1900:
        return False
    c = _Cand("given", 0, 0, a.y, a.m, a.d)
    return _not_future(c, today)


# --------------------------------------------------------------------------- resolution

def _closest_year(anchor: _Anchor, m: int, d: int | None) -> int:
    """The year that puts month(-day) closest to the anchor date."""
    ref = anchor.full or date(anchor.y, anchor.m or 7, anchor.d or 1)
    best, best_gap = anchor.y, None
    for y in (anchor.y - 1, anchor.y, anchor.y + 1):
        try:
            dt = date(y, m, d or 15)
        except ValueError:
            continue
        gap = abs((dt - ref).days)
        if best_gap is None or gap < best_gap:
            best, best_gap = y, gap
    return best


def _resolve_absolute(c: _Cand, anchor: _Anchor | None) -> None:
    if c.value is not None:
        return
    if c.kind == "year":
        c.value, c.gran = f"{c.y:04d}", "year"
        return
    if c.y is None and anchor is not None and anchor.y:
        c.y = _closest_year(anchor, c.m, c.d)
        if c.d is not None and not _valid_day(c.y, c.m, c.d):
            c.y = None
    if c.d is None:
        c.gran = "month"
        c.value = f"{c.y:04d}-{c.m:02d}" if c.y else f"--{c.m:02d}"
    else:
        c.gran = "day"
        c.value = f"{c.y:04d}-{c.m:02d}-{c.d:02d}" if c.y else f"--{c.m:02d}-{c.d:02d}"


def _add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def _resolve_relative(c: _Cand, a: _Anchor | None) -> None:
    if a is None or c.rel is None:
        return
    kind = c.rel[0]
    full = a.full
    if kind == "ago":
        _, n, unit = c.rel
        if unit == "year" or unit == "decade":
            if a.y:
                c.value, c.gran = f"{a.y - n * (10 if unit == 'decade' else 1):04d}", "year"
        elif unit == "month":
            if a.y and a.m:
                y, m = _add_months(a.y, a.m, -n)
                c.value, c.gran = f"{y:04d}-{m:02d}", "month"
            elif a.m:
                c.value, c.gran = f"--{(a.m - 1 - n) % 12 + 1:02d}", "month"
        else:
            days = n * (7 if unit == "week" else 1)
            _shift_days(c, a, -days)
    elif kind == "day":
        _shift_days(c, a, c.rel[1])
    elif kind in ("week", "month", "year"):
        off = c.rel[1]
        if kind == "year" and a.y:
            c.value, c.gran = f"{a.y + off:04d}", "year"
        elif kind == "month" and a.m:
            if a.y:
                y, m = _add_months(a.y, a.m, off)
                c.value = f"{y:04d}-{m:02d}"
            else:
                c.value = f"--{(a.m - 1 + off) % 12 + 1:02d}"
            c.gran = "month"
        elif kind == "week" and full:
            iy, iw, _ = (full + timedelta(days=7 * off)).isocalendar()
            c.value, c.gran = f"{iy:04d}-W{iw:02d}", "range"
    elif kind == "wd":
        _, wd, mod, future = c.rel
        if a.wd is None:
            return
        diff = (wd - a.wd) % 7  # days forward to the next such weekday (0 = same day)
        if mod == "next" or (future and not mod):
            off = diff if diff else 7
            if mod == "next" and diff == 0:
                off = 7
        elif mod == "last":
            off = diff - 7 if diff else -7
        elif mod == "this":
            off = diff - 7 if diff > 3 else diff
        else:
            off = diff - 7 if diff else 0
        _shift_days(c, a, off)


def _shift_days(c: _Cand, a: _Anchor, days: int) -> None:
    if a.full:
        dt = a.full + timedelta(days=days)
        c.value, c.gran = dt.isoformat(), "day"
    elif a.m and a.d:
        dt = date(2001, a.m, a.d) + timedelta(days=days)  # 2001: year unknown, not leap
        if a.m == 2 and a.d == 29:
            dt = date(2000, 2, 29) + timedelta(days=days)
        c.value, c.gran = f"--{dt.month:02d}-{dt.day:02d}", "day"


_APPOSITION = re.compile(r"^\s*,?\s*(?:on\s+|in\s+|\(\s*)?$")


# --------------------------------------------------------------------------- stage

def annotate_times(doc: Document, today: date | None = None) -> Document:
    """Fill doc.times and, unless already given, doc.published / doc.published_from."""
    today = today or date.today()
    text = doc.text
    cands = _scan(text)

    # widgets and placeholders are not time expressions
    keep: list[_Cand] = []
    widget_cache: dict[int, bool] = {}
    for c in cands:
        if c.kind in ("iso", "num", "mdy", "dmy") and _iso_key(c) in _PLACEHOLDERS:
            continue
        ls, le = _line_bounds(text, c.start)
        w = widget_cache.get(ls)
        if w is None:
            w = widget_cache[ls] = bool(_WIDGET_LINE.search(text, ls, le))
        if w:
            continue
        if c.kind == "year" and re.match(r"\s*-\s*01-01", text[c.end:c.end + 8]):
            continue
        keep.append(c)
    cands = keep

    # publication date
    if doc.published and not _valid_given(doc.published, today):
        doc.warnings.append(f"published {doc.published!r} is not a plausible date (a placeholder, "
                            "before 1900 or in the future): ignored")
        doc.published, doc.published_from = None, "none"
    pub, how, partial = _publication(doc, cands, today)
    finer = _iso(pub) if pub is not None else None
    if doc.published and finer and how == "dateline" and len(finer) > len(doc.published) \
            and finer.startswith(doc.published):
        # given "2021-08" and the dateline says "August 10, 2021": the text is more precise
        doc.published, doc.published_from = finer, "dateline"
    if not doc.published:
        if pub is not None:
            doc.published, doc.published_from = _iso(pub), how  # type: ignore[assignment]
        else:
            doc.published_from = "none"
    anchor = _parse_published(doc.published)
    if anchor is None and partial is not None:
        anchor = _Anchor(None, partial.m, partial.d, partial.wd)
        if anchor.wd is None:
            anchor.wd = _assumed_weekday(text, partial, cands)
    elif anchor is not None and anchor.full is None and partial is not None and anchor.y \
            and anchor.m in (None, partial.m) and _valid_day(anchor.y, partial.m, partial.d):
        # published "2021" (or "2021-08") and a dateline "August 10": August 10, 2021
        anchor = _Anchor(anchor.y, partial.m, partial.d)
        anchor.wd = anchor.full.weekday()

    # resolve
    for c in cands:
        if c.kind in _ABSOLUTE:
            _resolve_absolute(c, anchor)
    for i, c in enumerate(cands):
        if c.rel is None:
            continue
        # "A year ago, on February 24, 2022": the relative expression takes the apposed date
        nxt = cands[i + 1] if i + 1 < len(cands) else None
        if nxt is not None and nxt.kind in _ABSOLUTE and nxt.kind not in ("year", "decade") \
                and _APPOSITION.match(text[c.end:nxt.start]) and nxt.value:
            c.value, c.gran = nxt.value, nxt.gran
            continue
        _resolve_relative(c, anchor)

    doc.times = [TimeExpression(c.start, c.end, text[c.start:c.end], c.value, c.gran)
                 for c in cands if c.value is not None]
    return doc


def _assumed_weekday(text: str, dateline: _Cand, cands: list[_Cand]) -> int | None:
    """A dateline without a year: the first weekday its paragraph names is taken as its day."""
    ls, le = _line_bounds(text, dateline.start)
    for c in cands:
        if c.start < dateline.end:
            continue
        if c.start > le:
            break
        if c.kind == "wd" and not c.rel[2]:
            return c.rel[1]
    return None


# --------------------------------------------------------------------------- event dates

def publication_value(doc: Document) -> str | None:
    """The publication date, else the month-day of a dateline without a year ("--02-24")."""
    if doc.published:
        return doc.published
    # a partial dateline anchor, found again from the times already annotated
    for t in doc.times:
        if t.value and t.value.startswith("--") and t.granularity == "day":
            ls, le = _line_bounds(doc.text, t.start)
            c = _Cand("md", t.start, t.end)
            if _is_dateline(doc.text, c):
                return t.value
        if t.start > 1500:
            break
    return None


def sentence_date(doc: Document, start: int, end: int, trigger: int | None = None,
                  default: str | None = None) -> str | None:
    """The date a span states (the time expression closest to `trigger`), else `default`."""
    best, best_gap = None, None
    for t in doc.times:
        if t.start >= end:
            break
        if t.start < start or t.value is None:
            continue
        gap = 0 if trigger is None else abs(t.start - trigger)
        if best_gap is None or gap < best_gap:
            best, best_gap = t.value, gap
    return best if best is not None else default


def date_events(doc: Document) -> Document:
    """Every event gets the date its sentence states, else the publication date."""
    pub = publication_value(doc)
    for ev in doc.events:
        start, end = ev.span.start, ev.span.end
        if 0 <= ev.sentence < len(doc.sentences):
            s = doc.sentences[ev.sentence]
            start, end = min(start, s.start), max(end, s.end)
        ev.date = sentence_date(doc, start, end, ev.trigger.start, pub)
    return doc
