"""Generate the bad-input corpus of issue #14: 33 kinds of bad input mixed with good documents.

    python scripts/bad_corpus.py DIR        # writes DIR/, prints the inputs and expectations as JSON

Every bad kind must end as exactly one `failures` row whose reason contains `needle`; every good
document must be stored. The reliability suite (tests/test_reliability.py) and the campaign
runner (bench/campaign.py) both build their inputs here. Texts are written for this project.

Kinds needing special handling by the caller:
- `fifo`: a named pipe; the caller must write more than `max_bytes` into it (`feed_fifo`).
- `unreadable_dir`, `unreadable_file`: mode 000, which root ignores: run the batch as an
  unprivileged user (`as_nobody`) when running as root.
"""
from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

MAX_BYTES = 1_000_000  # the batch runs with --max-bytes MAX_BYTES so "huge" stays cheap to make

EN = ("The Coordination Council of Belarus condemned the arrest of journalists in Minsk on {n} "
      "March. It called on the European Union to impose new sanctions on the regime.")
RU = ("Координационный совет Беларуси полностью поддерживает народ Украины. "
      "Мы призываем правительства всех стран оказать помощь.")
HTML = ("<!DOCTYPE html><html><head><title>Council statement {n}</title></head><body><article>"
        "<h1>Council statement {n}</h1><p>The Coordination Council of Belarus condemned the arrest "
        "of journalists in Minsk. It demanded their immediate release on day {n}.</p><p>The Council "
        "also called on the European Union to support independent media in Belarus.</p>"
        "</article></body></html>")


@dataclass
class Corpus:
    root: Path
    inputs: list[str] = field(default_factory=list)  # the analyze arguments, good and bad mixed
    good: list[str] = field(default_factory=list)  # sources that must be stored
    bad: dict[str, tuple[str, str]] = field(default_factory=dict)  # source -> (kind, needle)
    fifo: Path | None = None

    def kinds(self) -> list[str]:
        return [kind for kind, _ in self.bad.values()]


def _warc(path: Path, pages: list[tuple[str, bytes, str]], gzip_it: bool = False,
          header_padding: int = 0) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gzip_it)
        for uri, body, ctype in pages:
            headers = [("Content-Type", ctype)]
            if header_padding:
                headers.append(("X-Padding", "p" * header_padding))
            writer.write_record(writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body),
                http_headers=StatusAndHeaders("200 OK", headers, protocol="HTTP/1.0")))


