"""The JSON API under ``/api`` (documented at ``/openapi.json`` and ``/docs``).

Every path parameter has bounds in the schema (out of range: 422 with FastAPI's
validation body), every lookup documents its 404 (``{"detail": "..."}``), and search
is paginated (``limit``, ``offset``) with a bounded query.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from . import data
from .cache import Prepared
from .data import WebState
from .http import http_date, prepared_response
from .models import BriefingSummary, ErrorDetail, Outlet, SearchResults

router = APIRouter(prefix="/api", tags=["api"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorDetail, "description": "Not found"}
}
StoryId = Annotated[int, Path(ge=1, le=data.MAX_ID, description="A story's number (1 to 2^63-1).")]
DateParam = Annotated[
    str,
    Path(
        pattern=data.DATE_PATTERN,
        min_length=10,
        max_length=10,
        description="A day, YYYY-MM-DD.",
        examples=["2026-03-10"],
    ),
]
SourceId = Annotated[
    str,
    Path(
        pattern=data.SOURCE_ID_PATTERN,
        min_length=1,
        max_length=64,
        description="An outlet's id in the catalog (a lower-case slug).",
    ),
]


def _state(request: Request) -> WebState:
    return request.app.state.web


@router.get("/briefings", summary="List briefings")
def list_briefings(request: Request) -> list[BriefingSummary]:
    """Every stored briefing, newest first: date, created_at, n_stories, top headlines."""
    return [BriefingSummary(**b) for b in _state(request).reader.store().briefings.index()]


def _json(request: Request, body: Prepared, stamp: str | None) -> Response:
    headers = {}
    modified = http_date(stamp)
    if modified:
        headers["last-modified"] = modified
    return prepared_response(request, body, "application/json", headers)


async def _briefing(request: Request, date: str | None, missing: str) -> Response:
    # On the event loop: an indexed stamp lookup and, once per stored version, a read
    # (compressed in the thread pool: a briefing's JSON is large).
    state = _state(request)
    store = state.reader.store()
    stamp = store.briefings.briefing_stamp(date) if date else None
    if date is None or stamp is None:
        raise HTTPException(404, missing)
    key = ("api-briefing", date, stamp)
    body = state.cache.get(key)
    if body is None:
        text = store.briefings.briefing_text(date)
        if text is None:
            raise HTTPException(404, missing)
        body = await run_in_threadpool(Prepared.of, text)
        state.cache.put(key, body)
    return _json(request, body, stamp)


@router.get("/briefings/latest", summary="Today's (latest) briefing", responses=NOT_FOUND)
async def latest_briefing(request: Request) -> dict[str, Any]:
    """The newest briefing as JSON (see docs/briefing-schema.md)."""
    latest = _state(request).reader.store().briefings.latest_date()
    return await _briefing(request, latest, "no briefing yet")


@router.get("/briefings/{date}", summary="The briefing of one day", responses=NOT_FOUND)
async def briefing_on(request: Request, date: DateParam) -> dict[str, Any]:
    """The briefing of ``date`` (YYYY-MM-DD) as JSON (see docs/briefing-schema.md)."""
    valid = data.valid_date(date)
    return await _briefing(request, date if valid else None, f"no briefing for {date}")


def _story_body(
    raw: dict[str, Any], appearances: list[dict[str, Any]], why: dict[str, Any] | None
) -> Prepared:
    body = raw | {"appearances": appearances, "why": why}
    return Prepared.of(json.dumps(body, ensure_ascii=False))


@router.get("/stories/{story_id}", summary="One story's perspective", responses=NOT_FOUND)
async def story(request: Request, story_id: StoryId) -> dict[str, Any]:
    """Coverage, summary, facts, framing, quotes and articles of one story, the
    briefings it appeared in, and ``why`` its articles are one story (the names and terms
    they share, each article's similarity to the rest; see docs/briefing-schema.md)."""
    state = _state(request)
    store = state.reader.store()
    stamp = store.briefings.perspective_stamp(story_id)
    raw = store.briefings.perspective(story_id) if stamp is None else None
    if stamp is None and raw is None:
        raise HTTPException(404, "no analysed story with this id")
    version = (stamp, store.briefings.last_stored(), store.stories.why_stamp(story_id))
    key = ("api-story", story_id, *version)
    body = state.cache.get(key) if stamp else None
    if body is None:
        raw = raw or store.briefings.perspective(story_id)
        if raw is None:
            raise HTTPException(404, "no analysed story with this id")
        appearances = store.briefings.appearances(story_id)
        why = store.stories.why(story_id)
        body = await run_in_threadpool(_story_body, raw, appearances, why)
        if stamp:
            state.cache.put(key, body)
    return _json(request, body, stamp)


@router.get("/outlets/{source_id}", summary="One outlet", responses=NOT_FOUND)
def outlet(request: Request, source_id: SourceId) -> Outlet:
    """Leaning, ownership, recent stories and articles of one outlet."""
    found = data.outlet(_state(request), source_id)
    if found is None:
        raise HTTPException(404, "no outlet with this id")
    return Outlet(**found)


@router.get("/search", summary="Full-text search", response_model=SearchResults)
async def search(
    request: Request,
    q: Annotated[str, Query(max_length=data.MAX_QUERY, description="words; all must match")],
    limit: Annotated[
        int | None, Query(ge=1, le=data.MAX_PAGE, description="results per kind (page size)")
    ] = None,
    offset: Annotated[int, Query(ge=0, le=data.MAX_OFFSET, description="results to skip")] = 0,
) -> Response:
    """Stories (by headline) and articles (title and text) matching every word of ``q``,
    best first; ``limit`` and ``offset`` page through them."""
    state = _state(request)
    key = ("api", q, limit, offset)
    body = await state.search_body(key, partial(_search_json, state, q, limit, offset))
    return prepared_response(request, body, "application/json")


def _search_json(state: WebState, q: str, limit: int | None, offset: int) -> tuple[str, bool]:
    # Validated and serialised once, by the model, in the search thread (FastAPI would
    # validate the model again and walk it through jsonable_encoder on the event loop).
    found = SearchResults(**data.search(state, q, limit=limit, offset=offset))
    return found.model_dump_json(), found.timed_out
