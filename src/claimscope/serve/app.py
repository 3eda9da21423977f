"""FastAPI application: JSON API under /api (OpenAPI at /openapi.json, docs at /api/docs) and a
server-rendered web UI, both over the store (SQLite or PostgreSQL).

Safety: the database is opened read-only unless ingest is allowed; document text is only ever
rendered through Jinja autoescape (templates) or `textContent` (JS); a strict Content-Security-
Policy forbids inline script; ingest needs the start-up token, compared in constant time."""
from __future__ import annotations

from contextlib import asynccontextmanager
import re
import threading
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, File, Form, Header, HTTPException, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response, HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from claimscope.events.ontology import MODES
from claimscope.export import EVENT_COLUMNS
from claimscope.metadata import GIVEN_DATE, normalise
from claimscope.serve import apidocs
from claimscope.serve import charts
from claimscope.serve import queries as Q
from claimscope.serve.highlight import segments
from claimscope.serve.ingest import (
    IngestError, fetch_url, raw_from_text, raw_from_upload, token_ok,
)
from claimscope.serve.kb import KBView
from claimscope.serve.limits import MAX_BODY, IngestBodyGuard
from claimscope.serve.params import NormaliseEnums, query_names, reject_unknown_factory
from claimscope.serve.reviewing import register as register_review, review_state
from claimscope.serve.facets import actor_facets, document_facets, event_facets
from claimscope.serve.views import named, stream
from claimscope.serve.views import register as register_views

HERE = Path(__file__).parent
EVENT_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
               "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE",
               "ASSAULT", "ASSERT")
AUX_VALUES = ("negation", "hypothetical", "future", "historical")
EventType = Literal[EVENT_TYPES]  # type: ignore[valid-type]
AuxValue = Literal[AUX_VALUES]  # type: ignore[valid-type]
MODE_VALUES = tuple(sorted({m for modes in MODES.values() for m in modes}))
ModeValue = Literal[MODE_VALUES]  # type: ignore[valid-type]
MAX_PAGE = 500
MAX_OFFSET = 1_000_000
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
CODE_PATTERN = r"^[A-Z]{3}$"
LANGUAGE_PATTERN = r"^[a-z]{2,3}$"
YEAR_PATTERN = r"^\d{4}$"

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
       "form-action 'self'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    """Pure ASGI middleware (cheaper than BaseHTTPMiddleware) adding the headers above."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + SECURITY_HEADERS
            await send(message)

        return await self.app(scope, receive, send_with_headers)


# ---------------------------------------------------------------- response models

class Page(BaseModel):
    total: int
    limit: int
    offset: int


class DocumentItem(BaseModel):
    id: str
    title: str | None = None
    site: str | None = None
    url: str | None = None
    source: str
    published: str | None = None
    published_from: str | None = None
    language: str | None = None
    characters: int
    events: int
    preview: str


class DocumentPage(Page):
    items: list[DocumentItem]


class EventRow(BaseModel):
    """One flat event row: the columns of `claimscope export --table events` and of the
    downloads (docs/data-dictionary.md); list columns are lists here and in JSONL."""
    doc_id: str
    event_id: str
    published: str | None = None
    date: str | None = None
    date_start: str | None = None
    date_end: str | None = None
    type: str
    mode: str | None = None
    actor: str | None = None
    actor_id: str | None = None
    actor_country: str | None = None
    actor_sector: str | None = None
    recipients: list[str] = []
    recipient_ids: list[str | None] = []
    recipient_countries: list[str | None] = []
    recipient_sectors: list[str | None] = []
    object: str | None = None
    contexts: list[str] = []
    aux: list[str] = []
    trigger: str
    sentence_text: str
    span_start: int
    span_end: int
    confidence: float | None = None
    source: str
    url: str | None = None
    title: str | None = None
    site: str | None = None
    language: str | None = None
    reviewed: bool = Field(False, description="An analyst corrected or added this event.")


class EventPage(Page):
    items: list[EventRow]


