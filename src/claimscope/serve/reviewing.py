"""Review routes (issue #11 item 4): POST /api/corrections (the server's token, like ingest;
only with --allow-review) and GET /api/corrections; the document page's review state. The
corrections themselves, their storage and how they apply are claimscope.review."""
from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import FastAPI, Header, HTTPException, Query
from pydantic import BaseModel, Field

from claimscope import review
from claimscope.serve import queries as Q
from claimscope.serve.ingest import token_ok


class Selection(BaseModel):
    start: int = Field(ge=0)
    end: int = Field(ge=1)


class CorrectionIn(BaseModel):
    doc_id: str = Field(max_length=64)
    action: Literal["reject", "edit", "add"]
    event_id: str | None = Field(None, max_length=64, description="The event (reject, edit).")
    changes: dict[str, Any] | None = Field(None, description="New values of type, mode, actor, recipients, date, aux (edit, add).")
    selection: Selection | None = Field(None, description="Offsets of the missed event's text (add).")
    reviewer: str = Field(max_length=100, description="Who corrects (a name or initials).")
    note: str | None = Field(None, max_length=500)


class CorrectionOut(BaseModel):
    id: int
    doc_id: str
    event_id: str | None = None
    action: str
    anchor_start: int
    anchor_end: int
    anchor_text: str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    reviewer: str
    created_at: str
    note: str | None = None


def review_state(db: Q.Database, doc_id: str) -> dict[str, Any]:
    """The document's events as corrected (rejected ones kept and marked) and its history."""
    conn = db.conn()
    rows = review.document_rows(conn, doc_id, keep_rejected=True)
    hist = review.history(conn, doc_id)
    return {"rows": {r["event_id"]: r for r in rows},
            "added": [r for r in rows if r["event_id"].startswith("r") and r.get("correction")],
            "history": hist, "by_id": {c["id"]: c for c in hist},
            "fields": {r["event_id"]: review.event_fields(r) for r in rows}}


def register(app: FastAPI, db: Q.Database, token: str | None) -> None:
    """GET /api/corrections always (empty when nothing was reviewed); POST only with a token."""

    @app.get("/api/corrections", response_model=list[CorrectionOut], tags=["review"])
    def api_corrections(doc: Annotated[str | None, Query(max_length=64, description="Only this document.")] = None):
        """Every correction (of one document), oldest first: who, when, before and after."""
        return review.history(db.conn(), doc)

    if token is None:
        return

    @app.post("/api/corrections", response_model=CorrectionOut, tags=["review"], responses={
        400: {"description": "Invalid correction"}, 401: {"description": "Missing or wrong token"},
        404: {"description": "No such document"}})
    def api_correct(body: CorrectionIn,
                    x_claimscope_token: Annotated[str | None, Header()] = None):
        """Mark an event wrong, change it, or add a missed one (needs the server's token in the
        `X-Claimscope-Token` header). Stored beside the machine output, applied to the API
        and exports, and exported as gold by `claimscope export --table corrections --format gold`."""
        if not token_ok(token, x_claimscope_token):
            raise HTTPException(401, "missing or wrong token")
        doc_id = Q.document_id(db, body.doc_id)
        if doc_id is None:
            raise HTTPException(404, f"no document with id {body.doc_id!r}")
        event = None
        if body.action != "add":
            event = review_state(db, doc_id)["rows"].get(body.event_id or "")
            if event is None or event.get("rejected"):
                raise HTTPException(400, f"event: no event {body.event_id!r} in this document")
        selection = (body.selection.start, body.selection.end) if body.selection else None
        try:
            cid = db.correct(lambda conn: review.record(
                conn, doc_id, body.action, body.reviewer, event=event, changes=body.changes,
                selection=selection, note=body.note))
        except review.ReviewError as exc:
            raise HTTPException(400, str(exc)) from None
        return next(c for c in review.history(db.conn(), doc_id) if c["id"] == cid)
