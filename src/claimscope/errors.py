"""Errors that the CLI reports as one line (no traceback unless --debug)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class ClaimscopeError(Exception):
    """Base for errors shown to the user as a single line."""


class DataFileError(ClaimscopeError):
    """A YAML data file (knowledge base, lexicon, boilerplate) has a bad entry."""

    def __init__(self, path: str, entry: str | int | None, field: str | None, problem: str):
        where = str(path)
        if entry is not None:
            where += f": entry {entry}"
        if field:
            where += f", field '{field}'"
        super().__init__(f"{where}: {problem}")
        self.path, self.entry, self.field, self.problem = path, entry, field, problem


def read_yaml_mapping(path: str | Path, shape: str) -> dict[str, Any]:
    """A data file's top-level mapping; unreadable YAML or another shape is a DataFileError."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(str(path), None, None, f"cannot read: {exc}") from exc
    if not isinstance(data, dict):
        raise DataFileError(str(path), None, None, f"must map {shape}")
    return data