class ActorItem(BaseModel):
    id: str
    name: str
    kind: str
    linked: bool
    country: str | None = None
    sector: str | None = None
    documents: int
    mentions: int
    as_actor: int
    as_recipient: int
    first_seen: str | None = None
    last_seen: str | None = None


class ActorPage(Page):
    items: list[ActorItem]


class EventList(BaseModel):
    total: int
    items: list[EventRow]


class MentionCount(BaseModel):
    text: str
    count: int
    documents: int


class KBInfo(BaseModel):
    name: str | None = None
    aliases: list[str] = []
    roles: list[dict[str, Any]] = []
    description: str | None = None


class ActorDetail(BaseModel):
    id: str
    name: str
    kind: str
    linked: bool
    country: str | None = None
    sector: str | None = None
    names: list[str]
    aliases: list[str]
    kb: KBInfo | None = None
    documents: int
    first_seen: str | None = None
    last_seen: str | None = None
    mentions: list[MentionCount]
    as_actor: EventList
    as_recipient: EventList


class Period(BaseModel):
    start: str = Field(description="First day of the period (a Monday for weeks).")
    counts: dict[str, int]
    total: int


class Timeline(BaseModel):
    step: Literal["day", "week", "month", "year"]
    first: str | None = Field(None, description="Earliest event day.")
    last: str | None = Field(None, description="Latest event day.")
    periods: list[Period] = Field(description="Periods with events, in order (empty ones left out).")
    types: list[str]
    totals: dict[str, int]
    undated: int = Field(0, description="Matching events with no date at all (not in `periods`).")


class Node(BaseModel):
    id: str
    name: str
    weight: int
    linked: bool


class Edge(BaseModel):
    source: str
    target: str
    type: str
    weight: int


class Network(BaseModel):
    nodes: list[Node]
    edges: list[Edge]
    types: list[str]
    min_weight: int = 1
    unlinked: bool = False
    focus: str | None = None


class IngestResult(BaseModel):
    id: str
    stored: bool
    title: str | None = None
    events: int
    entities: int
    url: str
    warnings: list[str] = Field([], description="Given metadata that could not be used.")


class ErrorBody(BaseModel):
    detail: Any


# ---------------------------------------------------------------- parameters

