"""read stage: files, directories, globs, stdin, URLs, JSONL, WARC, encodings."""
from __future__ import annotations

import codecs
import io
import json
from pathlib import Path

import pytest

from claimscope.model import Failure, RawDocument
from claimscope.read import ReadOptions, decode, iter_inputs

HTML_BODY = (Path(__file__).resolve().parent / "data" / "foundation" / "statement.html").read_text("utf-8")

RU = ("Координационный совет Беларуси полностью поддерживает правительство и народ независимой "
      "Украины в их решительной борьбе с агрессором. Мы сочувствуем боли, через которую вы "
      "проходите ежедневно. Слава Украине! Жыве Беларусь!")
BE = ("Каардынацыйная рада Беларусі цалкам падтрымлівае ўрад і народ незалежнай Украіны ў іх "
      "рашучай барацьбе з агрэсарам. Мы спачуваем болю, праз які вы праходзіце штодня. "
      "Слава Украіне! Жыве Беларусь!")
EN = "The Council said: “We support Ukraine.” Łukašenka’s regime — Cichanoŭskaja\u00a0said."


def _all(inputs, **opts):
    return list(iter_inputs([str(i) for i in inputs], ReadOptions(**opts)))


def _docs(items):
    return [i for i in items if isinstance(i, RawDocument)]


def _fails(items):
    return [i for i in items if isinstance(i, Failure)]


# ---------------------------------------------------------------- encodings

@pytest.mark.parametrize("data, expected", [
    (EN.encode("utf-8"), EN),
    (codecs.BOM_UTF8 + EN.encode("utf-8"), EN),
    (codecs.BOM_UTF16_LE + EN.encode("utf-16-le"), EN),
    (codecs.BOM_UTF16_BE + EN.encode("utf-16-be"), EN),
    (codecs.BOM_UTF16_LE + RU.encode("utf-16-le"), RU),
    (RU.encode("utf-8"), RU),
    (RU.encode("cp1251"), RU),
    (BE.encode("cp1251"), BE),
    (RU.encode("koi8_r"), RU),
], ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le-ru", "utf8-ru", "cp1251-ru",
        "cp1251-be", "koi8r-ru"])
def test_decode_encodings(data, expected):
    assert decode(data) == expected


@pytest.mark.parametrize("encoding, text", [("cp1251", RU), ("cp1251", BE), ("koi8_r", RU),
                                            ("utf-16", EN), ("utf-8-sig", RU)])
def test_encoded_file_through_pipeline(tmp_path, pipeline, encoding, text):
    path = tmp_path / "doc.txt"
    path.write_bytes(text.encode(encoding))
    [raw] = _all([path])
    assert pipeline.analyze(raw).text == text


@pytest.mark.parametrize("data, needle", [
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG"),
    (b"%PDF-1.7\n" + bytes(range(256)), "PDF"),
    (b"abc\x00\x01\x02def" * 10, "binary"),
    ("Лукашэнка сказаў “не”. ".encode() * 5 + b"\xff" + "Канец.".encode(), "UTF-8"),
])
def test_decode_refuses_with_reason(data, needle):
    with pytest.raises(ValueError, match=needle):
        decode(data)


# ---------------------------------------------------------------- files, directories, globs

@pytest.fixture()
def tree(tmp_path):
    (tmp_path / "a.txt").write_text("First document. It has text.", "utf-8")
    (tmp_path / "b.md").write_text("# Heading\n\nMarkdown text here.", "utf-8")
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "sub" / "c.html").write_text(HTML_BODY, "utf-8")
    (tmp_path / "sub" / "deeper" / "d.htm").write_text(HTML_BODY, "utf-8")
    (tmp_path / "sub" / "deeper" / "README").write_text("A suffix-less text file.", "utf-8")
    (tmp_path / "sub" / "index.jsonl").write_text(json.dumps({"text": "From JSONL."}) + "\n", "utf-8")
    (tmp_path / "sub" / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)
    (tmp_path / "sub" / "data.csv").write_text("a,b\n1,2\n", "utf-8")
    (tmp_path / ".hidden.txt").write_text("Hidden file.", "utf-8")
    return tmp_path


def test_single_file(tree):
    [raw] = _all([tree / "a.txt"])
    assert raw.source == str(tree / "a.txt")
    assert raw.data == b"First document. It has text."
    assert raw.media_type == "text/plain"


