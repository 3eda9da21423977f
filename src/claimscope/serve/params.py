"""Query parameters as the API and the HTML pages read them.

- Enum values are case-insensitive: `NormaliseEnums` (ASGI middleware) rewrites `type=accuse` to
  `ACCUSE`, `aux=Negation` to `negation`, … before validation, so one rule serves every route and
  an unknown value is still a 422 naming the allowed ones (pydantic's literal error lists them).
- Unknown parameters are a 422 naming the ones the endpoint takes (`reject_unknown`, a global
  dependency): a misspelt filter must not silently return everything.
"""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from fastapi import Request
from fastapi.exceptions import RequestValidationError

# parameter -> how its enum values are written
ENUM_CASE = {"type": str.upper, "country": str.upper, "sector": str.upper, "aux": str.lower,
             "mode": str.lower, "sort": str.lower, "order": str.lower, "format": str.lower,
             "step": str.lower, "linked": str.lower}


class NormaliseEnums:
    """Pure ASGI middleware: canonical case for the enum parameters of ENUM_CASE."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope.get("query_string"):
            raw = scope["query_string"].decode("latin-1")
            pairs = parse_qsl(raw, keep_blank_values=True)
            fixed = [(k, ENUM_CASE[k](v) if k in ENUM_CASE else v) for k, v in pairs]
            if fixed != pairs:
                scope = dict(scope, query_string=urlencode(fixed).encode("ascii"))
        return await self.app(scope, receive, send)


_ALLOWED: dict[int, frozenset[str]] = {}


def _declared(dependant, extra: dict) -> set[str]:
    """Query parameter names of a route's dependency tree; `extra` adds the names read by hand."""
    names = {p.alias for p in dependant.query_params} | set(extra.get(dependant.call, ()))
    for sub in dependant.dependencies:
        names |= _declared(sub, extra)
    return names


def reject_unknown_factory(extra: dict):
    """A dependency refusing query parameters the route does not declare. `extra` maps a
    dependency that reads parameters by hand (the HTML pages' filter reader) to the names it
    reads."""

    def reject_unknown(request: Request) -> None:
        route = request.scope.get("route")
        if route is None or not hasattr(route, "dependant"):
            return
        allowed = _ALLOWED.get(id(route))
        if allowed is None:
            allowed = _ALLOWED[id(route)] = frozenset(_declared(route.dependant, extra))
        unknown = [k for k in dict.fromkeys(request.query_params) if k not in allowed]
        if unknown:
            takes = ", ".join(sorted(allowed)) or "no parameters"
            raise RequestValidationError([
                {"loc": ("query", k), "type": "unknown_parameter",
                 "msg": f"unknown parameter {k!r}; this endpoint takes: {takes}"} for k in unknown])

    return reject_unknown


def query_names(call) -> frozenset[str]:
    """The query parameter names a dependency callable declares."""
    from fastapi.dependencies.utils import get_dependant

    return frozenset(_declared(get_dependant(path="", call=call), {}))