def _valid_date(value: str | date | None, name: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    try:
        date.fromisoformat(value)
    except ValueError:
        raise HTTPException(422, f"{name}: not a valid calendar date: {value!r}") from None
    return value


def event_filter(
    type: Annotated[list[EventType] | None, Query(description="Event type (repeatable).")] = None,  # noqa: A002
    mode: Annotated[ModeValue | None, Query(description="Mode, e.g. `visit` (meaningful with its type).")] = None,
    actor: Annotated[str | None, Query(max_length=200, description="Actor entity id, or part of its name.")] = None,
    recipient: Annotated[str | None, Query(max_length=200, description="Recipient entity id, or part of its name.")] = None,
    country: Annotated[str | None, Query(pattern=CODE_PATTERN, description="Actor country (ISO alpha-3, IGO, NGO, EUR, UNO).")] = None,
    sector: Annotated[str | None, Query(pattern=CODE_PATTERN, description="Actor sector (PLOVER code, e.g. GOV, OPP).")] = None,
    aux: Annotated[list[AuxValue] | None, Query(description="Auxiliary mode (repeatable; all must hold).")] = None,
    date_from: Annotated[str | None, Query(pattern=DATE_PATTERN, json_schema_extra={"format": "date"}, description="Event day ≥ (YYYY-MM-DD).")] = None,
    date_to: Annotated[str | None, Query(pattern=DATE_PATTERN, json_schema_extra={"format": "date"}, description="Event day ≤ (YYYY-MM-DD).")] = None,
    text: Annotated[str | None, Query(max_length=200, description="Substring of the event's sentence.")] = None,
    doc: Annotated[str | None, Query(max_length=64, description="Only events of this document id.")] = None,
    include_duplicates: Annotated[bool, Query(
        description="Also the events of near-duplicate documents (a story republished elsewhere); "
                    "by default a story counts once.")] = False,
    site: Annotated[str | None, Query(max_length=200, description="Site of the document.")] = None,
    language: Annotated[str | None, Query(pattern=LANGUAGE_PATTERN, description="Language of the document (ISO 639-1).")] = None,
    year: Annotated[str | None, Query(pattern=YEAR_PATTERN, description="Event day in this year (YYYY).")] = None,
) -> Q.EventFilter:
    date_from = _valid_date(date_from, "date_from")
    date_to = _valid_date(date_to, "date_to")
    return Q.EventFilter(types=tuple(dict.fromkeys(type or ())), mode=mode or None,
                         actor=actor or None, recipient=recipient or None, country=country,
                         sector=sector, aux=tuple(dict.fromkeys(aux or ())), date_from=date_from,
                         date_to=date_to, text=text or None, doc=doc or None,
                         include_duplicates=include_duplicates, site=site or None,
                         language=language or None, year=year or None)


def ui_filter(request: Request) -> Q.EventFilter:
    # HTML forms send empty strings for unset fields: drop them, then validate as the API does
    params = {k: [v for v in request.query_params.getlist(k) if v] for k in request.query_params}
    kw: dict[str, Any] = {}
    for key in ("mode", "actor", "recipient", "country", "sector", "date_from", "date_to",
                "text", "doc", "site", "language", "year"):
        if params.get(key):
            kw[key] = params[key][0]
    kw["type"] = params.get("type") or None
    kw["aux"] = params.get("aux") or None
    from pydantic import TypeAdapter, ValidationError

    try:
        if kw["type"]:
            TypeAdapter(list[EventType]).validate_python(kw["type"])
        if kw["aux"]:
            TypeAdapter(list[AuxValue]).validate_python(kw["aux"])
        if kw.get("mode"):
            TypeAdapter(ModeValue).validate_python(kw["mode"])
        for key, pattern, size in (("language", LANGUAGE_PATTERN, 3), ("year", YEAR_PATTERN, 4),
                                   ("country", CODE_PATTERN, 3),
                                   ("sector", CODE_PATTERN, 3), ("date_from", DATE_PATTERN, 10),
                                   ("date_to", DATE_PATTERN, 10)):
            if key in kw and (len(kw[key]) > size or not re.match(pattern, kw[key])):
                raise HTTPException(422, f"{key}: invalid value {kw[key]!r}")
        for key in ("actor", "recipient", "text", "doc", "site"):
            if key in kw and len(kw[key]) > 200:
                raise HTTPException(422, f"{key}: at most 200 characters")
    except ValidationError as exc:
        raise HTTPException(422, f"invalid type or aux value: {exc.errors()[0]['input']!r}") from None
    return event_filter(**kw)


EventSort = Literal["date", "published", "type", "actor", "confidence"]
DocumentSort = Literal["published", "title", "site", "added"]
ActorSort = Literal["events", "documents", "name", "first_seen", "last_seen", "mentions"]
Order = Literal["asc", "desc"]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"Page size (1–{MAX_PAGE}).")]
EVENT_FILTER_PARAMS = query_names(event_filter)
Step = Literal["auto", "day", "week", "month", "year"]
StepQuery = Annotated[Step, Query(description="Bar width; `auto` picks it from the range of the events.")]


def _or_empty(pattern: str) -> str:
    """A pattern that also takes "" (an empty form field means "any" on the HTML pages)."""
    return f"^({pattern.strip('^$')})?$"


def document_filters(
    q: Annotated[str | None, Query(max_length=200, description="Full-text search (all words).")] = None,
    site: Annotated[str | None, Query(max_length=200)] = None,
    language: Annotated[str | None, Query(pattern=_or_empty(LANGUAGE_PATTERN), description="ISO 639-1 code.")] = None,
    date_from: Annotated[str | None, Query(pattern=_or_empty(DATE_PATTERN), description="Published on or after (YYYY-MM-DD).")] = None,
    date_to: Annotated[str | None, Query(pattern=_or_empty(DATE_PATTERN), description="Published on or before (YYYY-MM-DD).")] = None,
    year: Annotated[str | None, Query(pattern=_or_empty(YEAR_PATTERN), description="Published in this year.")] = None,
) -> dict[str, str | None]:
    """The documents page's filters (empty fields are no filter), as search_documents takes them."""
    return dict(q=q or None, site=site or None, language=language or None,
                date_from=_valid_date(date_from or None, "date_from"),
                date_to=_valid_date(date_to or None, "date_to"), year=year or None)


