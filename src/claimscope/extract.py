"""extract stage: RawDocument -> Document with cleaned main text, metadata and `removed` lines.

HTML goes through trafilatura (main text, title, site, author) and htmldate (publication date);
then plain text and extracted HTML alike pass the YAML-driven line boilerplate filter.
Kept lines are never rewritten: only whole lines are dropped and whitespace runs folded, so
quotations copied from the source can always be found in `Document.text`.
"""
from __future__ import annotations

import hashlib
import html as html_lib
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import yaml

from claimscope.errors import DataFileError
from claimscope.metadata import GIVEN_DATE, TIME_OF_DAY
from claimscope.model import Document, RawDocument, Removed
from claimscope.read import decode

_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True, slots=True)
class BoilerplatePattern:
    id: str
    regex: re.Pattern[str]
    search: bool
    rest: bool
    follow: re.Pattern[str] | None

    def matches(self, line: str) -> bool:
        return bool(self.regex.search(line) if self.search else self.regex.fullmatch(line))


def _compile(path: str, entry: str, field: str, pattern: object, flags: int) -> re.Pattern[str]:
    if not isinstance(pattern, str) or not pattern:
        raise DataFileError(path, entry, field, "must be a non-empty regex string")
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise DataFileError(path, entry, field, f"invalid regex: {exc}") from None


def _parse_boilerplate(path: str, data: object) -> list[BoilerplatePattern]:
    if not isinstance(data, dict) or not isinstance(data.get("patterns"), list):
        raise DataFileError(path, None, "patterns", "file must be a mapping with a 'patterns' list")
    out = []
    for i, item in enumerate(data["patterns"]):
        if not isinstance(item, dict):
            raise DataFileError(path, i, None, "entry must be a mapping")
        entry = str(item.get("id") or i)
        unknown = set(item) - {"id", "pattern", "search", "ignore_case", "scope", "follow"}
        if unknown:
            raise DataFileError(path, entry, sorted(unknown)[0], "unknown field")
        if not item.get("id"):
            raise DataFileError(path, i, "id", "missing")
        scope = item.get("scope", "line")
        if scope not in ("line", "rest"):
            raise DataFileError(path, entry, "scope", f"must be 'line' or 'rest', not {scope!r}")
        flags = re.IGNORECASE if item.get("ignore_case", True) else 0
        follow = item.get("follow")
        out.append(BoilerplatePattern(
            id=item["id"],
            regex=_compile(path, entry, "pattern", item.get("pattern"), flags),
            search=bool(item.get("search", False)),
            rest=scope == "rest",
            follow=_compile(path, entry, "follow", follow, flags) if follow is not None else None,
        ))
    return out