def test_html_file_media_type(tree):
    [raw] = _all([tree / "sub" / "c.html"])
    assert raw.media_type == "text/html"


def test_html_sniffed_without_suffix(tmp_path):
    path = tmp_path / "page"
    path.write_text(HTML_BODY, "utf-8")
    [raw] = _all([path])
    assert raw.media_type == "text/html"


def test_directory_is_recursive_and_only_document_files(tree):
    items = _all([tree])
    assert not _fails(items)
    names = sorted(Path(d.source).name for d in _docs(items))
    # .jsonl, .png, .csv and hidden files are not documents of a directory
    assert names == ["README", "a.txt", "b.md", "c.html", "d.htm"]


def test_jsonl_read_when_named_explicitly(tree):
    [raw] = _all([tree / "sub" / "index.jsonl"])
    assert raw.text == "From JSONL."


def test_glob_pattern(tree):
    items = _all([str(tree / "**" / "*.htm*")])
    assert sorted(Path(d.source).name for d in _docs(items)) == ["c.html", "d.htm"]
    items = _all([str(tree / "sub" / "*.jsonl")])
    assert [d.text for d in _docs(items)] == ["From JSONL."]


def test_glob_without_match_and_missing_path_fail(tree):
    items = _all([str(tree / "*.nothing"), tree / "missing.txt", tree / "a.txt"])
    fails = _fails(items)
    assert [f.reason for f in fails] == ["glob matched no files", "no such file or directory"]
    assert len(_docs(items)) == 1  # the good input after the bad ones is still read


def test_file_over_max_bytes(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("word " * 1000, "utf-8")
    [fail] = _all([path], max_bytes=100)
    assert isinstance(fail, Failure) and "too large" in fail.reason


# ---------------------------------------------------------------- stdin

def test_stdin_via_cli(cli):
    result = cli("analyze", "-", "--format", "json", "--quiet",
                 input="The Council supports Ukraine. We call on all countries to help.")
    assert result.exit_code == 0, result.output
    analysis = json.loads(result.stdout)
    assert analysis["document"]["source"] == "<stdin>"
    assert analysis["document"]["text"] == "The Council supports Ukraine. We call on all countries to help."


def test_stdin_via_subprocess_cp1251(claimscope_proc):
    proc = claimscope_proc("analyze", "-", "--format", "json", "--quiet", input=RU.encode("cp1251"))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["document"]["text"] == RU


def test_stdin_html(cli):
    result = cli("analyze", "-", "--format", "json", "--quiet", input=HTML_BODY)
    assert result.exit_code == 0, result.output
    analysis = json.loads(result.stdout)
    assert analysis["document"]["media_type"] == "text/html"
    assert "Council listed its demands" in analysis["document"]["text"]


# ---------------------------------------------------------------- URLs

def test_url_text(http_server, served):
    [raw] = _all([http_server + "/text"])
    assert isinstance(raw, RawDocument)
    assert raw.data == served["text"].encode() and raw.media_type == "text/plain"


def test_url_html(http_server, pipeline):
    [raw] = _all([http_server + "/page.html"])
    assert raw.media_type == "text/html"
    doc = pipeline.analyze(raw)
    assert doc.url == http_server + "/page.html"
    assert "fully supports the government" in doc.text


def test_url_404(http_server):
    [fail] = _all([http_server + "/missing"])
    assert isinstance(fail, Failure) and "404" in fail.reason


def test_url_redirect_followed(http_server, served):
    [raw] = _all([http_server + "/redirect"])
    assert isinstance(raw, RawDocument)
    assert raw.data == served["text"].encode()
    assert raw.meta["url"] == http_server + "/text"


def test_url_redirect_loop(http_server):
    [fail] = _all([http_server + "/loop"], max_redirects=3)
    assert isinstance(fail, Failure) and "redirect" in fail.reason


def test_url_redirect_to_ftp_refused(http_server):
    [fail] = _all([http_server + "/to-ftp"])
    assert isinstance(fail, Failure)


def test_url_timeout(http_server):
    [fail] = _all([http_server + "/slow"], url_timeout=0.5)
    assert isinstance(fail, Failure) and "timed out" in fail.reason


def test_url_over_max_bytes(http_server):
    [fail] = _all([http_server + "/big"], max_bytes=100_000)
    assert isinstance(fail, Failure) and "too large" in fail.reason


def test_url_options_from_cli(cli, http_server, tmp_path):
    result = cli("analyze", http_server + "/slow", http_server + "/big", http_server + "/text",
                 "--timeout", "0.5", "--max-bytes", "100000", "--db", tmp_path / "t.db")
    assert result.exit_code == 1
    assert "timed out" in result.stderr and "too large" in result.stderr
    assert "1 stored" in result.stderr


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x.txt", "gopher://x/"])
def test_non_http_scheme_refused(url):
    [fail] = _all([url])
    assert isinstance(fail, Failure) and "http" in fail.reason


# ---------------------------------------------------------------- JSONL

def test_jsonl_records(tmp_path, pipeline):
    path = tmp_path / "docs.jsonl"
    lines = [
        json.dumps({"text": "The Council supports Ukraine.", "title": "T1", "published": "2023-02-24"}),
        "",
        json.dumps({"html": HTML_BODY, "url": "https://example.org/a"}),
        "{not json",
        json.dumps({"title": "no text here"}),
        json.dumps({"text": 42}),
        json.dumps(["a", "list"]),
        json.dumps({"text": "Last record. It is read after the bad lines.", "url": "https://example.org/b"}),
    ]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    items = _all([path])
    docs, fails = _docs(items), _fails(items)
    assert len(docs) == 3 and len(fails) == 4
    assert [f.source for f in fails] == [f"{path}#{n}" for n in (4, 5, 6, 7)]
    assert "malformed JSON" in fails[0].reason
    assert all("text" in f.reason for f in fails[1:])
    first = pipeline.analyze(docs[0])
    assert (first.title, first.published, first.published_from) == ("T1", "2023-02-24", "given")
    assert docs[1].media_type == "text/html" and docs[1].source == "https://example.org/a"
    assert docs[2].source == "https://example.org/b"


# ---------------------------------------------------------------- WARC

def _warc(path: Path, pages: list[tuple[str, bytes, str]], gzip: bool = False) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "tests"}))
        for uri, body, ctype in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.0")
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))


