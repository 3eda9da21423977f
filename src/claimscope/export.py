"""Export from the store: full analyses as JSONL, flat tables as CSV, JSONL or Parquet.

Every flat table is described once, in `TABLES` (column name, type, meaning): the CSV header,
the Parquet schema, the API's download columns and docs/data-dictionary.md (`data_dictionary()`,
written by scripts/data_dictionary.py) all come from it.

One convention for empty values: a missing value is null in JSONL/Parquet and an empty cell in
CSV; a list column is a real list in JSONL/Parquet (empty: []) and its items joined with "; " in
CSV; an unknown item of a list that runs parallel to another (the id of an unlinked recipient)
is null in JSONL/Parquet and an empty item in CSV.
"""
from __future__ import annotations

import calendar
import csv
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import IO, Any

from claimscope.db import Connection
from claimscope.store import iter_analyses

FORMATS = ("jsonl", "csv", "parquet", "gold")
LIST_SEPARATOR = "; "


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # string, integer, number, boolean, date, timestamp, list
    meaning: str


def _cols(*spec: tuple[str, str, str]) -> list[Column]:
    return [Column(*s) for s in spec]


EVENT_TABLE = _cols(
    ("doc_id", "string", "Document id (content hash of the cleaned text)."),
    ("event_id", "string", "Event id, unique within the document."),
    ("published", "string", "Publication date of the document as known: YYYY, YYYY-MM or YYYY-MM-DD."),
    ("date", "string", "The event's date as the text states it (ISO 8601; may be partial, e.g. "
                       "'2021', '2021-03', '--02-24' for a day without a year)."),
    ("date_start", "date", "First day the `date` can mean (sortable; empty when it has no year)."),
    ("date_end", "date", "Last day the `date` can mean (sortable; empty when it has no year)."),
    ("type", "string", "Event type (SPEC §2: AGREE … ASSERT)."),
    ("mode", "string", "Mode of the type, when the type has modes."),
    ("actor", "string", "Name of who acts, as resolved (knowledge-base name when linked)."),
    ("actor_id", "string", "Knowledge-base id of the actor (empty when unlinked)."),
    ("actor_country", "string", "ISO 3166-1 alpha-3 country of the actor."),
    ("actor_sector", "string", "Sector code of the actor (SPEC §2: GOV, OPP, …)."),
    ("recipients", "list", "Names of whom the event is directed at."),
    ("recipient_ids", "list", "Knowledge-base ids of the recipients, parallel to `recipients`."),
    ("recipient_countries", "list", "Countries of the recipients, parallel to `recipients`."),
    ("recipient_sectors", "list", "Sector codes of the recipients, parallel to `recipients`."),
    ("object", "string", "What the event is about, when named."),
    ("contexts", "list", "Context codes of the event (SPEC §2)."),
    ("aux", "list", "Qualifiers: negation, hypothetical, future, historical."),
    ("trigger", "string", "The words that carry the event."),
    ("sentence_text", "string", "The event's sentence or list item, verbatim."),
    ("span_start", "integer", "Start offset of the sentence in the document text."),
    ("span_end", "integer", "End offset of the sentence in the document text."),
    ("confidence", "number", "Confidence of the coder, 0–1."),
    ("source", "string", "Where the document was read from (path or URL)."),
    ("url", "string", "The document's URL, when known."),
    ("title", "string", "The document's title."),
    ("site", "string", "Site or publisher of the document."),
    ("language", "string", "ISO 639-1 language of the document."),
    ("reviewed", "boolean", "An analyst corrected this event or added it (claimscope.review); "
                            "events marked wrong are left out."),
)
DOCUMENT_TABLE = _cols(
    ("id", "string", "Document id (content hash of the cleaned text)."),
    ("source", "string", "Where the document was read from (path or URL)."),
    ("url", "string", "The document's URL, when known."),
    ("title", "string", "Title."),
    ("site", "string", "Site or publisher."),
    ("author", "string", "Author, when known."),
    ("published", "string", "Publication date as known: YYYY, YYYY-MM or YYYY-MM-DD."),
    ("published_start", "date", "First day `published` can mean (sortable)."),
    ("published_end", "date", "Last day `published` can mean (sortable)."),
    ("published_from", "string", "Where `published` came from: given, metadata, dateline, text, none."),
    ("language", "string", "ISO 639-1 language."),
    ("media_type", "string", "text/plain or text/html."),
    ("characters", "integer", "Length of the cleaned text."),
    ("events", "integer", "Number of events found."),
    ("duplicate_of", "string", "Id of the document this one republishes (near-duplicate, MinHash "
                               "Jaccard >= 0.7; docs/scale.md); empty for an original."),
)
ENTITY_TABLE = _cols(
    ("doc_id", "string", "Document id."),
    ("entity_id", "string", "Knowledge-base id, or a document-local id when unlinked."),
    ("name", "string", "Name (knowledge-base name when linked)."),
    ("kind", "string", "person, organization, country, …"),
    ("linked", "boolean", "Whether the entity is in the knowledge base."),
    ("country", "string", "ISO 3166-1 alpha-3 country."),
    ("sector", "string", "Sector code (SPEC §2)."),
)
MENTION_TABLE = _cols(
    ("doc_id", "string", "Document id."),
    ("entity_id", "string", "The entity mentioned (`entity_id` of the entities table)."),
    ("start", "integer", "Start offset of the mention in the document text."),
    ("end", "integer", "End offset of the mention in the document text."),
    ("text", "string", "The mention, verbatim: the document text from `start` to `end`."),
)
TIME_TABLE = _cols(
    ("doc_id", "string", "Document id."),
    ("start", "integer", "Start offset of the time expression in the document text."),
    ("end", "integer", "End offset of the time expression in the document text."),
    ("text", "string", "The time expression, verbatim."),
    ("value", "string", "Its normalised ISO 8601 value (may be partial or a range)."),
    ("granularity", "string", "day, month, year, …"),
)
FAILURE_TABLE = _cols(
    ("source", "string", "The input that failed."),
    ("stage", "string", "Stage that failed: read or analyze."),
    ("reason", "string", "One-line reason."),
    ("first_seen", "timestamp", "First failure (UTC)."),
    ("last_seen", "timestamp", "Latest failure (UTC)."),
    ("count", "integer", "How many runs failed on it."),
)
TABLES: dict[str, list[Column]] = {
    "events": EVENT_TABLE, "documents": DOCUMENT_TABLE, "entities": ENTITY_TABLE,
    "mentions": MENTION_TABLE, "times": TIME_TABLE, "failures": FAILURE_TABLE,
}
EVENT_COLUMNS = [c.name for c in EVENT_TABLE]

