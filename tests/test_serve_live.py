"""`claimscope serve` as a real process (uvicorn) over both backends: it sees documents that
another process writes while it runs, starts fast, and leaves no temporary files behind on
SIGTERM or SIGINT (issue #14 items 6 and 9)."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from claimscope.model import Document, Event, Sentence, Span
from claimscope.serve.queries import FRESH_S
from claimscope.serve.sample import sample_documents
from claimscope.store import Store

pytestmark = pytest.mark.slow
CLAIMSCOPE = Path(sys.executable).parent / "claimscope"
# what the test promises: a new document is in every view within this many seconds
VISIBLE_WITHIN_S = FRESH_S + 2.0


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, target: str, tmp: Path):
        self.tmpdir = tmp / "tmpdir"
        self.tmpdir.mkdir()
        self.log = tmp / "serve.log"
        self.base = f"http://127.0.0.1:{_port()}"
        env = {**os.environ, "TMPDIR": str(self.tmpdir), "PYTHONWARNINGS": "ignore"}
        with self.log.open("wb") as log:  # a file, never a pipe the server could block on
            self.proc = subprocess.Popen(
                [str(CLAIMSCOPE), "serve", "--db", target, "--port", self.base.rsplit(":", 1)[1]],
                stdout=log, stderr=subprocess.STDOUT, env=env)
        t0 = time.monotonic()
        while True:
            try:
                if httpx.get(self.base + "/api/stats", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert self.proc.poll() is None, self.log.read_text()
            assert time.monotonic() - t0 < 60, "server did not start:\n" + self.log.read_text()
            time.sleep(0.05)
        self.start_s = time.monotonic() - t0

    def get(self, path: str, **params) -> dict:
        r = httpx.get(self.base + path, params=params, timeout=10)
        assert r.status_code == 200, r.text
        return r.json()

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise


def _new_document(word: str) -> Document:
    text = f"Statement. The council condemned the {word} in Minsk."
    start = text.index("The council")
    trigger = text.index("condemned")
    return Document(f"{abs(hash(word)):064d}"[-64:], f"writer:{word}", text, language="en",
                    published="2026-11-30", published_from="given",
                    sentences=[Sentence(0, "body", 0, 10), Sentence(1, "body", start, len(text))],
                    events=[Event("e1", "ACCUSE", None, Span(start, len(text), text[start:]),
                                  Span(trigger, trigger + 9, "condemned"), 1, date="2026-11-30")])


def test_serve_sees_another_process_writes(db_target, tmp_path):
    with Store(db_target) as store:
        for doc in sample_documents():
            store.add(doc)
    server = Server(db_target, tmp_path)
    try:
        assert server.start_s < 30  # (bench/load_events.py measures it at 10,000 documents)
        before = server.get("/api/stats")
        # warm the cache for the views that are cached
        server.get("/api/events", type="ACCUSE")
        server.get("/api/documents", q="zanzibarquake")
        for round_ in range(2):
            word = f"zanzibarquake{round_}"
            doc = _new_document(word)
            with Store(db_target) as writer:  # another process's connection, not the server's
                assert writer.add(doc)
            t0 = time.monotonic()
            while True:
                stats = server.get("/api/stats")
                found = server.get("/api/documents", q=word)
                events = server.get("/api/events", type="ACCUSE", doc=doc.id)
                text = server.get("/api/events", text=word)
                if (stats["documents"] == before["documents"] + round_ + 1 and found["total"] == 1
                        and len(found["items"]) == 1 and events["total"] == 1 and text["total"] == 1):
                    break
                assert time.monotonic() - t0 < VISIBLE_WITHIN_S, (stats, found, events, text)
                time.sleep(0.05)
        assert server.get("/api/events")["total"] == before["events"] + 2
    finally:
        server.stop()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_no_temporary_files_left_after_a_signal(tmp_path, sig):
    path = tmp_path / "s.db"
    with Store(path) as store:
        for doc in sample_documents():
            store.add(doc)
    server = Server(str(path), tmp_path)
    server.get("/api/events", text="sanctions")
    assert httpx.get(server.base + "/api/events/download", timeout=10).status_code == 200
    assert server.stop(sig) is not None
    assert list(server.tmpdir.iterdir()) == []
