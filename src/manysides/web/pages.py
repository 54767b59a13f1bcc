"""HTML pages: today's briefing, archive, story, outlet, search, feed, API docs.

Path parameters have the same bounds as the API's; a browser asking for a page that
cannot exist (``/story/abc``, an out-of-range id) gets the HTML error page (``errors``).
The briefing, story and feed are rendered once per stored version and kept in the page
cache; their hot path is a few indexed reads on the event loop.
"""

from __future__ import annotations

import dataclasses
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..briefing import render
from ..briefing.records import Briefing
from ..briefing.render import CSS_NAME, ArchiveEntry, render_atom, render_html
from ..briefing.view import story_view, why_view
from ..perspectives.records import Perspective
from ..stories.explain import StoryWhy
from . import data
from .cache import Prepared
from .data import WebState
from .http import http_date, prepared_response

router = APIRouter(include_in_schema=False)
HTML_CACHE = "public, max-age=60"
HTML_TYPE = "text/html; charset=utf-8"
FEED_ENTRIES = 30
StoryId = Annotated[int, Path(ge=1, le=data.MAX_ID)]
DateParam = Annotated[str, Path(pattern=data.DATE_PATTERN, max_length=10)]
SourceId = Annotated[str, Path(pattern=data.SOURCE_ID_PATTERN, max_length=64)]
EditionSlug = Annotated[str, Path(pattern=data.SOURCE_ID_PATTERN, max_length=64)]


def _state(request: Request) -> WebState:
    return request.app.state.web


def _html(body: str, status: int = 200, stamp: str | None = None) -> HTMLResponse:
    headers = {"cache-control": HTML_CACHE}
    modified = http_date(stamp)
    if modified:
        headers["last-modified"] = modified
    return HTMLResponse(body, status_code=status, headers=headers)


def _cached_html(request: Request, page: Prepared, stamp: str | None) -> Response:
    headers = {"cache-control": HTML_CACHE}
    modified = http_date(stamp)
    if modified:
        headers["last-modified"] = modified
    return prepared_response(request, page, HTML_TYPE, headers)


def not_found(state: WebState, message: str) -> HTMLResponse:
    return HTMLResponse(
        state.page("error.html", title="Not found", message=message), status_code=404
    )


async def _briefing_page(request: Request, state: WebState, date: str | None) -> Response:
    # Hot path on the event loop: two indexed lookups and a cache hit (a body gzipped and
    # validated when it was cached). A miss reads the stored JSON here and renders and
    # compresses it in the thread pool (no store access off-loop).
    store = state.reader.store()
    date = date or store.briefings.latest_date()
    if date is None:
        return _html(
            state.page(
                "error.html",
                title="No briefing yet",
                message="No briefing has been built yet. Run `manysides brief`.",
            )
        )
    stamp = store.briefings.briefing_stamp(date)
    if stamp is None:
        return not_found(state, f"There is no briefing for {date}.")
    key = ("briefing", date, stamp)
    page = state.cache.get(key)
    if page is None:
        raw = store.briefings.briefing(date) or {}
        page = await run_in_threadpool(
            lambda: Prepared.of(render_html(Briefing.from_dict(raw), state.opts, state.links))
        )
        state.cache.put(key, page)
    return _cached_html(request, page, stamp)


@router.get("/", response_class=HTMLResponse)
async def today(request: Request) -> Response:
    return await _briefing_page(request, _state(request), None)


@router.get("/briefing/{date}", response_class=HTMLResponse)
async def briefing_on(request: Request, date: DateParam) -> Response:
    state = _state(request)
    if not data.valid_date(date):
        return not_found(state, "Dates look like 2026-03-10.")
    return await _briefing_page(request, state, date)


@router.get("/archive", response_class=HTMLResponse)
def archive(request: Request) -> HTMLResponse:
    state = _state(request)
    entries = [
        ArchiveEntry(r["date"], int(r["n_stories"]), tuple(r["headlines"]))
        for r in state.reader.store().briefings.index()
    ]
    return _html(state.page("archive.html", entries=entries, title=state.config.briefing.title))


def _story_page(state: WebState, raw: dict, appearances: list[dict], why: dict | None) -> Prepared:
    perspective = Perspective.from_dict(raw)
    view = story_view(perspective, state.opts, full=True)
    explained = why_view(StoryWhy.from_dict(why), perspective.articles) if why else None
    return Prepared.of(state.page("story.html", v=view, appearances=appearances, why=explained))


@router.get("/story/{story_id}", response_class=HTMLResponse)
async def story(request: Request, story_id: StoryId) -> Response:
    state = _state(request)
    store = state.reader.store()
    stamp = store.briefings.perspective_stamp(story_id)
    if stamp is None:
        row = store.stories.get(story_id)
        if row is not None and int(row["id"]) != story_id:
            return RedirectResponse(f"/story/{int(row['id'])}", status_code=301)
        return not_found(state, "No analysed story with this number.")
    # Appearances change when a briefing is stored, the explanation when the story's
    # articles change: their times are part of the version.
    key = (
        "story",
        story_id,
        stamp,
        store.briefings.last_stored(),
        store.stories.why_stamp(story_id),
    )
    page = state.cache.get(key)
    if page is None:
        raw = store.briefings.perspective(story_id) or {}
        appearances = store.briefings.appearances(story_id)
        why = store.stories.why(story_id)
        page = await run_in_threadpool(_story_page, state, raw, appearances, why)
        state.cache.put(key, page)
    return _cached_html(request, page, stamp)


