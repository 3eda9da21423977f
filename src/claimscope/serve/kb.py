"""Defensive access to the actor knowledge base (`claimscope.actors.load_kb`).

The KB API is young; this module only relies on what it can find: a lookup method, a mapping,
or a list of entries (dicts or objects) with `id` and `aliases`/`names`."""
from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def _get(entry: Any, key: str, default: Any = None) -> Any:
    if isinstance(entry, dict):
        return entry.get(key, default)
    return getattr(entry, key, default)


def _strings(value: Any) -> list[str]:
    out: list[str] = []
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):  # e.g. aliases grouped by script/language
        for v in value.values():
            out += _strings(v)
        return out
    if isinstance(value, Iterable):
        for v in value:
            if isinstance(v, str):
                out.append(v)
            elif isinstance(v, dict) and isinstance(v.get("name") or v.get("text"), str):
                out.append(v.get("name") or v.get("text"))
            else:
                name = _get(v, "name") or _get(v, "text")
                if isinstance(name, str):
                    out.append(name)
    return out


class KBView:
    def __init__(self, kb: Any = None):
        self.kb = kb

    @classmethod
    def load(cls, files: Iterable[Path] = ()) -> KBView:
        try:
            from claimscope.actors import load_kb

            return cls(load_kb(list(files)))
        except Exception as exc:  # noqa: BLE001 - the UI works without a KB
            log.warning("knowledge base not available: %s", exc)
            return cls(None)

    def entry(self, entity_id: str) -> Any:
        kb = self.kb
        if kb is None:
            return None
        for name in ("get", "lookup", "by_id", "entry", "find_by_id"):
            fn = getattr(kb, name, None)
            if callable(fn):
                try:
                    found = fn(entity_id)
                except (KeyError, LookupError, TypeError, ValueError):
                    found = None
                if found is not None:
                    return found
        for name in ("by_id", "entries_by_id", "index"):
            mapping = getattr(kb, name, None)
            if isinstance(mapping, dict) and entity_id in mapping:
                return mapping[entity_id]
        entries = getattr(kb, "entries", None) or getattr(kb, "actors", None)
        if isinstance(entries, dict):
            return entries.get(entity_id)
        if isinstance(entries, Iterable):
            for e in entries:
                if _get(e, "id") == entity_id:
                    return e
        return None

    def info(self, entity_id: str) -> dict[str, Any] | None:
        """name, aliases and roles of a KB entry, or None."""
        e = self.entry(entity_id)
        if e is None:
            return None
        aliases = []
        for key in ("aliases", "names", "alias"):
            aliases += _strings(_get(e, key) or [])
        roles = []
        for r in _get(e, "roles") or []:
            roles.append({k: _get(r, k) for k in ("country", "sector", "from", "to", "start", "end")
                          if _get(r, k) is not None})
        name = _get(e, "name")
        return {"name": name if isinstance(name, str) else None,
                "aliases": sorted(set(a for a in aliases if a)), "roles": roles,
                "description": _get(e, "description") if isinstance(_get(e, "description"), str) else None}
