"""read stage: inputs -> RawDocument | Failure, one per document, never an exception.

Accepted inputs: files, directories (recursive), glob patterns, '-' for stdin, http(s) URLs,
JSONL files, also gzipped (one document per line: `text` or `html`, optional `url`, `title`,
`published`, with the aliases of `metadata.ALIASES`), WARC files (response records with HTML). Text and HTML
files get the metadata of a sidecar index (metadata.py). Encoding detection happens in `decode`.
"""
from __future__ import annotations

import codecs
import errno
import glob
import gzip
import io
import json
import os
import re
import stat
import sys
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from claimscope.metadata import Sidecars, normalise
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
    meta_file: Path | None = None  # --meta: one index for all inputs instead of each directory's
    given: dict[str, str] = field(default_factory=dict)  # --published/--url/--title: win over indexes


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
    text = _utf16_without_bom(data)
    if text is not None:
        return text
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


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ud800-\udfff]")


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM, else None. In UTF-16 text of alphabetic scripts (Latin,
    Cyrillic, Greek, ...) nearly every code unit is below U+2000, so one byte of each pair is
    < 0x20, and spaces, digits and punctuation make some of those bytes NUL; in UTF-8 or legacy
    text those bytes are letters and never NUL. The decoded text must then be free of control
    characters. (CJK UTF-16 without a BOM is not detected.)"""
    head = data[:65536]
    if len(data) % 2 or len(head) < 8:
        return None
    for high, encoding in ((head[1::2], "utf-16-le"), (head[0::2], "utf-16-be")):
        if 0 not in high or sum(b < 0x20 for b in high) < 0.9 * len(high):
            continue
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _CONTROL.search(text):
            return text
    return None


def one_line(text: str, limit: int = 300) -> str:
    """A failure reason as one printable line (library messages may quote binary input)."""
    text = " ".join(text.split())
    return "".join(c if c.isprintable() else "?" for c in text)[:limit]


def safe_source(source: str) -> str:
    """`source` as storable text: a file name that is not UTF-8 (surrogate-escaped by Python) or
    a lone surrogate becomes backslash escapes, so it can be written to a failures row."""
    try:
        source.encode("utf-8")
        return source
    except UnicodeEncodeError:
        try:
            return os.fsencode(source).decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:
            return source.encode("utf-8", "backslashreplace").decode("utf-8")


def _unencodable_field(values: dict) -> str | None:
    """The first field whose string cannot be stored (a lone surrogate such as "\\ud800")."""
    for key, value in values.items():
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                return f"{key!r} contains an invalid code point (lone surrogate {value[exc.start]!a})"
    return None


def _read_capped(handle, limit: int) -> bytes | None:
    """At most `limit` bytes from `handle`, or None if there are more: never trusts st_size,
    so pipes, devices (/dev/zero) and growing files stop at the cap."""
    data = handle.read(limit + 1)
    return None if len(data) > limit else data


def _is_document_file(path: Path) -> bool:
    suffix = path.suffix.lower()
    return suffix in TEXT_SUFFIXES or suffix in HTML_SUFFIXES or suffix == ".warc" \
        or path.name.lower().endswith(".warc.gz")


def _looks_html(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in head


def _read_file(path: Path, opts: ReadOptions, sidecars: Sidecars) -> Iterator[RawDocument | Failure]:
    src = str(path)
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES or is_jsonl_gz(path):
        yield from _read_jsonl(path, opts)
        return
    if suffix == ".warc" or path.name.lower().endswith(".warc.gz"):
        yield from _read_warc(path, opts)
        return
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            yield Failure(src, "read", "is a directory")
            return
        if stat.S_ISREG(info.st_mode) and info.st_size > opts.max_bytes:
            yield Failure(src, "read", f"too large: {info.st_size:,} bytes > limit {opts.max_bytes:,} (--max-bytes)")
            return
        with path.open("rb") as handle:
            data = _read_capped(handle, opts.max_bytes)
    except OSError as exc:
        yield Failure(src, "read", f"cannot read: {exc.strerror or exc}")
        return
    if data is None:
        yield Failure(src, "read", f"too large: more than {opts.max_bytes:,} bytes (--max-bytes)")
        return
    html = suffix in HTML_SUFFIXES or _looks_html(data)
    meta = {**sidecars.meta_for(path), **opts.given}
    for warning in sidecars.drain():
        yield Failure(warning[0], "read", warning[1])
    yield RawDocument(src, data=data, media_type="text/html" if html else "text/plain", meta=meta)


def is_jsonl_gz(path: Path) -> bool:
    return path.name.lower().endswith((".jsonl.gz", ".ndjson.gz"))


def _read_jsonl(path: Path, opts: ReadOptions) -> Iterator[RawDocument | Failure]:
    try:
        handle = gzip.open(path, "rb") if is_jsonl_gz(path) else path.open("rb")
    except OSError as exc:
        yield Failure(str(path), "read", f"cannot read: {exc.strerror or exc}")
        return
    with handle:
        try:
            yield from _jsonl_records(path, handle, opts)
        except (OSError, EOFError, zlib.error) as exc:  # a corrupt or truncated .gz shard
            yield Failure(str(path), "read", f"corrupt or truncated gzip data: {exc}")


def _jsonl_records(path: Path, handle: IO[bytes], opts: ReadOptions) -> Iterator[RawDocument | Failure]:
    n = 0
    while line := handle.readline(opts.max_bytes + 1):
        n += 1
        src = f"{path}#{n}"
        if len(line) > opts.max_bytes and not line.endswith(b"\n"):
            size = len(line) + _skip_line(handle)
            yield Failure(src, "read", f"too large: {size:,} bytes > limit {opts.max_bytes:,}")
            continue
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except (ValueError, UnicodeDecodeError) as exc:
            yield Failure(src, "read", f"malformed JSON line: {exc}")
            continue
        if not isinstance(rec, dict) or not isinstance(rec.get("text") or rec.get("html"), str):
            yield Failure(src, "read", "JSONL record needs a string 'text' or 'html' field")
            continue
        meta = {**normalise(rec), **opts.given}
        bad = _unencodable_field({**meta, "text": rec.get("text"), "html": rec.get("html")})
        if bad:
            yield Failure(src, "read", f"JSONL field {bad}")
            continue
        source = meta.get("url") or src
        if isinstance(rec.get("text"), str):
            yield RawDocument(source, text=rec["text"], media_type="text/plain", meta=meta)
        else:
            yield RawDocument(source, text=rec["html"], media_type="text/html", meta=meta)


def _skip_line(handle, chunk: int = 1 << 20) -> int:
    """Consume the rest of an over-long line in bounded chunks; the number of bytes skipped."""
    skipped = 0
    while part := handle.readline(chunk):
        skipped += len(part)
        if part.endswith(b"\n"):
            break
    return skipped


MAX_HTTP_HEADER = 256 * 1024  # bytes of a WARC record's HTTP status line and headers


def _http_headers(record):
    """Parse a response record's HTTP headers reading at most MAX_HTTP_HEADER bytes (warcio's
    own parser reads a header line whole, however long); None if they are longer."""
    from warcio.statusandheaders import StatusAndHeadersParser

    head = bytearray()
    while len(head) <= MAX_HTTP_HEADER:
        line = record.raw_stream.readline(MAX_HTTP_HEADER + 1 - len(head))
        head += line
        if not line or line in (b"\r\n", b"\n"):
            break
    if len(head) > MAX_HTTP_HEADER:
        return None
    return StatusAndHeadersParser([], verify=False).parse(io.BytesIO(bytes(head)))


def _warc_record(record, path: Path, n: int, opts: ReadOptions) -> Iterator[RawDocument | Failure]:
    """The document in one WARC record, a Failure, or nothing (not an HTML response)."""
    if record.rec_type != "response":
        return
    uri = record.rec_headers.get_header("WARC-Target-URI") or f"{path}#{n}"
    if not uri.startswith(("http:", "https:")):
        return
    record.http_headers = _http_headers(record)
    if record.http_headers is None:
        yield Failure(uri, "read", f"WARC record's HTTP headers exceed {MAX_HTTP_HEADER:,} bytes")
        return
    ctype = record.http_headers.get_header("Content-Type") or ""
    if "html" not in ctype.lower():
        return
    data = record.content_stream().read(opts.max_bytes + 1)
    if len(data) > opts.max_bytes:
        yield Failure(uri, "read", f"too large: > limit {opts.max_bytes:,} bytes")
        return
    # the record's reader counts down its declared Content-Length: bytes still
    # owed after the payload ran out mean the archive was cut inside this record
    missing = getattr(record.raw_stream, "limit", 0)
    if missing:
        yield Failure(uri, "read", f"truncated WARC record ({missing:,} bytes missing)")
        return
    meta = {"url": uri}
    yield RawDocument(uri, data=data, media_type="text/html", meta=meta)


def _read_warc(path: Path, opts: ReadOptions) -> Iterator[RawDocument | Failure]:
    from warcio.archiveiterator import ArchiveIterator

    n = 0
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            # no_record_parse: the HTTP headers are parsed by _http_headers, with a size cap
            records = ArchiveIterator(handle, no_record_parse=True)
            for record in records:
                n += 1
                if not record.format.startswith("warc"):
                    yield Failure(str(path), "read", "not a WARC file (no WARC record header)")
                    return
                try:
                    yield from _warc_record(record, path, n, opts)
                except Exception as exc:  # noqa: BLE001 - warcio raises bare Exceptions
                    yield Failure(f"{path}#{n}", "read", "truncated or malformed WARC record: "
                                  + one_line(str(exc) or exc.__class__.__name__))
                    return
            if n == 0:
                yield Failure(str(path), "read", "not a WARC file (no records)")
            elif records.offset < size:
                yield Failure(f"{path}#{n + 1}", "read",
                              f"truncated WARC record ({size - records.offset:,} trailing bytes unparsed)")
    except OSError as exc:
        yield Failure(str(path), "read", f"cannot read: {exc.strerror or exc}")
    except Exception as exc:  # warcio raises bare Exceptions on garbled archives
        yield Failure(f"{path}#{n + 1}", "read", "truncated or malformed WARC record: "
                      + one_line(str(exc) or exc.__class__.__name__))


def _read_url(url: str, opts: ReadOptions) -> Iterator[RawDocument | Failure]:
    import httpx

    from claimscope.deadline import total_deadline

    timed_out = Failure(url, "read", f"timed out: no complete response within {opts.url_timeout:g} s")
    with total_deadline(opts.url_timeout) as deadline:
        try:
            with httpx.Client(follow_redirects=True, max_redirects=opts.max_redirects,
                              timeout=opts.url_timeout, headers={"User-Agent": "claimscope/0.1"}) as client:
                with client.stream("GET", url, extensions={"trace": deadline.trace}) as resp:
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
            yield timed_out
            return
        except httpx.TooManyRedirects:
            yield Failure(url, "read", f"more than {opts.max_redirects} redirects")
            return
        except httpx.HTTPError as exc:
            yield timed_out if deadline.expired.is_set() else \
                Failure(url, "read", f"request failed: {exc.__class__.__name__}: {exc}")
            return
    if deadline.expired.is_set():  # the shutdown may have looked like the end of the body
        yield timed_out
        return
    data = buf.getvalue()
    html = "html" in ctype or _looks_html(data)
    yield RawDocument(url, data=data, media_type="text/html" if html else "text/plain",
                      meta={"url": final})


def _link_failure(path: Path) -> Failure | None:
    """A Failure for a symlink that cannot be followed (dangling or looping), else None."""
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Failure(safe_source(str(path)), "read", "symlink loop (too many levels of symbolic links)")
        if exc.errno == errno.ENOENT:
            return Failure(safe_source(str(path)), "read",
                           f"dangling symlink (target {safe_source(os.readlink(path))} does not exist)")
        return Failure(safe_source(str(path)), "read", f"cannot read: {exc.strerror or exc}")
    return None


def _walk(root: Path) -> Iterator[Path | Failure]:
    """Document files under `root` (following symlinks), sorted; unreadable directories,
    dangling links and symlink loops become Failures instead of being skipped silently."""
    files: list[Path] = []
    failures: list[Failure] = []
    top = root.stat()
    # an explicit stack, not recursion: a deep tree must not hit the recursion limit
    stack = [(root, frozenset({(top.st_dev, top.st_ino)}))]
    while stack:
        directory, ancestors = stack.pop()
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            failures.append(Failure(safe_source(str(directory)), "read",
                                    f"cannot read directory: {exc.strerror or exc}"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            if entry.is_symlink() and (bad := _link_failure(path)):
                failures.append(bad)
                continue
            try:
                info = path.stat()
            except OSError as exc:
                failures.append(Failure(safe_source(str(path)), "read", f"cannot read: {exc.strerror or exc}"))
                continue
            if stat.S_ISDIR(info.st_mode):
                key = (info.st_dev, info.st_ino)
                if key in ancestors:  # a link back up the tree: the kernel sees no loop here
                    failures.append(Failure(safe_source(str(path)), "read",
                                            "symlink loop (links back to a parent directory)"))
                else:
                    stack.append((path, ancestors | {key}))
            elif stat.S_ISREG(info.st_mode) and _is_document_file(path):
                files.append(path)
    yield from failures
    yield from sorted(files)


def _expand(item: str, opts: ReadOptions) -> Iterator[Path | Failure]:
    path = Path(item)
    if path.is_symlink() and (bad := _link_failure(path)):
        yield bad
    elif path.is_dir():
        # a directory holds documents; JSONL files in it are data (indexes, gold), not
        # documents, so they are read only when named explicitly or matched by a glob
        yield from _walk(path)
    elif path.exists():
        yield path
    elif any(ch in item for ch in "*?["):
        matches = sorted(Path(p) for p in glob.glob(item, recursive=True) if Path(p).is_file())
        if not matches:
            yield Failure(item, "read", "glob matched no files")
        yield from matches
    else:
        yield Failure(item, "read", "no such file or directory")


def _read_path(path: Path, opts: ReadOptions, sidecars: Sidecars) -> Iterator[RawDocument | Failure]:
    src = str(path)
    if safe_source(src) != src:
        yield Failure(safe_source(src), "read", "file name is not valid UTF-8 (rename the file)")
        return
    yield from _read_file(path, opts, sidecars)


def _read_item(item: str, opts: ReadOptions, sidecars: Sidecars) -> Iterator[RawDocument | Failure]:
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
                yield from _guarded(str(path), _read_path(path, opts, sidecars))


def _guarded(source: str, items: Iterator[RawDocument | Failure]) -> Iterator[RawDocument | Failure]:
    """The per-input error boundary: an unexpected error ends this input with a Failure, never
    the batch."""
    try:
        yield from items
    except OSError as exc:
        yield Failure(safe_source(source), "read", f"cannot read: {exc.strerror or exc}")
    except Exception as exc:  # noqa: BLE001 - a bug on one input must not end the batch
        yield Failure(safe_source(source), "read", one_line(f"internal error: {exc.__class__.__name__}: {exc}"))


def iter_inputs(inputs: Iterable[str], opts: ReadOptions | None = None) -> Iterator[RawDocument | Failure]:
    opts = opts or ReadOptions()
    sidecars = Sidecars(opts.meta_file)
    for item in inputs:
        yield from _guarded(item, _read_item(item, opts, sidecars))