TABLE_SQL = {
    "documents": "SELECT id, source, url, title, site, author, published, published_from, language,"
                 " media_type, length(text) AS characters,"
                 " (SELECT count(*) FROM events e WHERE e.doc_id = documents.id) AS events,"
                 " duplicate_of FROM documents ORDER BY rowid",
    "entities": "SELECT doc_id, id AS entity_id, name, kind, linked, country, sector FROM entities"
                " ORDER BY doc_id, id",
    "mentions": 'SELECT doc_id, entity_id, start, "end", text FROM mentions'
                ' ORDER BY doc_id, start, "end", entity_id',
    "times": 'SELECT doc_id, start, "end", text, value, granularity FROM times'
             ' ORDER BY doc_id, start, "end"',
    "failures": "SELECT source, stage, reason, first_seen, last_seen, count FROM failures ORDER BY id",
}

# where each column of EVENT_TABLE comes from (events e joined to documents d); the list
# columns are stored as JSON text on the event (store._rows); the sentence is a slice of the
# document text
EVENT_SOURCES = {
    "doc_id": "e.doc_id", "event_id": "e.id", "published": "d.published", "date": "e.date",
    "date_start": "e.date_start", "date_end": "e.date_end", "type": "e.type", "mode": "e.mode",
    "actor": "e.actor_name", "actor_id": "e.actor_id", "actor_country": "e.country",
    "actor_sector": "e.sector", "recipients": "e.recipients", "recipient_ids": "e.recipient_ids",
    "recipient_countries": "e.recipient_countries", "recipient_sectors": "e.recipient_sectors",
    "object": "e.object", "contexts": "e.contexts", "aux": "e.aux", "trigger": "e.trigger_text",
    "sentence_text": "substr(d.text, e.span_start + 1, e.span_end - e.span_start)",
    "span_start": "e.span_start", "span_end": "e.span_end", "confidence": "e.confidence",
    "source": "d.source", "url": "d.url", "title": "d.title", "site": "d.site",
    "language": "d.language",
}
LIST_COLUMNS = tuple(c.name for c in EVENT_TABLE if c.type == "list")
EVENT_FROM = " FROM events e JOIN documents d ON d.id = e.doc_id"
EVENT_SELECT = "SELECT " + ", ".join(f"{expr} AS {c}" for c, expr in EVENT_SOURCES.items()) + EVENT_FROM