PAGE2 = HTML_BODY.replace("Council calls for sanctions", "Second page").encode()


@pytest.mark.parametrize("gzip", [False, True], ids=["warc", "warc.gz"])
def test_warc_response_records(tmp_path, pipeline, gzip):
    path = tmp_path / ("a.warc.gz" if gzip else "a.warc")
    _warc(path, [("https://example.org/1", HTML_BODY.encode(), "text/html; charset=utf-8"),
                 ("https://example.org/img", b"\x89PNG....", "image/png"),
                 ("https://example.org/2", PAGE2, "text/html")], gzip=gzip)
    items = _all([path])
    assert not _fails(items)
    docs = _docs(items)
    assert [d.source for d in docs] == ["https://example.org/1", "https://example.org/2"]
    assert all(d.media_type == "text/html" for d in docs)
    assert "Council listed its demands" in pipeline.analyze(docs[0]).text


def test_warc_in_directory(tmp_path):
    _warc(tmp_path / "crawl.warc", [("https://example.org/1", HTML_BODY.encode(), "text/html")])
    assert [d.source for d in _docs(_all([tmp_path]))] == ["https://example.org/1"]


@pytest.mark.parametrize("where, offset", [("payload", 400), ("headers", 50)])
def test_truncated_warc(tmp_path, where, offset):
    full = tmp_path / "full.warc"
    _warc(full, [("https://example.org/1", HTML_BODY.encode(), "text/html"),
                 ("https://example.org/2", PAGE2, "text/html")])
    data = full.read_bytes()
    cut = data.index(b"https://example.org/2") + offset  # inside the second record
    truncated = tmp_path / "cut.warc"
    truncated.write_bytes(data[:cut])
    items = _all([truncated])
    assert [d.source for d in _docs(items)] == ["https://example.org/1"]  # earlier record still yielded
    [fail] = _fails(items)
    assert "truncated" in fail.reason or "malformed" in fail.reason


@pytest.mark.parametrize("content", [b"this is not a WARC file at all\r\n\r\n", b""], ids=["garbage", "empty"])
def test_unreadable_warc_is_a_failure(tmp_path, content):
    path = tmp_path / "bad.warc"
    path.write_bytes(content)
    items = _all([path])
    assert not _docs(items)
    assert len(_fails(items)) == 1
