"""Hostile peers for the reliability suite and the campaign runner (issue #14).

- `SlowLoris`: an HTTP server that never finishes its response (for URL fetches).
- `big_head`, `slow_head`, `slow_upload`: clients that send an oversized request head, a head
  that never ends, or an ingest body that trickles in.
"""
from __future__ import annotations

import itertools
import socket
import threading
import time
from collections.abc import Iterable


class SlowLoris:
    """A local server that never finishes: it trickles its response head ("head") or, after a
    complete head, its body ("body"), one byte per `interval` seconds."""

    def __init__(self, mode: str, interval: float = 0.1):
        self.mode, self.interval = mode, interval
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.stop = threading.Event()
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/slow"

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._trickle, args=(conn,), daemon=True).start()

    def _trickle(self, conn: socket.socket) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n"
        try:
            conn.recv(65536)
            if self.mode == "body":
                conn.sendall(head)
            data = head if self.mode == "head" else b"The Council spoke. " * 10_000
            for byte in data:
                if self.stop.wait(self.interval):
                    break
                conn.sendall(bytes([byte]))
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


def big_head(port: int, megabytes: int = 40, path: str = "/") -> bytes:
    """Send a request head with one header of `megabytes` MB; the server's first reply bytes."""
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.settimeout(30)
        try:
            sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nX-Big: ".encode())
            for _ in range(megabytes):
                sock.sendall(b"a" * 1_000_000)
        except OSError:
            pass
        try:
            return sock.recv(100)
        except OSError:
            return b""


def slow_head(port: int, seconds: float, interval: float = 0.5) -> bytes:
    """Trickle a request head one byte per `interval` for up to `seconds`; the reply bytes."""
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.settimeout(interval)
        data = b"GET /api/stats HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 10_000
        return _trickle(sock, (bytes([byte]) for byte in data), seconds)


def slow_upload(port: int, token: str, seconds: float, interval: float = 0.5) -> bytes:
    """Start an authenticated ingest upload and trickle its body; the reply bytes."""
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.settimeout(interval)
        sock.sendall(b"POST /api/ingest HTTP/1.1\r\nHost: x\r\nX-Claimscope-Token: " + token.encode()
                     + b"\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n")
        return _trickle(sock, itertools.repeat(b"x"), seconds)


def _trickle(sock: socket.socket, chunks: Iterable[bytes], seconds: float) -> bytes:
    """Send one chunk per socket timeout until the server answers or `seconds` pass; the reply
    bytes (b"" when the connection drops or the time is up)."""
    end = time.monotonic() + seconds
    for chunk in chunks:
        if time.monotonic() > end:
            break
        try:
            sock.sendall(chunk)
            return sock.recv(100)
        except socket.timeout:
            continue
        except OSError:
            return b""
    return b""