def event_json_select(conn: Connection) -> str:
    """The SELECT of event rows as one JSON object text each, rendered by the database (the
    API's pages: no row objects, no per-value encoding in Python). For rows without analysts'
    corrections (`reviewed` false; claimscope.review applies corrections to the others)."""
    d = conn.dialect
    fields = [f"'{c}', " + (d.json_raw(expr) if c in LIST_COLUMNS else expr)
              for c, expr in EVENT_SOURCES.items()]
    fields.append("'reviewed', " + d.json_raw("'false'"))
    return f"SELECT {d.json_object_of(', '.join(fields))} AS row" + EVENT_FROM


# ---------------------------------------------------------------- dates

_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def date_bounds(value: str | None) -> tuple[date | None, date | None]:
    """First and last day an ISO 8601 value can mean: '2020' -> 2020-01-01 … 2020-12-31,
    '2021-03' -> the month, '2021-W05' -> the ISO week, 'A/B' -> start of A … end of B.
    (None, None) for values without a year ('--02-24') or not understood."""
    if not value:
        return None, None
    if "/" in value:
        first, _, last = value.partition("/")
        return date_bounds(first)[0], date_bounds(last)[1]
    try:
        week = _WEEK.match(value)
        if week:
            monday = date.fromisocalendar(int(week[1]), int(week[2]), 1)
            return monday, monday + timedelta(days=6)
        iso = _ISO.match(value[:10])
        if not iso:
            return None, None
        year = int(iso[1])
        if iso[3]:
            day = date(year, int(iso[2]), int(iso[3]))
            return day, day
        if iso[2]:
            month = int(iso[2])
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        return None, None


# ---------------------------------------------------------------- rows

def flatten(row) -> dict[str, Any]:
    """A row of EVENT_SELECT -> the event row of EVENT_TABLE, lists as lists (other selected
    columns, e.g. a leading `_rowid`, are kept)."""
    out = dict(row)
    for c in LIST_COLUMNS:
        out[c] = json.loads(out[c] or "[]")
    return out


def event_rows(conn: Connection, where: str = "", params: Iterable[Any] = (),
               order: str = "d.published, e.doc_id, e.span_start", corrected: bool = True,
               added: str | None = None) -> Iterator[dict[str, Any]]:
    """Event rows with the columns of EVENT_TABLE, lists as lists (JSON/Parquet form), with the
    analysts' corrections applied (review.apply; `added` as there) unless `corrected` is False
    (then every row has `reviewed` false: the machine output)."""
    from claimscope import review

    sql = EVENT_SELECT + (f" WHERE {where}" if where else "") + f" ORDER BY {order}"
    rows = (flatten(row) for row in conn.execute(sql, tuple(params)))
    if corrected:
        yield from review.corrected(rows, conn, added=added)
    else:
        for row in rows:
            yield {**row, "reviewed": False}


def _document_row(row: Any) -> dict[str, Any]:
    out = dict(row)
    start, end = date_bounds(out["published"])
    out.update(published_start=start.isoformat() if start else None,
               published_end=end.isoformat() if end else None)
    return {c.name: out.get(c.name) for c in DOCUMENT_TABLE}


def table_rows(conn: Connection, table: str) -> Iterator[dict[str, Any]]:
    if table == "events":
        yield from event_rows(conn, added="all")
        return
    for row in conn.execute(TABLE_SQL[table]):
        if table == "documents":
            yield _document_row(row)
        elif table == "entities":
            yield {**dict(row), "linked": bool(row["linked"])}
        else:
            yield dict(row)


# ---------------------------------------------------------------- writers