def build(root: Path) -> Corpus:
    root.mkdir(parents=True, exist_ok=True)
    c = Corpus(root)
    walked = root / "walked"  # a directory given as one argument: the walk must report its bad entries
    walked.mkdir()
    loose = root / "loose"  # files given one by one
    loose.mkdir()

    def good_file(name: str, data: bytes, where: Path = loose) -> None:
        path = where / name
        path.write_bytes(data)
        c.good.append(str(path))
        if where is loose:
            c.inputs.append(str(path))

    def bad_file(kind: str, name: str, data: bytes | None, needle: str, where: Path = loose) -> Path:
        path = where / name
        if data is not None:
            path.write_bytes(data)
        c.bad[str(path)] = (kind, needle)
        if where is loose:
            c.inputs.append(str(path))
        return path

    # ---- good documents, between and around the bad ones
    good_file("en_1.txt", EN.format(n=1).encode())
    good_file("ru_utf8.md", RU.encode())
    good_file("page_2.html", HTML.format(n=2).encode())
    good_file("ru_utf16_nobom.txt", (RU + " Жыве Беларусь!").encode("utf-16-le"))  # was called binary before #14
    good_file("ru_cp1251.txt", RU.replace("Украины", "Украины и Беларуси").encode("cp1251"))
    good_file("en_bom.txt", codecs.BOM_UTF8 + EN.format(n=3).encode())
    nested = "<html><body>" + "<div>" * 10_000 + HTML.format(n=4).split("<body>")[1].split("</body>")[0] \
        + "</div>" * 10_000 + "</body></html>"
    good_file("nested_10000.html", nested.encode())  # was "no extractable main text" before #14
    good_file("walked_en_5.txt", EN.format(n=5).encode(), walked)
    good_file("walked_page_6.htm", HTML.format(n=6).encode(), walked)

    # ---- encodings and content (12)
    bad_file("empty", "empty.txt", b"", "empty")
    bad_file("whitespace", "blank.txt", b" \n\t\n   \n", "whitespace")
    bad_file("nul_binary", "nul.txt", b"abc\x00\x01\x02def" * 50, "binary")
    bad_file("png", "image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "png")
    bad_file("pdf", "paper.txt", b"%PDF-1.7\n" + bytes(range(256)) * 4, "pdf")
    bad_file("gzip_as_text", "archive.txt", gzip.compress(EN.format(n=7).encode() * 20), "gzip")
    bad_file("elf", "program", b"\x7fELF\x02\x01\x01" + bytes(500), "executable")
    bad_file("broken_utf8", "broken_utf8.txt", "Лукашэнка заявіў, што выбары адбудуцца. ".encode() * 20
             + b"\xff" + " Канец.".encode(), "utf-8")
    bad_file("bad_utf16_after_bom", "bad_utf16.txt", codecs.BOM_UTF16_LE + "Council".encode("utf-16-le")
             + b"\x00\xd8" + "x".encode("utf-16-le"), "utf-16")
    bad_file("html_no_text", "scripts_only.html", b"<html><head><script>var a = 1;</script></head>"
             b"<body><script>document.write('x')</script></body></html>", "no extractable")
    bad_file("tag_soup_bomb", "tag_soup.html", b"<html><body>" + b"<b></b><i/>" * 80_000 + b"</body></html>",
             "no extractable")
    bad_file("boilerplate_only", "boilerplate.txt", b"Skip to main content\n\nTop of page\n", "boilerplate")

    # ---- sizes (6)
    with bad_file("huge_sparse", "huge.txt", None, "too large").open("wb") as handle:
        handle.truncate(3 * MAX_BYTES)  # sparse: no disk space used
    c.inputs.append("/dev/zero")
    c.bad["/dev/zero"] = ("device", "too large")
    c.fifo = bad_file("fifo", "pipe.txt", None, "too large")
    os.mkfifo(c.fifo)
    bad_file("long_line", "long_line.txt", ("word " * 4_000).encode(), "characters long")
    bad_file("many_lines", "many_lines.txt", "".join(f"Line {i}.\n" for i in range(60_000)).encode(),
             "too many")
    long_jsonl = bad_file("jsonl_long_line", "long_line.jsonl", None, "too large")
    long_jsonl.write_text(json.dumps({"text": "x " * MAX_BYTES}) + "\n"
                          + json.dumps({"text": EN.format(n=8), "url": "https://example.org/after-long-line"}) + "\n")
    c.bad[f"{long_jsonl}#1"] = c.bad.pop(str(long_jsonl))
    c.good.append("https://example.org/after-long-line")

    # ---- names, links, permissions (8)
    bad_file("missing", "missing.txt", None, "no such file")
    raw_name = os.fsdecode(os.fsencode(str(walked)) + b"/bad\xffname.txt")
    Path(raw_name).write_bytes(EN.format(n=9).encode())
    c.bad[os.fsencode(raw_name).decode("utf-8", "backslashreplace")] = ("non_utf8_name", "not valid utf-8")
    too_long = str(loose / ("n" * 300 + ".txt"))
    c.inputs.append(too_long)
    c.bad[too_long] = ("enametoolong", "too long")
    (walked / "dangling.txt").symlink_to(walked / "nowhere.txt")
    c.bad[str(walked / "dangling.txt")] = ("dangling_link", "dangling")
    (walked / "self.txt").symlink_to(walked / "self.txt")
    c.bad[str(walked / "self.txt")] = ("self_loop_link", "loop")
    (walked / "sub").mkdir()
    (walked / "sub" / "up").symlink_to(walked)
    c.bad[str(walked / "sub" / "up")] = ("dir_loop_link", "loop")
    locked = walked / "locked"
    locked.mkdir()
    (locked / "inside.txt").write_bytes(EN.format(n=10).encode())
    locked.chmod(0)
    c.bad[str(locked)] = ("unreadable_dir", "permission denied")
    secret = walked / "secret.txt"
    secret.write_bytes(EN.format(n=11).encode())
    secret.chmod(0)
    c.bad[str(secret)] = ("unreadable_file", "permission denied")
    c.inputs.append(str(walked))

    # ---- JSONL garbage (3), beside good records
    jsonl = loose / "records.jsonl"
    jsonl.write_text("\n".join([
        json.dumps({"text": EN.format(n=12), "title": "Good record"}),
        "{not json",
        json.dumps({"title": "no text field"}),
        '{"text": "The Council spoke.", "title": "T \\ud800"}',
        json.dumps({"html": HTML.format(n=13), "url": "https://example.org/record-5"}),
    ]) + "\n", "utf-8")
    c.inputs.append(str(jsonl))
    c.good += [f"{jsonl}#1", "https://example.org/record-5"]
    c.bad[f"{jsonl}#2"] = ("jsonl_malformed", "malformed json")
    c.bad[f"{jsonl}#3"] = ("jsonl_no_text", "needs a string")
    c.bad[f"{jsonl}#4"] = ("jsonl_lone_surrogate", "lone surrogate")

    # ---- WARC (4)
    good_warc = loose / "good.warc.gz"
    _warc(good_warc, [("https://example.org/warc-1", HTML.format(n=14).encode(), "text/html")], gzip_it=True)
    c.inputs.append(str(good_warc))
    c.good.append("https://example.org/warc-1")
    full = loose / "full.warc.gz.tmp"
    _warc(full, [("https://example.org/cut-gz", HTML.format(n=15).encode() * 20, "text/html")], gzip_it=True)
    data = full.read_bytes()
    full.unlink()
    bad_file("truncated_warc_gz", "cut.warc.gz", data[: len(data) // 2], "truncated")
    full = loose / "full.warc.tmp"
    _warc(full, [("https://example.org/cut", HTML.format(n=16).encode() * 20, "text/html")])
    data = full.read_bytes()
    full.unlink()
    cut = bad_file("truncated_warc", "cut.warc", data[: len(data) - 500], "truncated")
    c.bad["https://example.org/cut"] = c.bad.pop(str(cut))
    bad_file("not_warc", "notes.warc", EN.format(n=17).encode(), "not a warc")
    _warc(loose / "huge_header.warc", [("https://example.org/huge-header", HTML.format(n=18).encode(), "text/html")],
          header_padding=400_000)
    c.inputs.append(str(loose / "huge_header.warc"))
    c.bad["https://example.org/huge-header"] = ("warc_huge_http_header", "http headers exceed")
    # the truncated .warc.gz fails on its archive path with the record's number
    gz = str(loose / "cut.warc.gz")
    c.bad[f"{gz}#1"] = c.bad.pop(gz)
    return c


def feed_fifo(path: Path, size: int = 3 * MAX_BYTES) -> threading.Thread:
    """Write `size` bytes of text into the named pipe from a thread (the reader stops early)."""
    def write() -> None:
        try:
            with path.open("wb") as handle:
                chunk = b"The Council spoke again. " * 4096
                for _ in range(size // len(chunk) + 1):
                    handle.write(chunk)
        except (BrokenPipeError, OSError):
            pass

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


def as_nobody() -> list[str]:
    """Command prefix that drops root privileges (mode-000 files are readable by root)."""
    if os.geteuid() != 0:
        return []
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def open_up(root: Path) -> None:
    """Let the unprivileged user write the database beside the corpus (the parents of `root`
    must be searchable by everyone: make `root` with tempfile.mkdtemp(), not under pytest's
    private tmp_path)."""
    root.chmod(0o777)


if __name__ == "__main__":
    corpus = build(Path(sys.argv[1]))
    print(json.dumps({"inputs": corpus.inputs, "good": corpus.good,
                      "bad": {k: list(v) for k, v in corpus.bad.items()}}, ensure_ascii=False, indent=1))
