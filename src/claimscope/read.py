"""read stage: inputs -> RawDocument | Failure, one per document, never an exception.

Accepted inputs: files, directories (recursive), glob patterns, '-' for stdin, http(s) URLs,
JSONL files (one document per line: `text` or `html`, optional `url`, `title`, `published`),
WARC files (response records with HTML). Encoding detection happens in `decode`.
"""
from __future__ import annotations

import codecs
import glob
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from claimscope.model import Failure, RawDocument

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}

_MAGIC = {
    b"\x89PNG": "PNG image", b"\xff\xd8\xff": "JPEG image", b"GIF8": "GIF image",
    b"%PDF": "PDF document", b"PK\x03\x04": "ZIP archive", b"\x7fELF": "executable",
    b"\x1f\x8b": "gzip data", b"RIFF": "RIFF media", b"OggS": "Ogg media",
}
# A valid UTF-8 multi-byte sequence; a file full of them with one bad byte is broken UTF-8,
# while cp1251/KOI8-R text almost never forms one.
_UTF8_MULTI = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_LEGACY = ["cp1251", "koi8_r", "koi8_u", "iso8859_5", "cp1252", "iso8859_2", "cp1250"]


@dataclass
class ReadOptions:
    max_bytes: int = 10 * 1024 * 1024  # per document
    url_timeout: float = 10.0
    max_redirects: int = 5
    recursive_glob: str = "**/*"


def decode(data: bytes) -> str:
    """Bytes -> str with BOM, UTF-8, and legacy Cyrillic/Latin detection; ValueError if hopeless."""
    if not data:
        raise ValueError("empty document (no text)")
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError as exc:
                raise ValueError(f"invalid {enc} after BOM at byte {exc.start}") from None
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise ValueError(f"binary content ({kind}), not text")
    head = data[:65536]
    if b"\x00" in head:
        raise ValueError("binary content (NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if _UTF8_MULTI.search(data):
            raise ValueError(f"invalid UTF-8 at byte {exc.start}") from None
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_LEGACY).best()
    if best is None or best.chaos > 0.25:
        raise ValueError("unknown text encoding (not UTF-8, UTF-16 or a Cyrillic/Latin codepage)")
    return str(best)


def _is_document_file(path: Path) -> bool:
    suffix = path.suffix.lower()
    return suffix in TEXT_SUFFIXES or suffix in HTML_SUFFIXES or suffix == ".warc" \
        or path.name.lower().endswith(".warc.gz")


