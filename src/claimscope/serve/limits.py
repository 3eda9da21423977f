"""Limits that hold before the application sees a request (docs/reliability.md).

- `IngestBodyGuard` (ASGI): on the ingest routes, a wrong `X-Claimscope-Token` header or a
  declared body over the cap is refused before a byte of the body is read; any other body is
  read into memory only up to the cap, so every multipart part is capped too (Starlette alone
  spools file parts of any size to disk), and the body must arrive within BODY_TIMEOUT (408):
  reading it holds no thread, and a client trickling it cannot hold memory for long.
- `LimitedHttpToolsProtocol` (uvicorn): the request line plus headers may not exceed
  MAX_HEAD_BYTES (431) nor take longer than HEAD_TIMEOUT to arrive. httptools accumulates a
  header value by repeated bytes concatenation on the event loop, so a 40 MB header stalled
  every other request for seconds.
"""
from __future__ import annotations

import asyncio
import re
from urllib.parse import unquote_plus

import anyio
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from claimscope.serve.ingest import MAX_BYTES, token_ok

MAX_BODY = MAX_BYTES + 256 * 1024  # the 10 MB document plus the form's other fields and framing
MAX_HEAD_BYTES = 64 * 1024
HEAD_TIMEOUT = 10.0  # seconds from a request's first byte to the end of its headers
BODY_TIMEOUT = 30.0  # seconds to receive an ingest body
INGEST_PATHS = frozenset({"/api/ingest", "/ingest"})


class IngestBodyGuard:
    def __init__(self, app, token: str | None):
        self.app = app
        self.token = token

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] not in INGEST_PATHS:
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        given = headers.get(b"x-claimscope-token")
        if given is not None and not token_ok(self.token, given.decode("latin-1")):
            return await _refuse(scope, send, 401, "missing or wrong token")
        try:
            declared = int(headers.get(b"content-length", b"0"))
        except ValueError:
            return await _refuse(scope, send, 400, "invalid Content-Length")
        if declared > MAX_BODY:
            return await _refuse(scope, send, 413, f"request body over {MAX_BODY:,} bytes")
        # without the header, a `token` field sent first (the upload form does) is checked
        # as soon as it has arrived, before the rest of the body
        sniffer = None if given is not None else _LeadingToken.for_type(headers.get(b"content-type", b""))
        body = bytearray()
        with anyio.move_on_after(BODY_TIMEOUT) as timer:
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return None
                chunk = message.get("body", b"")
                body += chunk
                if len(body) > MAX_BODY:
                    return await _refuse(scope, send, 413, f"request body over {MAX_BODY:,} bytes")
                if sniffer is not None and (found := sniffer.feed(chunk)) is not None:
                    sniffer = None
                    if found is not NOT_FIRST and not token_ok(self.token, found):
                        return await _refuse(scope, send, 401, "missing or wrong token")
                if not message.get("more_body"):
                    break
        if timer.cancelled_caught:
            return await _refuse(scope, send, 408, f"request body not received within {BODY_TIMEOUT:g} s")
        replayed = False

        async def replay():
            nonlocal replayed
            if replayed:
                return await receive()  # the app waits for a disconnect once the body is read
            replayed = True
            return {"type": "http.request", "body": bytes(body), "more_body": False}

        return await self.app(scope, replay, send)


NOT_FIRST = object()  # the body's first field is not `token`


