"""Export from the store: full analyses as JSONL, flat tables as CSV or Parquet.

The flat event row (one per event, recipients joined with '; ') is shared with the API's
CSV/JSONL download so both give the same columns.
"""
from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from claimscope.db import Connection
from claimscope.store import iter_analyses

EVENT_COLUMNS = [
    "doc_id", "event_id", "published", "date", "type", "mode", "actor", "actor_id", "recipients",
    "recipient_ids", "object", "contexts", "aux", "trigger", "sentence_text", "span_start",
    "span_end", "confidence", "source", "title",
]
FORMATS = ("jsonl", "csv", "parquet")
TABLES = {
    "events": None,
    "documents": "SELECT id, source, url, title, site, author, published, published_from, language,"
                 " media_type, length(text) AS characters FROM documents ORDER BY rowid",
    "entities": "SELECT doc_id, id AS entity_id, name, kind, linked, country, sector FROM entities"
                " ORDER BY doc_id, id",
    "failures": "SELECT source, stage, reason, first_seen, last_seen, count FROM failures ORDER BY id",
}

EVENT_SELECT = """
SELECT e.doc_id, e.id AS event_id, d.published, e.date, e.type, e.mode, e.actor_name AS actor,
       e.actor_id,
       (SELECT {names} FROM event_roles r WHERE r.doc_id = e.doc_id
          AND r.event_id = e.id AND r.role = 'recipient') AS recipients,
       (SELECT {ids} FROM event_roles r
          WHERE r.doc_id = e.doc_id AND r.event_id = e.id AND r.role = 'recipient') AS recipient_ids,
       (SELECT name FROM event_roles r WHERE r.doc_id = e.doc_id AND r.event_id = e.id
          AND r.role = 'object') AS object,
       e.contexts, e.aux, e.trigger_text AS trigger,
       substr(d.text, e.span_start + 1, e.span_end - e.span_start) AS sentence_text, e.span_start,
       e.span_end, e.confidence, d.source, d.title
FROM events e JOIN documents d ON d.id = e.doc_id
"""


def event_select(conn: Connection) -> str:
    """EVENT_SELECT in the connection's dialect (the sentence is a slice of the document text)."""
    g = conn.dialect.group_concat
    return EVENT_SELECT.format(names=g("name"), ids=g("coalesce(entity_id, '')"))


def flatten(row) -> dict[str, Any]:
    out = dict(row)
    for key in ("contexts", "aux"):
        if key in out and isinstance(out[key], str):
            out[key] = "; ".join(json.loads(out[key]))
    return out


def event_rows(conn: Connection, where: str = "", params: Iterable[Any] = (),
               order: str = "d.published, e.doc_id, e.span_start") -> Iterator[dict[str, Any]]:
    sql = event_select(conn) + (f" WHERE {where}" if where else "") + f" ORDER BY {order}"
    for row in conn.execute(sql, tuple(params)):
        yield flatten(row)


def table_rows(conn: Connection, table: str) -> Iterator[dict[str, Any]]:
    if table == "events":
        yield from event_rows(conn)
        return
    for row in conn.execute(TABLES[table]):
        yield dict(row)


def write_csv(rows: Iterable[dict[str, Any]], out: IO[str], columns: list[str] | None = None) -> int:
    rows = iter(rows)
    first = next(rows, None)
    cols = columns or (list(first) if first else EVENT_COLUMNS)
    writer = csv.DictWriter(out, fieldnames=cols, extrasaction="ignore")
    writer.writeheader()
    n = 0
    for row in ([first] if first else []):
        writer.writerow(row)
        n += 1
    for row in rows:
        writer.writerow(row)
        n += 1
    return n


def write_jsonl(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    n = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_parquet(rows: Iterable[dict[str, Any]], path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(list(rows))
    pq.write_table(table, path)
    return table.num_rows


def export(conn: Connection, fmt: str, table: str, out: IO[str] | None, path: Path | None) -> int:
    """Write the export; returns the number of records written."""
    if fmt == "jsonl":
        rows = iter_analyses(conn) if table == "analyses" else table_rows(conn, table)
        return write_jsonl(rows, out)
    if table == "analyses":
        raise ValueError("full analyses are nested: export them as jsonl, or pick a flat --table")
    if fmt == "csv":
        return write_csv(table_rows(conn, table), out, EVENT_COLUMNS if table == "events" else None)
    if fmt == "parquet":
        if path is None:
            raise ValueError("parquet needs --out FILE")
        return write_parquet(table_rows(conn, table), path)
    raise ValueError(f"unknown format {fmt!r}")