def _looks_html(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in head


def _read_file(path: Path, opts: ReadOptions) -> Iterator[RawDocument | Failure]:
    src = str(path)
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from _read_jsonl(path, opts)
        return
    if suffix == ".warc" or path.name.lower().endswith(".warc.gz"):
        yield from _read_warc(path, opts)
        return
    try:
        size = path.stat().st_size
        if size > opts.max_bytes:
            yield Failure(src, "read", f"too large: {size:,} bytes > limit {opts.max_bytes:,} (--max-bytes)")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield Failure(src, "read", f"cannot read: {exc.strerror or exc}")
        return
    html = suffix in HTML_SUFFIXES or _looks_html(data)
    yield RawDocument(src, data=data, media_type="text/html" if html else "text/plain")


def _read_jsonl(path: Path, opts: ReadOptions) -> Iterator[RawDocument | Failure]:
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield Failure(str(path), "read", f"cannot read: {exc.strerror or exc}")
        return
    with handle:
        for n, line in enumerate(handle, 1):
            src = f"{path}#{n}"
            if not line.strip():
                continue
            if len(line) > opts.max_bytes:
                yield Failure(src, "read", f"too large: {len(line):,} bytes > limit {opts.max_bytes:,}")
                continue
            try:
                rec = json.loads(line)
            except (ValueError, UnicodeDecodeError) as exc:
                yield Failure(src, "read", f"malformed JSON line: {exc}")
                continue
            if not isinstance(rec, dict) or not isinstance(rec.get("text") or rec.get("html"), str):
                yield Failure(src, "read", "JSONL record needs a string 'text' or 'html' field")
                continue
            meta = {k: rec[k] for k in ("url", "title", "published", "site", "author")
                    if isinstance(rec.get(k), str)}
            source = meta.get("url") or src
            if isinstance(rec.get("text"), str):
                yield RawDocument(source, text=rec["text"], media_type="text/plain", meta=meta)
            else:
                yield RawDocument(source, text=rec["html"], media_type="text/html", meta=meta)


def _read_warc(path: Path, opts: ReadOptions) -> Iterator[RawDocument | Failure]:
    from warcio.archiveiterator import ArchiveIterator

    n = 0
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            records = ArchiveIterator(handle)
            for record in records:
                n += 1
                if not record.format.startswith("warc"):
                    yield Failure(str(path), "read", "not a WARC file (no WARC record header)")
                    return
                if record.rec_type != "response":
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI") or f"{path}#{n}"
                ctype = (record.http_headers.get_header("Content-Type") or "") if record.http_headers else ""
                if "html" not in ctype.lower():
                    continue
                data = record.content_stream().read(opts.max_bytes + 1)
                if len(data) > opts.max_bytes:
                    yield Failure(uri, "read", f"too large: > limit {opts.max_bytes:,} bytes")
                    continue
                # the record's reader counts down its declared Content-Length: bytes still
                # owed after the payload ran out mean the archive was cut inside this record
                missing = getattr(record.raw_stream, "limit", 0)
                if missing:
                    yield Failure(uri, "read", f"truncated WARC record ({missing:,} bytes missing)")
                    continue
                meta = {"url": uri}
                yield RawDocument(uri, data=data, media_type="text/html", meta=meta)
            if n == 0:
                yield Failure(str(path), "read", "not a WARC file (no records)")
            elif records.offset < size:
                yield Failure(f"{path}#{n + 1}", "read",
                              f"truncated WARC record ({size - records.offset:,} trailing bytes unparsed)")
    except OSError as exc:
        yield Failure(str(path), "read", f"cannot read: {exc.strerror or exc}")
    except Exception as exc:  # warcio raises bare Exceptions on garbled archives
        yield Failure(f"{path}#{n + 1}", "read", f"truncated or malformed WARC record: {exc}")


def _read_url(url: str, opts: ReadOptions) -> Iterator[RawDocument | Failure]:
    import httpx

    try:
        with httpx.Client(follow_redirects=True, max_redirects=opts.max_redirects,
                          timeout=opts.url_timeout, headers={"User-Agent": "claimscope/0.1"}) as client:
            with client.stream("GET", url) as resp:
                if resp.status_code >= 400:
                    yield Failure(url, "read", f"HTTP {resp.status_code} {resp.reason_phrase}")
                    return
                final = str(resp.url)
                if not final.startswith(("http://", "https://")):
                    yield Failure(url, "read", f"redirected to a non-http(s) URL: {final}")
                    return
                buf = io.BytesIO()
                for chunk in resp.iter_bytes():
                    buf.write(chunk)
                    if buf.tell() > opts.max_bytes:
                        yield Failure(url, "read", f"too large: > limit {opts.max_bytes:,} bytes")
                        return
                ctype = resp.headers.get("content-type", "").lower()
    except httpx.TimeoutException:
        yield Failure(url, "read", f"timed out after {opts.url_timeout:g} s")
        return
    except httpx.TooManyRedirects:
        yield Failure(url, "read", f"more than {opts.max_redirects} redirects")
        return
    except httpx.HTTPError as exc:
        yield Failure(url, "read", f"request failed: {exc.__class__.__name__}: {exc}")
        return
    data = buf.getvalue()
    html = "html" in ctype or _looks_html(data)
    yield RawDocument(url, data=data, media_type="text/html" if html else "text/plain",
                      meta={"url": final})


def _expand(item: str, opts: ReadOptions) -> Iterator[Path | Failure]:
    path = Path(item)
    if path.is_dir():
        # a directory holds documents; JSONL files in it are data (indexes, gold), not
        # documents, so they are read only when named explicitly or matched by a glob
        yield from sorted(p for p in path.glob(opts.recursive_glob) if p.is_file()
                          and not p.name.startswith(".") and _is_document_file(p))
    elif path.exists():
        yield path
    elif any(ch in item for ch in "*?["):
        matches = sorted(Path(p) for p in glob.glob(item, recursive=True) if Path(p).is_file())
        if not matches:
            yield Failure(item, "read", "glob matched no files")
        yield from matches
    else:
        yield Failure(item, "read", "no such file or directory")


def iter_inputs(inputs: Iterable[str], opts: ReadOptions | None = None) -> Iterator[RawDocument | Failure]:
    opts = opts or ReadOptions()
    for item in inputs:
        if item == "-":
            data = sys.stdin.buffer.read(opts.max_bytes + 1)
            if len(data) > opts.max_bytes:
                yield Failure("<stdin>", "read", f"too large: > limit {opts.max_bytes:,} bytes")
            else:
                yield RawDocument("<stdin>", data=data,
                                  media_type="text/html" if _looks_html(data) else "text/plain")
        elif re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", item):
            if not item.lower().startswith(("http://", "https://")):
                yield Failure(item, "read", "only http and https URLs are supported")
            else:
                yield from _read_url(item, opts)
        else:
            for path in _expand(item, opts):
                if isinstance(path, Failure):
                    yield path
                else:
                    yield from _read_file(path, opts)
