"""The web app (``manysides serve``): briefing, story, outlet, search and archive pages,
plus a JSON API under ``/api`` (OpenAPI at ``/openapi.json``, reference at ``/docs``).

Everything is read from the store read-only (one SQLite connection per server thread)
and rendered from stored perspective/briefing JSON; rendered pages are cached keyed on
the stored row's timestamp, so nothing is recomputed per request.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..briefing.render import Links
from ..briefing.view import RenderOptions
from ..config import Config
from .cache import GZIP_LEVEL, GZIP_MIN_BYTES, PageCache
from .data import WebState
from .reader import StoreReader

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["create_app"]


def create_app(config: Config, db: str | Path) -> FastAPI:
    """The FastAPI application over the database at ``db``."""
    from contextlib import asynccontextmanager

    import anyio
    from fastapi import FastAPI, Request
    from fastapi.exception_handlers import (
        http_exception_handler,
        request_validation_exception_handler,
    )
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import HTMLResponse, JSONResponse, Response
    from starlette.exceptions import HTTPException
    from starlette.middleware.gzip import GZipMiddleware

    from ..errors import StoreError
    from . import api, data, pages
    from .http import HeadAsGet, Validators
    from .security import SecurityHeaders

    state = WebState(
        config=config,
        reader=StoreReader(db),
        cache=PageCache(config.serve.page_cache),
        opts=RenderOptions.from_config(config.briefing),
        links=Links(mode="web"),
        search_slots=anyio.CapacityLimiter(config.serve.search_threads),
        searches=PageCache(config.serve.search_cache),
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI):  # noqa: ANN202
        yield
        state.reader.close()

    app = FastAPI(
        title="manysides",
        summary="Open news briefing engine: stories, who said what, and every side's coverage.",
        version="1",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.web = state

    def for_machines(request: Request) -> bool:
        path = request.url.path
        return path.startswith("/api/") or path == "/openapi.json"

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> HTMLResponse | JSONResponse:
        if for_machines(request):
            return JSONResponse({"detail": exc.message}, status_code=503)
        body = state.page("error.html", title="Database unavailable", message=exc.message)
        return HTMLResponse(body, status_code=503)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        # The API answers FastAPI's documented 422 body; a browser gets the error page:
        # 404 for a path that cannot name a page (/story/abc), 422 for a bad query.
        if for_machines(request):
            return await request_validation_exception_handler(request, exc)
        in_path = any(e.get("loc", ("",))[0] == "path" for e in exc.errors())
        title, status = ("Not found", 404) if in_path else ("Bad request", 422)
        message = (
            "There is no page at this address."
            if in_path
            else "This request has a parameter out of range (a search is at most"
            f" {data.MAX_QUERY} characters)."
        )
        return HTMLResponse(state.page("error.html", title=title, message=message), status)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if for_machines(request) or exc.status_code not in (404, 405):
            return await http_exception_handler(request, exc)
        title = "Not found" if exc.status_code == 404 else "Method not allowed"
        message = (
            "There is no page at this address."
            if exc.status_code == 404
            else "This address only answers GET and HEAD."
        )
        body = state.page("error.html", title=title, message=message)
        return HTMLResponse(body, exc.status_code, headers=exc.headers)

    app.include_router(api.router)
    app.include_router(pages.router)
    # Outermost first: security headers on everything, HEAD as GET (headers included),
    # gzip for every text body, validators over the identity body.
    app.add_middleware(Validators)
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MIN_BYTES, compresslevel=GZIP_LEVEL)
    app.add_middleware(HeadAsGet)
    app.add_middleware(SecurityHeaders)
    return app