def load_boilerplate(extra_files: list[Path] | None = None) -> list[BoilerplatePattern]:
    """The packaged patterns plus any user files, validated."""
    packaged = resources.files("claimscope") / "data" / "boilerplate.yaml"
    patterns = _parse_boilerplate(str(packaged), yaml.safe_load(packaged.read_text("utf-8")))
    for path in extra_files or []:
        try:
            data = yaml.safe_load(Path(path).read_text("utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise DataFileError(str(path), None, None, f"cannot read: {exc}") from None
        patterns += _parse_boilerplate(str(path), data)
    return patterns


def clean_text(text: str, patterns: list[BoilerplatePattern]) -> tuple[str, list[Removed]]:
    """Drop boilerplate lines; fold blank-line runs to one blank line and strip line ends."""
    removed: list[Removed] = []
    kept: list[str] = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    follow: BoilerplatePattern | None = None
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        i += 1
        if not line:
            if kept and kept[-1] != "":
                kept.append("")
            continue
        if follow is not None and follow.follow is not None and follow.follow.fullmatch(line):
            removed.append(Removed(line, follow.id))
            continue
        follow = None
        hit = next((p for p in patterns if p.matches(line)), None)
        if hit is None:
            kept.append(line)
            continue
        if hit.rest:
            rest = "\n".join(x.strip() for x in lines[i - 1:] if x.strip())
            removed.append(Removed(rest, hit.id))
            break
        removed.append(Removed(line, hit.id))
        follow = hit
    while kept and kept[-1] == "":
        kept.pop()
    return "\n".join(kept), removed


def content_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


MAX_HTML_DEPTH = 128  # libxml2, under trafilatura, gives up on trees deeper than 256


class _Flattener(HTMLParser):
    """Re-serialises HTML without the elements nested deeper than MAX_HTML_DEPTH (their
    content is kept), so a deliberately deep tree still yields its text."""

    VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
    BLOCK = frozenset("p h1 h2 h3 h4 h5 h6 li blockquote tr dd dt pre".split())

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[bool] = []  # per open element: was its tag written?
        self.deep = False

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            self.out.append(self.get_starttag_text() or "")
            return
        keep = len(self.open) < MAX_HTML_DEPTH
        self.deep |= not keep
        self.open.append(keep)
        if keep:
            self.out.append(self.get_starttag_text() or "")
        elif tag in self.BLOCK:  # a dropped paragraph still breaks the line
            self.out.append("<br>")

    def handle_endtag(self, tag):
        if tag in self.VOID or not self.open:
            return
        if self.open.pop():
            self.out.append(f"</{tag}>")

    def handle_data(self, data):
        self.out.append(html_lib.escape(data, quote=False))


def _flatten_deep_html(html: str | bytes) -> str | None:
    """The HTML with its nesting capped at MAX_HTML_DEPTH, or None if it was not deeper."""
    flattener = _Flattener()
    flattener.feed(html if isinstance(html, str) else decode(html))
    flattener.close()
    return "".join(flattener.out) if flattener.deep else None


def _extract_html(html: str | bytes) -> tuple[str, dict]:
    import trafilatura  # imported lazily: costs ~0.5 s and plain text never needs it

    def run(page: str | bytes) -> dict | None:
        result = trafilatura.bare_extraction(
            page, with_metadata=True, include_comments=False, include_tables=True,
            deduplicate=False, favor_precision=False,
        )
        return result.as_dict() if result is not None else None

    result = run(html)
    if not result or not (result.get("text") or "").strip():
        flat = _flatten_deep_html(html)  # only tried when the plain extraction found nothing
        result = run(flat) if flat is not None else None
        if not result or not (result.get("text") or "").strip():
            raise ValueError("HTML has no extractable main text" if flat is None else
                             f"HTML has no extractable main text (even with nesting capped at {MAX_HTML_DEPTH})")
    meta = {k: result.get(k) for k in ("title", "sitename", "author", "date", "url")}
    # trafilatura puts the title only in metadata; keep it as text so it can be cited
    return result["text"], meta


def extract(raw: RawDocument, patterns: list[BoilerplatePattern], max_lines: int | None = None) -> Document:
    """Raises ValueError with a one-line reason when nothing usable is left, or when the text
    has more than `max_lines` lines (checked first: cleaning and segmenting cost per line)."""
    meta: dict = {}
    if raw.media_type == "text/html":
        html = raw.text if raw.text is not None else raw.data
        body, meta = _extract_html(html)
    else:
        body = raw.text if raw.text is not None else decode(raw.data or b"")
        if not body.strip():
            raise ValueError("empty document (no text)" if not body else "whitespace only")
    if max_lines is not None and (lines := body.count("\n") + 1) > max_lines:
        raise ValueError(f"too many lines: {lines:,} > limit {max_lines:,}")
    text, removed = clean_text(body, patterns)
    if not text.strip():
        raise ValueError("no text left after removing boilerplate")
    title = raw.meta.get("title") or meta.get("title")
    if not title:
        first = text.split("\n", 1)[0]
        title = first if len(first) <= 250 and not first.endswith(".") else None
    doc = Document(
        id=content_id(text), source=raw.source, text=text, media_type=raw.media_type,
        title=title, site=raw.meta.get("site") or meta.get("sitename"),
        author=raw.meta.get("author") or meta.get("author"),
        url=raw.meta.get("url") or meta.get("url"), removed=removed,
    )
    given = str(raw.meta.get("published") or "").strip()
    lead = GIVEN_DATE.match(given)
    if lead:
        doc.published, doc.published_from = lead.group(1), "given"
        rest = given[lead.end():]
        if rest and not TIME_OF_DAY.match(rest):
            doc.warnings.append(f"published {given[:80]!r} read as {lead.group(1)!r}")
    elif given:
        doc.warnings.append(f"published {given[:80]!r} is not a date (YYYY, YYYY-MM or "
                            "YYYY-MM-DD): ignored")
    elif meta.get("date") and _DATE_RE.match(meta["date"]):
        doc.published, doc.published_from = meta["date"], "metadata"
    return doc
