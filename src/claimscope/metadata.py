"""Metadata for text inputs: a sidecar index (`index.jsonl` / `index.csv` beside the files, or an
explicit `--meta FILE`) giving url, title, published date and publisher per file.

A plain-text scrape carries no date or URL of its own; the crawl that made it usually wrote them
down in an index beside it (as in ../shared/corpus/*/index.jsonl). Field names vary between
crawls, so each field accepts the usual aliases (first one present wins). The values become
`RawDocument.meta`, which `extract` treats as given metadata: the text's own dateline still wins
where it is more precise (temporal.annotate_times), and a value that is no date is a warning.
"""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

SIDECAR_NAMES = ("index.jsonl", "index.csv")
# field -> accepted keys, in order of preference
ALIASES: dict[str, tuple[str, ...]] = {
    "published": ("published", "date", "approx_date"),
    "url": ("url", "source_url"),
    "title": ("title",),
    "site": ("site",),
    "publisher": ("publisher", "publisher_or_actor"),
    "author": ("author",),
}
FILE_KEYS = ("file", "path", "filename")
# a given date: an ISO date (year, month or day) at the start, not followed by more digits;
# after it a time of day is fine, anything else ("2022-10 (approx.)") is read with a warning
GIVEN_DATE = re.compile(r"^(\d{4}(?:-\d{2}(?:-\d{2})?)?)(?![\d-])")
TIME_OF_DAY = re.compile(r"^[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")


def normalise(record: dict[str, Any]) -> dict[str, str]:
    """One index record or JSONL document -> the meta fields it gives (aliases folded, blanks
    and non-strings dropped). The site (a facet and an export column) is the given `site`, else
    the URL's host name ("belsat.eu"), else the publisher ("Belsat / Sviatlana Tsikhanouskaya")."""
    meta: dict[str, str] = {}
    for field, keys in ALIASES.items():
        for key in keys:
            value = record.get(key)
            if isinstance(value, (int, float)) and not isinstance(value, bool) and field == "published":
                value = str(value)  # a bare year
            if isinstance(value, str) and value.strip():
                meta[field] = value.strip()
                break
    publisher = meta.pop("publisher", None)
    if "site" not in meta and meta.get("url"):
        try:
            host = urlsplit(meta["url"]).hostname
        except ValueError:  # "http://[not-an-address" is no URL to take a host from
            host = None
        if host:
            meta["site"] = host.removeprefix("www.")
    if "site" not in meta and publisher:
        meta["site"] = publisher
    return meta


class Sidecars:
    """Finds and caches the index of each directory; `meta_for(path)` is the record of a file.

    `explicit` is a --meta FILE: its `file` entries are resolved against the index's own
    directory, and it is used for every input (no per-directory look-up)."""

    def __init__(self, explicit: Path | None = None):
        self.explicit = explicit
        self._by_dir: dict[Path, dict[Path, dict[str, str]]] = {}
        self.warnings: list[tuple[str, str]] = []  # (index:line, reason), reported once
        if explicit is not None:
            self._explicit = self._load(explicit)

    def meta_for(self, path: Path) -> dict[str, str]:
        resolved = path.resolve()
        if self.explicit is not None:
            return dict(self._explicit.get(resolved, {}))
        directory = resolved.parent
        if directory not in self._by_dir:
            self._by_dir[directory] = {}
            for name in SIDECAR_NAMES:
                index = directory / name
                if index.is_file():
                    self._by_dir[directory] = self._load(index)
                    break
        return dict(self._by_dir[directory].get(resolved, {}))

    def drain(self) -> list[tuple[str, str]]:
        """The problems found in indexes since the last call (each reported once)."""
        out, self.warnings = self.warnings, []
        return out

    def _load(self, index: Path) -> dict[Path, dict[str, str]]:
        records: dict[Path, dict[str, str]] = {}
        try:
            rows = list(_rows(index))
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            self.warnings.append((str(index), f"cannot read the metadata index: {exc}"))
            return records
        if not any(isinstance(row, dict) and any(k in row for k in FILE_KEYS) for _, row in rows):
            return records  # no record names a file: not a metadata index (JSONL documents?)
        for where, row in rows:
            if isinstance(row, str):
                self.warnings.append((f"{index}:{where}", row))
                continue
            name = next((row[k] for k in FILE_KEYS if isinstance(row.get(k), str) and row[k]), None)
            if name is None:
                self.warnings.append((f"{index}:{where}", "metadata line without a 'file' field: ignored"))
                continue
            records[(index.parent / name).resolve()] = normalise(row)
        return records


def _rows(index: Path):
    """(line number, record dict | error message) of a JSONL or CSV index."""
    if index.suffix.lower() == ".csv":
        with index.open(encoding="utf-8-sig", newline="") as handle:
            for n, row in enumerate(csv.DictReader(handle), 2):
                yield n, {k.strip().lower(): v for k, v in row.items() if k}
        return
    with index.open(encoding="utf-8") as handle:
        for n, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                yield n, f"malformed JSON: {exc}: line ignored"
                continue
            yield n, row if isinstance(row, dict) else "not a JSON object: line ignored"
