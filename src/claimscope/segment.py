"""segment stage: Document.text -> Document.sentences.

Lines are grouped into paragraphs (a line that starts in lower case continues the previous one:
scrapes often hard-wrap sentences), headings (a short paragraph with no final punctuation),
list items (•, -, *, "1)", "1.", "a)"; their `parent` is the framing sentence ending in ':')
and sentences. A sentence that begins inside a quotation is kind "quote".
"""
from __future__ import annotations

import re

from claimscope.model import Document, Sentence

_BULLET = re.compile(r"(?:[•\-*–·▪●◦]|\(?\d{1,2}[.)]|\(?[a-zA-Z][)])[ \t\u00a0]+(?=\S)")
# candidate end: terminal punctuation, optional closing quotes/brackets, whitespace
_END = re.compile(r"(?:\.\.\.|…|[.!?])+[\"”’'»)\]]*(?=\s+(\S))")
_TERMINAL = tuple(".!?…:;\"”’»)")
_ABBREV = frozenset("""mr mrs ms dr prof st gen col lt sgt capt cpt gov sen rep jr sr inc ltd co corp
no nos vol art para paras fig jan feb mar apr jun jul aug sep sept oct nov dec vs cf approx est
e.g i.e p pp ed eds rev hon amb min dept univ gov't ft mt""".split())
_OPENERS = "“\"‘«"
_HEADING_MAX = 200


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the '.' at `dot` ends an abbreviation or an initial, not a sentence."""
    if text[dot] != ".":
        return False
    j = dot
    while j > 0 and not text[j - 1].isspace() and text[j - 1] not in "(“\"'«[":
        j -= 1
    token = text[j:dot]
    if not token:
        return False
    if len(token) == 1 and token.isupper():  # an initial: "J. Smith"
        return True
    if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", token):  # U.S., e.g, i.e
        return True
    return token.lower() in _ABBREV


def _split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    pos = start
    for m in _END.finditer(text, start, end):
        nxt = m.group(1)
        if m.end() >= end:
            break
        if not (nxt[0].isupper() or nxt[0].isdigit() or nxt[0] in _OPENERS + "•-–—("):
            continue
        if _is_abbreviation(text, m.start()) and m.group(0) == ".":
            continue
        out.append((pos, m.end()))
        pos = m.end()
        while pos < end and text[pos].isspace():
            pos += 1
    if pos < end:
        out.append((pos, end))
    return [(s, e) for s, e in out if text[s:e].strip()]


def _lines(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def segment(doc: Document) -> Document:
    text = doc.text
    blocks: list[list] = []  # [kind, start, end] kind: para | item
    for s, e in _lines(text):
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s == e:
            if blocks:
                blocks.append(["blank", s, s])
            continue
        bullet = _BULLET.match(text, s, e)
        if bullet:
            blocks.append(["item", bullet.end(), e])
            continue
        prev = next((b for b in reversed(blocks) if b[0] != "blank"), None)
        adjacent = blocks and blocks[-1][0] != "blank"
        if adjacent and prev and text[s].islower() and not text[prev[2] - 1] in ".!?…":
            prev[2] = e  # a hard-wrapped line continues the paragraph or item
            continue
        blocks.append(["para", s, e])

    last_para = max((i for i, b in enumerate(blocks) if b[0] == "para"), default=-1)
    sentences: list[Sentence] = []
    framing: int | None = None  # id of the last sentence ending in ':' before a list
    in_list = False
    for index, (kind, s, e) in enumerate(blocks):
        if kind == "blank":
            continue
        if kind == "item":
            if not in_list:
                in_list = True
                last = sentences[-1] if sentences else None
                framing = last.id if last and last.kind != "list_item" and \
                    text[last.start:last.end].rstrip().endswith(":") else None
            for a, b in _split_sentences(text, s, e):
                sentences.append(Sentence(len(sentences), "list_item", a, b, framing))
            continue
        in_list = False
        chunk = text[s:e]
        words = len(chunk.split())
        # a long unpunctuated last paragraph is a cut-off sentence, not a heading
        parts = _split_sentences(text, s, e)
        if len(parts) == 1 and len(chunk) <= _HEADING_MAX and not chunk.endswith(_TERMINAL) \
                and words <= 30 and (index != last_para or words <= 8):
            sentences.append(Sentence(len(sentences), "heading", s, e))
            continue
        depth = 0  # quotation depth at the start of each sentence
        for a, b in parts:
            sent = text[a:b]
            kind_ = "quote" if depth > 0 or sent[0] in _OPENERS else "sentence"
            sentences.append(Sentence(len(sentences), kind_, a, b))
            depth = max(0, depth + sent.count("“") + sent.count("«") - sent.count("”") - sent.count("»")
                        + (sent.count('"') % 2 if depth == 0 else -(sent.count('"') % 2)))
    doc.sentences = sentences
    return doc
