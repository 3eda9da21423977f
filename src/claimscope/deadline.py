"""A total deadline for one HTTP fetch (all reads, all redirects), on top of httpx's per-read
timeout: a server that trickles one byte a second never trips a per-read timeout.

httpx has no total timeout, so the fetch passes `trace` (httpx's public `trace` request
extension) to learn every TCP socket it opens; when the deadline passes a timer shuts them
down, which wakes the blocked read at once. The caller checks `expired` afterwards: a read
that ended because of the shutdown may look like an early end of the body."""
from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Deadline:
    seconds: float
    expired: threading.Event = field(default_factory=threading.Event)
    _sockets: list = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def trace(self, event: str, info: dict) -> None:
        """httpx/httpcore trace hook: remember each connected socket."""
        if event != "connection.connect_tcp.complete":
            return
        sock = info["return_value"].get_extra_info("socket")
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
        if self.expired.is_set():
            _shutdown(sock)

    def expire(self) -> None:
        self.expired.set()
        with self._lock:
            for sock in self._sockets:
                _shutdown(sock)


def _shutdown(sock) -> None:
    try:  # the plain socket method: under TLS, SSLSocket.shutdown would drop its SSL state
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass


@contextmanager
def total_deadline(seconds: float) -> Iterator[Deadline]:
    deadline = Deadline(seconds)
    timer = threading.Timer(seconds, deadline.expire)
    timer.daemon = True
    timer.start()
    try:
        yield deadline
    finally:
        timer.cancel()
