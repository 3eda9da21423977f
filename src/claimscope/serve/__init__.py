"""`claimscope serve`: a read-only JSON API (OpenAPI-described) and a web UI over the SQLite store.

Kept light on import: FastAPI, uvicorn and Jinja2 load only in `serve.app` / inside the CLI
command, so `claimscope --help` stays fast. Use `claimscope.serve.app.create_app(db_path)`.
"""
from __future__ import annotations

__all__ = ["create_app"]


def create_app(*args, **kwargs):  # pragma: no cover - thin lazy re-export
    from claimscope.serve.app import create_app as _create_app

    return _create_app(*args, **kwargs)
