"""The JSON API under ``/api`` (documented at ``/openapi.json`` and ``/docs``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request

from . import data
from .data import WebState
from .models import BriefingSummary, Outlet, SearchResults

router = APIRouter(prefix="/api", tags=["api"])


def _state(request: Request) -> WebState:
    return request.app.state.web


@router.get("/briefings", summary="List briefings")
def list_briefings(request: Request) -> list[BriefingSummary]:
    """Every stored briefing, newest first: date, created_at, n_stories, top headlines."""
    return [BriefingSummary(**b) for b in _state(request).reader.store().briefings.index()]


@router.get("/briefings/latest", summary="Today's (latest) briefing")
def latest_briefing(request: Request) -> dict[str, Any]:
    """The newest briefing as JSON (see docs/briefing-schema.md)."""
    store = _state(request).reader.store()
    date = store.briefings.latest_date()
    found = store.briefings.briefing(date) if date else None
    if found is None:
        raise HTTPException(404, "no briefing yet")
    return found


@router.get("/briefings/{date}", summary="The briefing of one day")
def briefing_on(request: Request, date: str) -> dict[str, Any]:
    """The briefing of ``date`` (YYYY-MM-DD) as JSON (see docs/briefing-schema.md)."""
    if not data.valid_date(date):
        raise HTTPException(422, "date must look like 2026-03-10")
    found = _state(request).reader.store().briefings.briefing(date)
    if found is None:
        raise HTTPException(404, f"no briefing for {date}")
    return found


@router.get("/stories/{story_id}", summary="One story's perspective")
def story(request: Request, story_id: int) -> dict[str, Any]:
    """Coverage, summary, facts, framing, quotes and articles of one story, and the
    briefings it appeared in."""
    store = _state(request).reader.store()
    found = store.briefings.perspective(story_id)
    if found is None:
        raise HTTPException(404, "no analysed story with this id")
    return found | {"appearances": store.briefings.appearances(story_id)}


@router.get("/outlets/{source_id}", summary="One outlet")
def outlet(request: Request, source_id: str) -> Outlet:
    """Leaning, ownership, recent stories and articles of one outlet."""
    found = data.outlet(_state(request), source_id)
    if found is None:
        raise HTTPException(404, "no outlet with this id")
    return Outlet(**found)


@router.get("/search", summary="Full-text search")
def search(
    request: Request,
    q: str = Query(..., max_length=data.MAX_QUERY, description="words; all must match"),
) -> SearchResults:
    """Stories (by headline) and articles (title and text) matching every word of ``q``."""
    return SearchResults(**data.search(_state(request), q))
