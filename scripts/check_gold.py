#!/usr/bin/env python3
"""Check a gold file (SPEC §5 format) before it is used: one JSON object a line, every `where`
found verbatim in its document (whitespace folded), types/modes/aux/contexts from SPEC §2,
every actor and recipient named in the document's `actors` list, codes well formed.

Standalone on purpose (standard library only, the ontology tables read from the one
import-free source file): annotators run it without installing or reading claimscope.

    python3 scripts/check_gold.py corpus/gold/train.jsonl [--root ../shared]
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
from pathlib import Path


def _ontology():
    """SPEC §2 tables from src/claimscope/events/ontology.py, loaded as a lone file (it imports
    nothing), so this script needs neither an install nor the package's dependencies."""
    path = Path(__file__).resolve().parents[1] / "src" / "claimscope" / "events" / "ontology.py"
    spec = importlib.util.spec_from_file_location("claimscope_ontology", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_ONTOLOGY = _ontology()
MODES, CONTEXTS, AUX, SECTORS = _ONTOLOGY.MODES, _ONTOLOGY.CONTEXTS, _ONTOLOGY.AUX, _ONTOLOGY.SECTORS
TIME_VALUE = re.compile(r"^(\d{4}(-\d{2}(-\d{2})?)?|--\d{2}(-\d{2})?|\d{4}-W\d{2}|\d{4}-\d{2}/\d{4}-\d{2})$")
_WS = re.compile(r"\s+")


def fold(s: str) -> str:
    return _WS.sub(" ", s).strip()


def resolve(file: str, gold: Path, root: Path | None) -> Path | None:
    for base in [root, gold.parent, gold.parent.parent, gold.parent.parent.parent / ".." / "shared",
                 Path.cwd()]:
        if base is not None and (base / file).is_file():
            return base / file
    return None


def check_line(obj: dict, gold: Path, root: Path | None) -> list[str]:
    errs: list[str] = []
    path = resolve(obj.get("file", ""), gold, root)
    if path is None:
        return [f"file {obj.get('file')!r} not found"]
    text = fold(path.read_text(encoding="utf-8", errors="replace"))
    names: set[str] = set()
    for i, a in enumerate(obj.get("actors", [])):
        if not a.get("name"):
            errs.append(f"actors[{i}]: no name")
            continue
        names.add(a["name"])
        c = a.get("country")
        if c is not None and not re.fullmatch(r"[A-Z]{3}", c):
            errs.append(f"actors[{i}] {a['name']}: country {c!r} is not ISO alpha-3/IGO/NGO/EUR/UNO")
        if a.get("sector") is not None and a["sector"] not in SECTORS:
            errs.append(f"actors[{i}] {a['name']}: sector {a['sector']!r} unknown")
        if not isinstance(a.get("aliases", []), list):
            errs.append(f"actors[{i}] {a['name']}: aliases must be a list")
    for i, e in enumerate(obj.get("events", [])):
        where = e.get("where") or ""
        tag = f"events[{i}] {where[:40]!r}"
        if fold(where) not in text:
            errs.append(f"{tag}: `where` is not a verbatim substring of the document")
        t = e.get("type")
        if t not in MODES:
            errs.append(f"{tag}: type {t!r} unknown")
        elif e.get("mode") is not None and e["mode"] not in MODES[t]:
            errs.append(f"{tag}: mode {e['mode']!r} not a mode of {t}")
        for a in e.get("aux", []):
            if a not in AUX:
                errs.append(f"{tag}: aux {a!r} unknown")
        for c in e.get("contexts", []):
            if c not in CONTEXTS:
                errs.append(f"{tag}: context {c!r} unknown")
        for role in [e.get("actor")] + list(e.get("recipients", [])):
            if role is not None and role not in names:
                # allowed by SPEC §5 (the name then matches only itself), but usually a slip
                errs.append(f"warning: {tag}: {role!r} is not the name of an entry in `actors`")
    for i, t in enumerate(obj.get("times", [])):
        if fold(t.get("text", "")) not in text:
            errs.append(f"times[{i}] {t.get('text')!r}: not in the document")
        if not TIME_VALUE.match(str(t.get("value", ""))):
            errs.append(f"times[{i}] {t.get('text')!r}: value {t.get('value')!r} malformed")
    return errs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", type=Path, nargs="+")
    ap.add_argument("--root", type=Path, help="directory the `file` paths are relative to")
    args = ap.parse_args()
    bad = 0
    for gold in args.gold:
        seen = set()
        for n, line in enumerate(gold.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                print(f"{gold}:{n}: not JSON: {e}")
                bad += 1
                continue
            if obj.get("file") in seen:
                print(f"{gold}:{n}: {obj.get('file')} coded twice")
                bad += 1
            seen.add(obj.get("file"))
            for err in check_line(obj, gold, args.root):
                print(f"{gold}:{n} ({obj.get('file')}): {err}")
                bad += not err.startswith("warning:")
        print(f"{gold}: {len(seen)} documents, {bad} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
