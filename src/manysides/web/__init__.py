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
from .cache import PageCache
from .data import WebState
from .reader import StoreReader

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["create_app"]


def create_app(config: Config, db: str | Path) -> FastAPI:
    """The FastAPI application over the database at ``db``."""
    from contextlib import asynccontextmanager

    from fastapi import FastAPI, Request
    from fastapi.responses import HTMLResponse, JSONResponse

    from ..errors import StoreError
    from . import api, pages
    from .security import SecurityHeaders

    state = WebState(
        config=config,
        reader=StoreReader(db),
        cache=PageCache(config.serve.page_cache),
        opts=RenderOptions.from_config(config.briefing),
        links=Links(mode="web"),
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

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> HTMLResponse | JSONResponse:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.message}, status_code=503)
        body = state.page("error.html", title="Database unavailable", message=exc.message)
        return HTMLResponse(body, status_code=503)

    app.include_router(api.router)
    app.include_router(pages.router)
    app.add_middleware(SecurityHeaders)
    return app