def csv_cell(value: Any) -> Any:
    """A JSON/Parquet value as a CSV cell: lists joined, None empty, booleans true/false."""
    if isinstance(value, list):
        return LIST_SEPARATOR.join("" if v is None else str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def write_csv(rows: Iterable[dict[str, Any]], out: IO[str], columns: list[str] | None = None,
              header: bool = True) -> int:
    rows = iter(rows)
    first = next(rows, None)
    cols = columns or (list(first) if first else EVENT_COLUMNS)
    writer = csv.DictWriter(out, fieldnames=cols, extrasaction="ignore")
    if header:
        writer.writeheader()
    n = 0
    for row in ([first] if first else []):
        writer.writerow({k: csv_cell(v) for k, v in row.items()})
        n += 1
    for row in rows:
        writer.writerow({k: csv_cell(v) for k, v in row.items()})
        n += 1
    return n


def write_jsonl(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    n = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


def parquet_schema(columns: list[Column]):
    import pyarrow as pa

    types = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(),
             "boolean": pa.bool_(), "date": pa.date32(), "timestamp": pa.timestamp("s", tz="UTC"),
             "list": pa.list_(pa.string())}
    return pa.schema([pa.field(c.name, types[c.type]) for c in columns])


def _parquet_value(column: Column, value: Any) -> Any:
    from datetime import datetime

    if value is None:
        return [] if column.type == "list" else None
    if column.type == "date" and isinstance(value, str):
        return date.fromisoformat(value)
    if column.type == "timestamp" and isinstance(value, str):
        return datetime.fromisoformat(value)
    return value


def arrow_table(rows: Iterable[dict[str, Any]], columns: list[Column]):
    """Rows as a pyarrow Table of the table's fixed schema (so the Parquet files of a batch
    dataset agree on one schema even where a column is empty or all-null in some of them)."""
    import pyarrow as pa

    data = {c.name: [] for c in columns}
    for row in rows:
        for c in columns:
            data[c.name].append(_parquet_value(c, row.get(c.name)))
    return pa.Table.from_pydict(data, schema=parquet_schema(columns))


def write_parquet(rows: Iterable[dict[str, Any]], path: Path, columns: list[Column]) -> int:
    import pyarrow.parquet as pq

    table = arrow_table(rows, columns)
    pq.write_table(table, path)
    return table.num_rows


def export(conn: Connection, fmt: str, table: str, out: IO[str] | None, path: Path | None) -> int:
    """Write the export; returns the number of records written."""
    if (fmt == "gold") != (table == "corrections"):
        raise ValueError("corrections export as --format gold (SPEC §5 lines), and only they do")
    if fmt == "gold":
        from claimscope.review import write_gold

        return write_gold(conn, out)
    if fmt == "jsonl":
        rows = iter_analyses(conn) if table == "analyses" else table_rows(conn, table)
        return write_jsonl(rows, out)
    if table == "analyses":
        raise ValueError("full analyses are nested: export them as jsonl, or pick a flat --table")
    if fmt == "csv":
        return write_csv(table_rows(conn, table), out, [c.name for c in TABLES[table]])
    if fmt == "parquet":
        if path is None:
            raise ValueError("parquet needs --out FILE")
        return write_parquet(table_rows(conn, table), path, TABLES[table])
    raise ValueError(f"unknown format {fmt!r}")


# ---------------------------------------------------------------- naming and documentation

def download_name(table: str, filters: Iterable[tuple[str, str]], fmt: str, today: date) -> str:
    """A file name that says what is inside: claimscope-events-type-ACCUSE-country-BLR-2024-05-01.csv
    (filter values reduced to safe characters, the whole name at most ~120 characters)."""
    parts = ["claimscope", table]
    for key, value in filters:
        if value and key not in ("offset", "limit", "format", "order", "sort", "max_rows"):
            parts.append(f"{key}-{re.sub(r'[^A-Za-z0-9._]+', '_', value).strip('_')[:30]}")
    stem = "-".join(parts)[:100].rstrip("-_")
    return f"{stem}-{today.isoformat()}.{fmt}"


def data_dictionary() -> str:
    """docs/data-dictionary.md, generated from TABLES (scripts/data_dictionary.py writes it)."""
    lines = ["# Data dictionary", "",
             "Generated from the column definitions in `src/claimscope/export.py` by",
             "`python scripts/data_dictionary.py` — do not edit by hand (a test checks it is current).",
             "", "The flat tables of `claimscope export --table …` (CSV, JSONL, Parquet) and of the",
             "web UI's / API's `.csv` and `.json` downloads.", "",
             "Empty values: a missing value is `null` in JSONL and Parquet and an empty cell in CSV.",
             "A `list` column is a real list in JSONL and Parquet (`[]` when empty) and its items",
             f"joined with `{LIST_SEPARATOR.strip()} ` in CSV. Lists that run parallel to another (`recipient_ids`",
             "beside `recipients`) hold `null` (CSV: an empty item) where a value is unknown.",
             "`date` columns are Parquet `date32` and ISO `YYYY-MM-DD` text in CSV and JSONL;",
             "`timestamp` columns are UTC.", ""]
    for name, columns in TABLES.items():
        lines += [f"## {name}", "", "| column | type | meaning |", "|---|---|---|"]
        lines += [f"| `{c.name}` | {c.type} | {c.meaning} |" for c in columns]
        lines.append("")
    return "\n".join(lines)
