"""Errors that the CLI reports as one line (no traceback unless --debug)."""
from __future__ import annotations


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