def actor_filters(
    q: Annotated[str | None, Query(max_length=200, description="Part of a name or alias, or an id.")] = None,
    country: Annotated[str | None, Query(pattern=_or_empty(CODE_PATTERN))] = None,
    sector: Annotated[str | None, Query(pattern=_or_empty(CODE_PATTERN))] = None,
    linked: Annotated[str | None, Query(pattern=r"^(true|false)?$", description="In the knowledge base.")] = None,
) -> dict[str, Any]:
    """The actors page's filters (empty fields are no filter), as list_actors takes them."""
    return dict(q=q or None, country=country or None, sector=sector or None,
                linked=None if not linked else linked == "true")


class NetworkOptions:
    """The network's own parameters (besides the event filters), shared by API and page."""

    def __init__(self, max_edges: Annotated[int, Query(ge=1, le=500, description="At most this many links.")] = 80,
                 min_weight: Annotated[int, Query(ge=1, le=100_000, description="Only links of at least this many events.")] = 1,
                 unlinked: Annotated[bool, Query(description="Also actors not in the knowledge base.")] = False,
                 focus: Annotated[str | None, Query(max_length=200, description="One actor's neighbourhood (node id).")] = None):
        self.max_edges, self.min_weight, self.unlinked, self.focus = max_edges, min_weight, unlinked, focus or None

    def run(self, db: Q.Database, f: Q.EventFilter) -> dict[str, Any]:
        return charts.network(db, f, self.max_edges, self.min_weight, self.unlinked, self.focus)
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip.")]


# ---------------------------------------------------------------- application

