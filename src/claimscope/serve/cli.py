"""`claimscope serve`: the web UI and JSON API. FastAPI/uvicorn are imported inside the command."""
from __future__ import annotations

import json
import os
import socket
from pathlib import Path
from typing import Annotated, Optional

import typer

EPILOG = ("Example: claimscope serve --db claimscope.db --port 8000\n\n"
          "Example (with an upload box): CLAIMSCOPE_TOKEN=s3cret claimscope serve "
          "--db claimscope.db --allow-ingest")


def serve(
    db: Annotated[str, typer.Option("--db", help="SQLite database file or PostgreSQL URL postgresql://user@host:port/dbname (from `claimscope analyze`).")] = "claimscope.db",
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=0, max=65535)] = 8000,
    allow_ingest: Annotated[bool, typer.Option(
        "--allow-ingest", help="Enable the upload box and POST /api/ingest (opens the DB read-write; needs a token).")] = False,
    allow_review: Annotated[bool, typer.Option(
        "--allow-review", help="Let analysts correct events on the document pages and POST /api/corrections (opens the DB read-write; needs a token).")] = False,
    token: Annotated[Optional[str], typer.Option(
        "--token", envvar="CLAIMSCOPE_TOKEN", help="Token required on ingest requests (or env CLAIMSCOPE_TOKEN).")] = None,
    allow_private_urls: Annotated[bool, typer.Option(
        "--allow-private-urls", help="Let URL ingestion fetch loopback/private addresses.")] = False,
    kb: Annotated[Optional[list[Path]], typer.Option(
        "--kb", help="Extra knowledge-base YAML file (repeatable).", exists=True, dir_okay=False)] = None,
    workers: Annotated[int, typer.Option(help="Thread pool size for request handlers (few threads: SQLite work is short and the GIL is shared).", min=1, max=256)] = 4,
    processes: Annotated[int, typer.Option(help="Server processes (each with its own connections).", min=1, max=64)] = 1,
    cache_size: Annotated[int, typer.Option(help="Entries of the result cache for counts, aggregates and name resolution (0 = off).", min=0, max=1_000_000)] = 512,
) -> None:
    """Serve the web UI and the JSON API (OpenAPI at /api/docs) over a claimscope database.

    Read-only by default: the database is opened read-only and nothing can be added. With
    --allow-ingest an upload box analyses pasted text, files and URLs; every ingest request
    must carry the token (header X-Claimscope-Token or form field `token`).
    """
    from claimscope.db import describe
    from claimscope.errors import ClaimscopeError

    if allow_ingest and not token:
        raise ClaimscopeError("--allow-ingest needs a token: pass --token or set CLAIMSCOPE_TOKEN")
    if allow_review and not token:
        raise ClaimscopeError("--allow-review needs a token: pass --token or set CLAIMSCOPE_TOKEN")
    if not (allow_ingest or allow_review):  # fail now, in one line, on a missing, old or unreachable database
        from claimscope.store import open_reader

        open_reader(db).close()
    if token and not (allow_ingest or allow_review):
        typer.echo("note: --token has no effect without --allow-ingest or --allow-review", err=True)
    import uvicorn

    mode = ", ".join(m for m, on in (("ingest enabled", allow_ingest), ("review enabled", allow_review))
                     if on) or "read-only"
    settings = {"db": db, "allow_ingest": allow_ingest, "allow_review": allow_review, "token": token,
                "allow_private_urls": allow_private_urls, "kb_files": [str(p) for p in kb or ()],
                "threads": workers, "cache_size": cache_size}
    if processes > 1:
        if allow_ingest or allow_review:
            raise ClaimscopeError("--allow-ingest and --allow-review work with one process only (--processes 1)")
        # worker processes build the app from the environment (uvicorn imports the factory)
        os.environ[_SETTINGS_ENV] = json.dumps(settings)
        target, kwargs = "claimscope.serve.cli:app_from_env", {"factory": True, "workers": processes}
    else:
        target, kwargs = _build(settings), {}
    _check_listen(host, port)
    typer.echo(f"claimscope serving {describe(db)} ({mode}) on http://{host}:{port}/ — API docs at /api/docs",
               err=True)
    from claimscope.serve.limits import MAX_HEAD_BYTES, LimitedHttpToolsProtocol

    uvicorn.run(target, host=host, port=port, log_level="warning", server_header=False,
                access_log=False, http=LimitedHttpToolsProtocol,
                h11_max_incomplete_event_size=MAX_HEAD_BYTES, **kwargs)


# standalone (tests, `python -m`): a one-command app runs `serve` directly; `claimscope serve`
# registers the same function as a plain command (no COMMAND [ARGS] in its usage line)
app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
app.command(epilog=EPILOG)(serve)

_SETTINGS_ENV = "CLAIMSCOPE_SERVE_SETTINGS"


def _check_listen(host: str, port: int) -> None:
    """Fail before saying "serving on …" when the address cannot be bound (port in use, no such
    interface); uvicorn binds again right after (SO_REUSEADDR, as uvicorn sets it)."""
    from claimscope.errors import ClaimscopeError

    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as exc:
        raise ClaimscopeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def _build(settings: dict):
    from claimscope.serve.app import create_app

    return create_app(settings["db"], allow_ingest=settings["allow_ingest"], token=settings["token"],
                      allow_private_urls=settings["allow_private_urls"],
                      kb_files=tuple(Path(p) for p in settings["kb_files"]), threads=settings["threads"],
                      cache_size=settings.get("cache_size", 512),
                      allow_review=settings.get("allow_review", False))


def app_from_env():
    """uvicorn factory for --processes > 1."""
    return _build(json.loads(os.environ[_SETTINGS_ENV]))
