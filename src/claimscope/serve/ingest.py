"""Ingest for `serve --allow-ingest`: pasted text, an uploaded file, or a URL.

URL fetching refuses anything but http(s), and by default any host that resolves to a
loopback, private, link-local, reserved or multicast address. The check is made on the
address actually connected to: the request goes to the resolved IP (with the original
Host header and TLS server name), and every redirect hop is checked again.
"""
from __future__ import annotations

import hmac
import io
import ipaddress
import socket
from urllib.parse import urljoin, urlsplit, urlunsplit

from claimscope.model import RawDocument

MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
TIMEOUT = 10.0


class IngestError(ValueError):
    """A request we refuse or cannot fulfil; the message is shown to the user."""


def token_ok(expected: str | None, given: str | None) -> bool:
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))


def _public(addr: str) -> bool:
    ip = ipaddress.ip_address(addr.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_loopback or ip.is_private
                                 or ip.is_link_local or ip.is_reserved or ip.is_unspecified)


def _link_local(addr: str) -> bool:
    ip = ipaddress.ip_address(addr.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_link_local


def resolve(host: str, port: int, allow_private: bool) -> str:
    """The address to connect to; IngestError if none is allowed. Link-local addresses
    (169.254.0.0/16, fe80::/10: cloud metadata services) are refused even with allow_private."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise IngestError(f"cannot resolve host {host!r}: {exc}") from None
    addrs = [info[4][0] for info in infos]
    if not addrs:
        raise IngestError(f"cannot resolve host {host!r}")
    metadata = [a for a in addrs if _link_local(a)]
    if metadata:
        raise IngestError(f"refusing {host!r}: it resolves to a link-local address ({metadata[0]}, "
                          "where cloud metadata services live); this is never allowed")
    if not allow_private:
        bad = [a for a in addrs if not _public(a)]
        if bad:
            raise IngestError(f"refusing {host!r}: it resolves to a loopback, private or reserved "
                              f"address ({bad[0]}); start the server with --allow-private-urls to allow it")
    return addrs[0]


def check_url(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise IngestError(f"only http and https URLs are accepted (got {scheme or 'no scheme'!r})")
    if not parts.hostname:
        raise IngestError("the URL has no host")
    if parts.username or parts.password:
        raise IngestError("URLs with credentials are not accepted")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise IngestError("the URL has an invalid port") from None
    return scheme, parts.hostname, port


def fetch_url(url: str, allow_private: bool = False, timeout: float = TIMEOUT,
              max_bytes: int = MAX_BYTES, transport=None) -> RawDocument:
    import httpx

    from claimscope.read import _looks_html

    from claimscope.deadline import total_deadline

    timed_out = IngestError(f"timed out: no complete response within {timeout:g} s")
    with total_deadline(timeout) as deadline, httpx.Client(
            follow_redirects=False, timeout=timeout, transport=transport,
            headers={"User-Agent": "claimscope/0.1"}) as client:
        for _ in range(MAX_REDIRECTS + 1):
            scheme, host, port = check_url(url)
            addr = resolve(host, port, allow_private)
            parts = urlsplit(url)
            ip_host = f"[{addr}]" if ":" in addr else addr
            pinned = urlunsplit((scheme, f"{ip_host}:{port}", parts.path or "/", parts.query, ""))
            host_header = parts.netloc.rsplit("@", 1)[-1]
            try:
                with client.stream("GET", pinned, headers={"Host": host_header},
                                   extensions={"sni_hostname": host, "trace": deadline.trace}) as resp:
                    if resp.is_redirect:
                        location = resp.headers.get("location")
                        if not location:
                            raise IngestError(f"HTTP {resp.status_code} without a Location header")
                        url = urljoin(url, location)
                        continue
                    if resp.status_code >= 400:
                        raise IngestError(f"HTTP {resp.status_code} {resp.reason_phrase} from {url}")
                    buf = io.BytesIO()
                    for chunk in resp.iter_bytes():
                        buf.write(chunk)
                        if buf.tell() > max_bytes:
                            raise IngestError(f"too large: more than {max_bytes:,} bytes")
                    ctype = resp.headers.get("content-type", "").lower()
            except httpx.TimeoutException:
                raise timed_out from None
            except httpx.HTTPError as exc:
                if deadline.expired.is_set():
                    raise timed_out from None
                raise IngestError(f"request failed: {exc.__class__.__name__}: {exc}") from None
            if deadline.expired.is_set():  # the shutdown may have looked like the end of the body
                raise timed_out
            data = buf.getvalue()
            html = "html" in ctype or _looks_html(data)
            return RawDocument(url, data=data, media_type="text/html" if html else "text/plain",
                               meta={"url": url})
    raise IngestError(f"more than {MAX_REDIRECTS} redirects")


def raw_from_upload(filename: str, data: bytes) -> RawDocument:
    from claimscope.read import _looks_html

    if len(data) > MAX_BYTES:
        raise IngestError(f"too large: more than {MAX_BYTES:,} bytes")
    name = filename or "upload"
    html = name.lower().endswith((".html", ".htm", ".xhtml")) or _looks_html(data)
    return RawDocument(f"upload:{name}", data=data, media_type="text/html" if html else "text/plain")


def raw_from_text(text: str, title: str | None = None) -> RawDocument:
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise IngestError(f"too large: more than {MAX_BYTES:,} bytes")
    if not text.strip():
        raise IngestError("the pasted text is empty")
    meta = {"title": title} if title else {}
    return RawDocument("pasted", text=text, media_type="text/plain", meta=meta)