class _LeadingToken:
    """Streams a multipart or urlencoded body until its first field is complete; `feed`
    returns the value of that field if it is `token`, NOT_FIRST if the first field is another
    one (the token is then checked by the route, after the capped body), None while undecided."""

    def __init__(self, boundary: bytes | None):
        self.found: str | object | None = None
        self.urlencoded = bytearray() if boundary is None else None
        if boundary is not None:
            from python_multipart.multipart import MultipartParser

            self.field, self.header = bytearray(), bytearray()
            self.disposition = b""
            self.value = bytearray()
            self.parser = MultipartParser(boundary, {
                "on_header_field": lambda d, a, b: self.field.extend(d[a:b]),
                "on_header_value": lambda d, a, b: self.header.extend(d[a:b]),
                "on_header_end": self._header_end,
                "on_headers_finished": self._headers_finished,
                "on_part_data": lambda d, a, b: self.value.extend(d[a:b][:1024]),
                "on_part_end": self._part_end})

    @classmethod
    def for_type(cls, content_type: bytes) -> _LeadingToken | None:
        ctype = content_type.decode("latin-1").lower()
        if ctype.startswith("application/x-www-form-urlencoded"):
            return cls(None)
        match = re.search(r'boundary="?([^";]+)"?', content_type.decode("latin-1"))
        return cls(match.group(1).encode("latin-1")) if ctype.startswith("multipart/form-data") and match else None

    def feed(self, chunk: bytes) -> str | object | None:
        if self.urlencoded is not None:
            self.urlencoded += chunk[:4096]
            first, sep, _ = bytes(self.urlencoded).partition(b"&")
            if sep or len(self.urlencoded) >= 4096:
                name, _, value = first.partition(b"=")
                self.found = unquote_plus(value.decode("latin-1")) if name == b"token" else NOT_FIRST
            return self.found
        if self.found is None:
            try:
                self.parser.write(chunk)
            except Exception:  # noqa: BLE001 - a malformed body is for the route to reject
                self.found = NOT_FIRST
        return self.found

    def _header_end(self) -> None:
        if self.field.lower() == b"content-disposition":
            self.disposition = bytes(self.header)
        self.field, self.header = bytearray(), bytearray()

    def _headers_finished(self) -> None:
        if self.found is None and not re.search(rb'\bname="token"', self.disposition):
            self.found = NOT_FIRST

    def _part_end(self) -> None:
        if self.found is None:
            self.found = self.value.decode("utf-8", "replace")


async def _refuse(scope, send, status: int, message: str) -> None:
    import json

    if scope["path"].startswith("/api/"):
        body, ctype = json.dumps({"detail": message}).encode(), b"application/json"
    else:
        body, ctype = f"{status}: {message}".encode(), b"text/plain; charset=utf-8"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


def _ends_head(data: bytes) -> bool:
    return b"\r\n\r\n" in data or b"\n\n" in data


class LimitedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a size and time limit on each request's head."""

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self._head_bytes = 0
        self._tail = b""
        self._in_head = True
        self._head_timer: asyncio.TimerHandle | None = None

    def connection_lost(self, exc) -> None:
        self._cancel_head_timer()
        super().connection_lost(exc)

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def data_received(self, data: bytes) -> None:
        if self._in_head:
            if self._head_timer is None:  # the clock starts with the request's first byte
                self._head_timer = asyncio.get_running_loop().call_later(HEAD_TIMEOUT, self._head_timed_out)
            allowed = MAX_HEAD_BYTES - self._head_bytes
            # a chunk may hold the end of the head and the start of the body: only bytes
            # before the blank line that ends the head count
            if len(data) > allowed and not _ends_head(self._tail + data[:allowed]):
                self._reject(431, b"Request Header Fields Too Large")
                return
            self._head_bytes += len(data)
            self._tail = data[-3:]
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._cancel_head_timer()
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._in_head, self._head_bytes, self._tail = True, 0, b""  # the next request on this connection

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self._in_head:
            self._reject(408, b"Request Timeout")

    def _reject(self, status: int, reason: bytes) -> None:
        self._in_head = False
        if not self.transport.is_closing():
            body = reason + b"\n"
            self.transport.write(b"HTTP/1.1 %d %s\r\ncontent-type: text/plain\r\ncontent-length: %d\r\n"
                                 b"connection: close\r\n\r\n%s" % (status, reason, len(body), body))
            self.transport.close()
