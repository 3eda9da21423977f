"""Every view is data (the Datasette convention): /documents, /events, /actors, /timeline and
/network each have a `.json` and a `.csv` form taking the page's parameters; plus the facet
counts as an API (/api/facets/events, /documents, /actors).

`.json` is what the page shows (one page of a list, the whole chart); `.csv` is the whole
filtered set (lists) or the chart's table (timeline: period, type, events; network: one link a
row), downloaded under a name that says what is inside (export.download_name).
No `from __future__ import annotations`: the route signatures use types local to `register`."""

import io
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse

from claimscope.export import EVENT_COLUMNS, download_name, write_csv, write_jsonl
from claimscope.serve import charts
from claimscope.serve import queries as Q
from claimscope.serve.facets import actor_facets, document_facets, event_facets

DOCUMENT_CSV = ["id", "published", "title", "site", "url", "source", "language", "published_from",
                "characters", "events"]
ACTOR_CSV = ["id", "name", "kind", "linked", "country", "sector", "documents", "mentions",
             "as_actor", "as_recipient", "first_seen", "last_seen"]
TIMELINE_CSV = ["period", "type", "events"]
NETWORK_CSV = ["source", "source_name", "target", "target_name", "type", "weight"]
ALL = 10**9


def stream(rows: Iterable[dict[str, Any]], fmt: str, columns: list[str], name: str,
           batch_size: int = 1000) -> StreamingResponse:
    """Rows as a streamed CSV (header once) or JSONL download named `name`."""

    def chunks() -> Iterator[str]:
        batch: list[dict] = []
        first = True

        def flush() -> str:
            buf = io.StringIO(newline="")
            if fmt == "csv":
                write_csv(batch, buf, columns, header=first)
            else:
                write_jsonl(batch, buf)
            return buf.getvalue()

        for row in rows:
            batch.append(row)
            if len(batch) >= batch_size:
                yield flush()
                first, batch = False, []
        if batch or first:
            yield flush()

    media = "text/csv; charset=utf-8" if fmt == "csv" else "application/x-ndjson"
    return StreamingResponse(chunks(), media_type=media,
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})


def named(view: str, request: Request, fmt: str) -> str:
    return download_name(view, request.query_params.multi_items(), fmt, date.today())


def timeline_rows(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for period in data["periods"]:
        for etype, n in period["counts"].items():
            yield {"period": period["start"], "type": etype, "events": n}


def network_rows(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    names = {n["id"]: n["name"] for n in data["nodes"]}
    for e in data["edges"]:
        yield {"source": e["source"], "source_name": names.get(e["source"]), "target": e["target"],
               "target_name": names.get(e["target"]), "type": e["type"], "weight": e["weight"]}


def register(app: FastAPI, db: Q.Database) -> None:
    """The .json/.csv routes of the five list and chart pages and the facet counts API. The
    parameters are the pages' own (serve.app), so a view's data takes exactly what its page takes."""
    from claimscope.serve import app as A

    Fmt = Literal["json", "csv"]
    EventFilter = Annotated[Q.EventFilter, Depends(A.ui_filter)]
    Documents = Annotated[dict, Depends(A.document_filters)]
    Actors = Annotated[dict, Depends(A.actor_filters)]
    errors = {422: {"model": A.ErrorBody, "description": "Invalid parameters"}}

    @app.get("/documents.{fmt}", include_in_schema=False)
    def documents_data(request: Request, fmt: Fmt, filters: Documents,
                       sort: A.DocumentSort = "published", order: A.Order = "desc",
                       limit: A.Limit = 25, offset: A.Offset = 0):
        if fmt == "json":
            return JSONResponse(Q.search_documents(db, **filters, sort=sort, order=order,
                                                   limit=limit, offset=offset))
        rows = Q.search_documents(db, **filters, sort=sort, order=order, limit=ALL)["items"]
        return stream(rows, "csv", DOCUMENT_CSV, named("documents", request, "csv"))

    @app.get("/events.{fmt}", include_in_schema=False)
    def events_data(request: Request, fmt: Fmt, f: EventFilter, sort: A.EventSort = "date",
                    order: A.Order = "desc", limit: A.Limit = 50, offset: A.Offset = 0):
        if fmt == "json":
            return JSONResponse(Q.list_events(db, f, sort, order, limit, offset))
        return stream(Q.iter_event_rows(db, f, sort, order), "csv", EVENT_COLUMNS,
                      named("events", request, "csv"))

    @app.get("/actors.{fmt}", include_in_schema=False)
    def actors_data(request: Request, fmt: Fmt, filters: Actors, sort: A.ActorSort = "events",
                    order: A.Order = "desc", limit: A.Limit = 50, offset: A.Offset = 0):
        if fmt == "json":
            return JSONResponse(Q.list_actors(db, **filters, sort=sort, order=order, limit=limit,
                                              offset=offset))
        rows = Q.list_actors(db, **filters, sort=sort, order=order, limit=ALL)["items"]
        return stream(rows, "csv", ACTOR_CSV, named("actors", request, "csv"))

    @app.get("/timeline.{fmt}", include_in_schema=False)
    def timeline_data(request: Request, fmt: Fmt, f: EventFilter, step: A.StepQuery = "auto"):
        data = charts.timeline(db, f, step)
        if fmt == "json":
            return JSONResponse(data)
        return stream(timeline_rows(data), "csv", TIMELINE_CSV, named("timeline", request, "csv"))

    @app.get("/network.{fmt}", include_in_schema=False)
    def network_data(request: Request, fmt: Fmt, f: EventFilter,
                     n: Annotated[A.NetworkOptions, Depends()]):
        data = n.run(db, f)
        if fmt == "json":
            return JSONResponse(data)
        return stream(network_rows(data), "csv", NETWORK_CSV, named("network", request, "csv"))

    # ---- facet counts (what each filter value would give under the other current filters)

    @app.get("/api/facets/events", tags=["facets"], responses=errors)
    def api_event_facets(f: Annotated[Q.EventFilter, Depends(A.event_filter)]) -> dict[str, list[dict]]:
        """Counts per type, mode, country, sector, year, site, language and aux of the events
        matching the filters (each facet ignoring its own filter). Takes the /api/events filters."""
        return event_facets(db, f)

    @app.get("/api/facets/documents", tags=["facets"], responses=errors)
    def api_document_facets(filters: Documents) -> dict[str, list[dict]]:
        """Counts per site, language and year of the documents matching the filters."""
        return document_facets(db, **filters)

    @app.get("/api/facets/actors", tags=["facets"], responses=errors)
    def api_actor_facets(filters: Actors) -> dict[str, list[dict]]:
        """Counts per country, sector and linked of the actors matching the filters."""
        return actor_facets(db, **filters)