@router.get("/outlet/{source_id}", response_class=HTMLResponse)
def outlet(request: Request, source_id: SourceId) -> HTMLResponse:
    state = _state(request)
    found = data.outlet(state, source_id)
    if found is None:
        return not_found(state, "No outlet with this id in the catalog.")
    return _html(
        state.page(
            "outlet.html", outlet=found, stories=found["stories"], articles=found["articles"]
        )
    )


@router.get("/search", response_class=HTMLResponse)
async def search(
    request: Request,
    q: Annotated[str, Query(max_length=data.MAX_QUERY)] = "",
    offset: Annotated[int, Query(ge=0, le=data.MAX_OFFSET)] = 0,
) -> HTMLResponse:
    state = _state(request)
    page = await state.search_body(("page", q, offset), partial(_search_page, state, q, offset))
    return prepared_response(request, page, HTML_TYPE)


def _search_page(state: WebState, q: str, offset: int) -> tuple[str, bool]:
    found = data.search(state, q, offset=offset)
    more = len(found["stories"]) == found["limit"] or len(found["articles"]) == found["limit"]
    html = state.page(
        "search.html",
        query=q,
        stories=found["stories"],
        articles=found["articles"],
        offset=offset,
        next_offset=offset + found["limit"] if more else None,
        timed_out=found["timed_out"],
    )
    return html, found["timed_out"]


def _feed(state: WebState, base: str, briefings: list[dict], path: str = "feed.atom") -> Prepared:
    opts = state.opts if state.opts.base_url else dataclasses.replace(state.opts, base_url=base)
    body = render_atom([Briefing.from_dict(b) for b in briefings], opts, f"{opts.base_url}/{path}")
    return Prepared.of(body)


@router.get("/editions/{slug}", response_class=HTMLResponse)
async def edition(request: Request, slug: EditionSlug) -> Response:
    """An edition's latest briefing (``manysides brief --edition``)."""
    state = _state(request)
    store = state.reader.store()
    date = store.editions.latest_date(slug)
    stamp = store.editions.briefing_stamp(slug, date) if date else None
    if date is None or stamp is None:
        return not_found(state, f"There is no briefing of the edition {slug!r} yet.")
    key = ("edition", slug, date, stamp)
    page = state.cache.get(key)
    if page is None:
        raw = store.editions.briefing(slug, date) or {}
        page = await run_in_threadpool(
            lambda: Prepared.of(render_html(Briefing.from_dict(raw), state.opts, state.links))
        )
        state.cache.put(key, page)
    return _cached_html(request, page, stamp)


@router.get("/editions/{slug}/feed.atom")
async def edition_feed(request: Request, slug: EditionSlug) -> Response:
    """An edition's Atom feed."""
    state = _state(request)
    store = state.reader.store()
    stamps = store.editions.stamps(slug, FEED_ENTRIES)
    if not stamps:
        return not_found(state, f"There is no briefing of the edition {slug!r} yet.")
    base = str(request.base_url).rstrip("/")
    key = ("edition-feed", slug, base, tuple(stamps))
    body = state.cache.get(key)
    if body is None:
        raw = [b for d, _ in stamps if (b := store.editions.briefing(slug, d))]
        body = await run_in_threadpool(_feed, state, base, raw, f"editions/{slug}/feed.atom")
        state.cache.put(key, body)
    headers = {"cache-control": HTML_CACHE}
    modified = http_date(max(s for _, s in stamps))
    if modified:
        headers["last-modified"] = modified
    return prepared_response(request, body, "application/atom+xml; charset=utf-8", headers)


@router.get("/feed.atom")
async def feed(request: Request) -> Response:
    state = _state(request)
    store = state.reader.store()
    stamps = store.briefings.stamps(FEED_ENTRIES)
    base = str(request.base_url).rstrip("/")
    key = ("feed", base, tuple(stamps))
    body = state.cache.get(key)
    if body is None:
        raw = [b for d, _ in stamps if (b := store.briefings.briefing(d))]
        body = await run_in_threadpool(_feed, state, base, raw)
        state.cache.put(key, body)
    headers = {"cache-control": HTML_CACHE}
    modified = http_date(max((s for _, s in stamps), default=None))
    if modified:
        headers["last-modified"] = modified
    return prepared_response(request, body, "application/atom+xml; charset=utf-8", headers)


@router.get(f"/static/{CSS_NAME}")
def stylesheet() -> Response:
    return Response(
        render.stylesheet(CSS_NAME),
        media_type="text/css; charset=utf-8",
        headers={"cache-control": "public, max-age=3600"},
    )


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """Server-rendered API reference (no JavaScript, so it works under the strict CSP)."""
    state = _state(request)
    spec = request.app.openapi()
    endpoints = []
    for path, methods in sorted(spec.get("paths", {}).items()):
        for method, op in methods.items():
            params = [
                (p.get("name", ""), p.get("in", ""), p.get("required", False))
                for p in op.get("parameters", [])
            ]
            endpoints.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "params": params,
                }
            )
    return HTMLResponse(state.page("api_docs.html", title="manysides API", endpoints=endpoints))