def create_app(db_target: str | Path, allow_ingest: bool = False, token: str | None = None,
               allow_private_urls: bool = False, kb_files=(), threads: int | None = None,
               cache_size: int = 512, allow_review: bool = False) -> FastAPI:
    """The ASGI app. `threads` sets the size of the thread pool sync handlers run in;
    `cache_size` the entries of the result cache (0 = no caching)."""
    if allow_ingest and not token:
        raise ValueError("--allow-ingest needs a token (--token or CLAIMSCOPE_TOKEN)")
    if allow_review and not token:
        raise ValueError("--allow-review needs a token (--token or CLAIMSCOPE_TOKEN)")
    db = Q.Database(db_target, writable=allow_ingest or allow_review, cache_size=cache_size,
                    pool_size=(threads or 40) + 8)
    kb = KBView.load(kb_files)
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    env.globals.update(allow_ingest=allow_ingest, allow_review=allow_review, modes=MODES,
                       event_types=EVENT_TYPES, aux_values=AUX_VALUES,
                       network_types=charts.NETWORK_TYPES)
    pipeline_lock = threading.Lock()
    pipeline_box: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(_app):
        if threads:
            import anyio.to_thread

            anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        yield
        db.close()

    app = FastAPI(
        lifespan=lifespan,
        title="claimscope",
        version="1",
        description="Events, actors and documents analysed by claimscope (SPEC §4 analyses), "
                    "read from the store (SQLite or PostgreSQL). All list endpoints are paginated (`limit` ≤ "
                    f"{MAX_PAGE}, `offset`); invalid parameters give 422 with the reason.",
        docs_url=None, redoc_url=None, openapi_url="/openapi.json",
        dependencies=[Depends(reject_unknown_factory({ui_filter: EVENT_FILTER_PARAMS}))],
    )
    app.state.db = db
    app.add_middleware(NormaliseEnums)
    app.add_middleware(SecurityHeaders)
    if allow_ingest:
        app.add_middleware(IngestBodyGuard, token=token)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    def render(request: Request, name: str, status_code: int = 200, **ctx) -> HTMLResponse:
        html = env.get_template(name).render(request=request, path=request.url.path, **ctx)
        return HTMLResponse(html, status_code=status_code)

    def is_api(request: Request) -> bool:
        path = request.url.path
        return (path.startswith("/api/") and path != "/api/docs") or path == "/openapi.json"

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")}
                  for e in exc.errors()]
        if is_api(request):
            return JSONResponse({"detail": errors}, status_code=422)
        msg = "; ".join(f"{'.'.join(str(x) for x in e['loc'][1:])}: {e['msg']}" for e in errors)
        return render(request, "error.html", 422, status=422, message=msg)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if is_api(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code,
                                headers=getattr(exc, "headers", None))
        return render(request, "error.html", exc.status_code, status=exc.status_code,
                      message=str(exc.detail))

    # ------------------------------------------------------------ API

    errors = {422: {"model": ErrorBody, "description": "Invalid parameters"}}

    @app.get("/api/documents", response_model=DocumentPage, tags=["documents"], responses=errors)
    def api_documents(
        q: Annotated[str | None, Query(max_length=200, description="Full-text search (all words).")] = None,
        site: Annotated[str | None, Query(max_length=200)] = None,
        language: Annotated[str | None, Query(pattern=r"^[a-z]{2,3}$", description="ISO 639-1 code.")] = None,
        date_from: Annotated[str | None, Query(pattern=DATE_PATTERN, json_schema_extra={"format": "date"}, description="Published on or after (YYYY-MM-DD).")] = None,
        date_to: Annotated[str | None, Query(pattern=DATE_PATTERN, json_schema_extra={"format": "date"}, description="Published on or before (YYYY-MM-DD).")] = None,
        sort: DocumentSort = "published",
        order: Order = "desc", limit: Limit = 20, offset: Offset = 0,
        year: Annotated[str | None, Query(pattern=YEAR_PATTERN, description="Published in this year (YYYY).")] = None,
    ):
        """Search documents by full text, site, language and publication date."""
        return Q.search_documents(db, q, site, language, _valid_date(date_from, "date_from"),
                                  _valid_date(date_to, "date_to"), sort, order, limit, offset, year)

    def _doc_or_404(doc_id: str) -> str:
        found = Q.document_id(db, doc_id)
        if found is None:
            raise HTTPException(404, f"no document with id {doc_id!r}")
        return found

    @app.get("/api/documents/{doc_id}", tags=["documents"],
             responses={404: {"model": ErrorBody, "description": "No such document"}})
    def api_document(doc_id: Annotated[str, PathParam(max_length=64)]) -> dict[str, Any]:
        """The document's full analysis (SPEC §4, schema `claimscope.analysis/1`). A unique id
        prefix of at least 6 characters is accepted."""
        return Q.get_analysis(db, _doc_or_404(doc_id))

    @app.get("/api/events", response_model=EventPage, tags=["events"], responses=errors)
    def api_events(f: Annotated[Q.EventFilter, Depends(event_filter)], sort: EventSort = "date",
                   order: Order = "desc", limit: Limit = 50, offset: Offset = 0):
        """Filtered, sorted, paginated events (flat rows, as in the CSV export)."""
        return Response(Q.list_events_json(db, f, sort, order, limit, offset),
                        media_type="application/json")

    @app.get("/api/events/download", tags=["events"], responses={
        200: {"content": {"text/csv": {}, "application/x-ndjson": {}},
              "description": "All events matching the filters"}, **errors})
    def api_events_download(
        request: Request,
        f: Annotated[Q.EventFilter, Depends(event_filter)],
        format: Literal["csv", "jsonl"] = "csv",  # noqa: A002
        sort: EventSort = "date", order: Order = "desc",
        max_rows: Annotated[int | None, Query(ge=1, le=5_000_000)] = None,
    ):
        """The whole filtered set as CSV or JSONL (same columns as `claimscope export`)."""
        return stream(Q.iter_event_rows(db, f, sort, order, max_rows), format, EVENT_COLUMNS,
                      named("events", request, format))

    @app.get("/api/timeline", response_model=Timeline, tags=["events"], responses=errors)
    def api_timeline(f: Annotated[Q.EventFilter, Depends(event_filter)], step: StepQuery = "auto"):
        """Events per period and type for the filtered events: day, week (from Monday), month or
        year; `auto` picks the step from the range (about 12–150 bars)."""
        return charts.timeline(db, f, step)

    @app.get("/api/network", response_model=Network, tags=["events"], responses=errors)
    def api_network(f: Annotated[Q.EventFilter, Depends(event_filter)],
                    n: Annotated[NetworkOptions, Depends()]):
        """Who requests from / accuses / supports whom: actor → recipient edges weighted by the
        number of events (types REQUEST, ACCUSE, SUPPORT unless `type` is given), one node per
        entity id; knowledge-base actors only unless `unlinked`; `focus` keeps one actor's links."""
        return n.run(db, f)

    @app.get("/api/actors", response_model=ActorPage, tags=["actors"], responses=errors)
    def api_actors(
        q: Annotated[str | None, Query(max_length=200, description="Part of a name or alias, or an id.")] = None,
        country: Annotated[str | None, Query(pattern=CODE_PATTERN)] = None,
        sector: Annotated[str | None, Query(pattern=CODE_PATTERN)] = None,
        linked: bool | None = None,
        sort: ActorSort = "events",
        order: Order = "desc", limit: Limit = 50, offset: Offset = 0,
    ):
        """Entities seen in the documents, with document/mention/event counts and first/last seen."""
        return Q.list_actors(db, q, country, sector, linked, sort, order, limit, offset)

    def actor_detail(actor_id: str, limit: int = 100) -> dict[str, Any]:
        detail = Q.get_actor(db, actor_id, limit)
        if detail is None:
            raise HTTPException(404, f"no actor with id {actor_id!r}")
        detail["kb"] = kb.info(actor_id) if detail["linked"] else None
        return detail

    @app.get("/api/actors/{actor_id:path}", response_model=ActorDetail, tags=["actors"],
             responses={404: {"model": ErrorBody, "description": "No such actor"}, **errors})
    def api_actor(actor_id: str, limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100):
        """One actor: names and aliases (stored and from the knowledge base), the mentions seen,
        and its events as actor and as recipient (most recent `limit` of each)."""
        return actor_detail(actor_id, limit)

    @app.get("/api/stats", tags=["meta"])
    def api_stats(include_duplicates: Annotated[bool, Query(
            description="Count near-duplicate documents too (by default a story counts once).")] = False,
    ) -> dict[str, Any]:
        """Counts of documents, sentences, entities, mentions, events (by type), languages, sites."""
        return Q.stats(db, include_duplicates)

    # ------------------------------------------------------------ ingest

    def analyse_and_store(raw) -> dict[str, Any]:
        with pipeline_lock:
            if "p" not in pipeline_box:
                from claimscope.pipeline import Pipeline, PipelineConfig

                pipeline_box["p"] = Pipeline(PipelineConfig(kb_files=list(kb_files)))
            try:
                doc = pipeline_box["p"].analyze(raw)
            except ValueError as exc:
                raise IngestError(f"cannot analyse: {exc}") from None
        stored = db.add(doc)
        return {"id": doc.id, "stored": stored, "title": doc.title, "events": len(doc.events),
                "entities": len(doc.entities), "url": f"/documents/{doc.id}", "warnings": doc.warnings}

    def ingest_raw(text: str | None, title: str | None, url: str | None,
                   file_name: str | None, file_data: bytes | None, meta: dict[str, str]):
        given = [x for x in (text and text.strip(), url and url.strip(), file_data) if x]
        if len(given) != 1:
            raise IngestError("give exactly one of: text, file, url")
        if file_data:
            raw = raw_from_upload(file_name or "upload", file_data)
        elif url and url.strip():
            raw = fetch_url(url.strip(), allow_private=allow_private_urls)
        else:
            raw = raw_from_text(text, title)
        # the form's metadata (published date, source URL of pasted text or a file) wins
        raw.meta.update(normalise({**meta, "title": title}))
        return raw

    def form_meta(published: str | None, source_url: str | None) -> dict[str, str]:
        if published and published.strip() and not GIVEN_DATE.match(published.strip()):
            raise IngestError(f"published: {published.strip()[:40]!r} is not a date "
                              "(YYYY, YYYY-MM or YYYY-MM-DD)")
        return {k: v.strip() for k, v in (("published", published), ("url", source_url)) if v and v.strip()}

    async def read_upload(file: UploadFile | None) -> tuple[str | None, bytes | None]:
        if file is None or not file.filename:
            return None, None
        data = await file.read(10 * 1024 * 1024 + 1)
        return file.filename, data or None

    if allow_ingest:
        import anyio
        import anyio.to_thread

        # ingest work (URL fetches, analysis) has its own threads, so slow or hostile URLs can
        # hold at most these and never the pool the read API runs in
        ingest_threads = anyio.CapacityLimiter(2)

        async def run_in_threadpool(fn, *args):
            return await anyio.to_thread.run_sync(fn, *args, limiter=ingest_threads)

        # the documented 10 MB applies to pasted text too (Starlette's default part limit is 1 MB)
        form_limits = {"max_part_size": MAX_BODY, "max_files": 1, "max_fields": 8}

        @app.post("/api/ingest", response_model=IngestResult, tags=["ingest"], responses={
            400: {"model": ErrorBody}, 401: {"model": ErrorBody}, 413: {"model": ErrorBody}, **errors},
            form_limits=form_limits)
        async def api_ingest(
            x_claimscope_token: Annotated[str | None, Header()] = None,
            token_field: Annotated[str | None, Form(alias="token")] = None,
            text: Annotated[str | None, Form()] = None,
            title: Annotated[str | None, Form(max_length=300)] = None,
            url: Annotated[str | None, Form(max_length=2000)] = None,
            file: Annotated[UploadFile | None, File()] = None,
            published: Annotated[str | None, Form(max_length=40, description="Publication date of pasted text or a file (YYYY, YYYY-MM or YYYY-MM-DD).")] = None,
            source_url: Annotated[str | None, Form(max_length=2000, description="Where pasted text or a file comes from.")] = None,
        ):
            """Analyse pasted text, an uploaded file or an http(s) URL and store it. Needs the
            server's token in the `X-Claimscope-Token` header or the `token` form field."""
            if not token_ok(token, x_claimscope_token or token_field):
                raise HTTPException(401, "missing or wrong token")
            name, data = await read_upload(file)
            try:
                meta = form_meta(published, source_url)
                raw = await run_in_threadpool(ingest_raw, text, title, url, name, data, meta)
                return await run_in_threadpool(analyse_and_store, raw)
            except IngestError as exc:
                raise HTTPException(400, str(exc)) from None

        @app.get("/ingest", response_class=HTMLResponse, include_in_schema=False)
        def ui_ingest(request: Request):
            return render(request, "ingest.html", allow_private=allow_private_urls)

        @app.post("/ingest", response_class=HTMLResponse, include_in_schema=False, form_limits=form_limits)
        async def ui_ingest_post(
            request: Request,
            token_field: Annotated[str | None, Form(alias="token")] = None,
            text: Annotated[str | None, Form()] = None,
            title: Annotated[str | None, Form(max_length=300)] = None,
            url: Annotated[str | None, Form(max_length=2000)] = None,
            file: Annotated[UploadFile | None, File()] = None,
            published: Annotated[str | None, Form(max_length=40)] = None,
            source_url: Annotated[str | None, Form(max_length=2000)] = None,
        ):
            form = {"text": text, "url": url, "doc_title": title, "published": published,
                    "source_url": source_url, "allow_private": allow_private_urls}
            if not token_ok(token, token_field):
                return render(request, "ingest.html", 401, error="Missing or wrong token.", **form)
            name, data = await read_upload(file)
            try:
                meta = form_meta(published, source_url)
                raw = await run_in_threadpool(ingest_raw, text, title, url, name, data, meta)
                result = await run_in_threadpool(analyse_and_store, raw)
            except IngestError as exc:
                return render(request, "ingest.html", 400, error=str(exc), **form)
            return RedirectResponse(result["url"], status_code=303)

    # ------------------------------------------------------------ UI

    def qs(request: Request, **changes) -> str:
        items = [(k, v) for k, v in request.query_params.multi_items() if k not in changes and v]
        items += [(k, v) for k, v in changes.items() if v is not None]
        return urlencode(items)

    env.globals["qs"] = qs

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def ui_home(request: Request):
        return render(request, "home.html", stats=Q.stats(db),
                      recent=Q.search_documents(db, limit=10)["items"],
                      actors=Q.list_actors(db, limit=10)["items"])

    @app.get("/documents", response_class=HTMLResponse, include_in_schema=False)
    def ui_documents(request: Request, filters: Annotated[dict, Depends(document_filters)],
                     sort: DocumentSort = "published", order: Order = "desc", limit: Limit = 25,
                     offset: Offset = 0):
        page = Q.search_documents(db, **filters, sort=sort, order=order, limit=limit, offset=offset)
        return render(request, "documents.html", page=page, counts=document_facets(db, **filters),
                      params=dict(request.query_params), data_qs=qs(request, offset=None))

    @app.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def ui_document(request: Request, doc_id: str):
        found = _doc_or_404(doc_id)
        analysis = Q.get_analysis(db, found)
        names = {e["id"]: e for e in analysis.get("entities", [])}
        return render(request, "document.html", a=analysis, doc=analysis["document"],
                      segments=segments(analysis), entities=names,
                      events=analysis.get("events", []), review=review_state(db, found))

    @app.get("/events", response_class=HTMLResponse, include_in_schema=False)
    def ui_events(request: Request, f: Annotated[Q.EventFilter, Depends(ui_filter)],
                  sort: EventSort = "date", order: Order = "desc", limit: Limit = 50,
                  offset: Offset = 0):
        page = Q.list_events(db, f, sort, order, limit, offset)
        return render(request, "events.html", page=page, f=f, counts=event_facets(db, f), sort=sort,
                      order=order, download_qs=qs(request, offset=None, limit=None),
                      data_qs=qs(request, offset=None))

    @app.get("/timeline", response_class=HTMLResponse, include_in_schema=False)
    def ui_timeline(request: Request, f: Annotated[Q.EventFilter, Depends(ui_filter)],
                    step: StepQuery = "auto"):
        return render(request, "timeline.html", f=f, counts=event_facets(db, f), step=step,
                      data_qs=qs(request))

    @app.get("/network", response_class=HTMLResponse, include_in_schema=False)
    def ui_network(request: Request, f: Annotated[Q.EventFilter, Depends(ui_filter)],
                   n: Annotated[NetworkOptions, Depends()]):
        return render(request, "network.html", f=f, counts=event_facets(db, f), n=n,
                      data_qs=qs(request))

    @app.get("/actors", response_class=HTMLResponse, include_in_schema=False)
    def ui_actors(request: Request, filters: Annotated[dict, Depends(actor_filters)],
                  sort: ActorSort = "events", order: Order = "desc", limit: Limit = 50,
                  offset: Offset = 0):
        page = Q.list_actors(db, **filters, sort=sort, order=order, limit=limit, offset=offset)
        return render(request, "actors.html", page=page, params=dict(request.query_params),
                      counts=actor_facets(db, **filters), data_qs=qs(request, offset=None))

    @app.get("/actors/{actor_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def ui_actor(request: Request, actor_id: str):
        return render(request, "actor.html", actor=actor_detail(actor_id))

    register_review(app, db, token if allow_review else None)
    register_views(app, db)

    @app.get("/api/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_reference(request: Request):
        """The API reference made from the OpenAPI schema (serve/apidocs.py): no script, no
        CDN, so it works offline and under the CSP."""
        spec = app.openapi()
        return render(request, "api_docs.html", spec=spec, ops=apidocs.operations(spec),
                      schemas=apidocs.schemas(spec))

    return app
