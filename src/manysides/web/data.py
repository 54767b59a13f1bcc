"""What the web pages and the JSON API show, read from the store (never recomputed)."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from typing import Any

from ..briefing.render import Links, render_page
from ..briefing.view import RenderOptions
from ..config import Config
from ..times import parse as parse_time
from .cache import PageCache
from .reader import StoreReader

# Path parameter bounds, stated in the OpenAPI schema and enforced by FastAPI.
MAX_ID = 2**63 - 1  # SQLite INTEGER
DATE_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
SOURCE_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TERM = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 12
MAX_QUERY = 300
MAX_PAGE = 100  # results per kind and page
MAX_OFFSET = 1000  # deepest result reachable by paging


@dataclass
class WebState:
    """Per-app state (no module globals): store access, page cache, render options."""

    config: Config
    reader: StoreReader
    cache: PageCache
    opts: RenderOptions
    links: Links

    def page(self, template: str, **context: Any) -> str:
        return render_page(template, links=self.links, **({"label": self.opts.label} | context))


def valid_date(value: str) -> bool:
    if not DATE_RE.match(value):
        return False
    return parse_time(value) is not None


def fts_query(text: str) -> str:
    """A safe FTS5 query: each word quoted (so operators and syntax are literal), ANDed."""
    terms = _TERM.findall((text or "")[:MAX_QUERY])[:MAX_TERMS]
    return " ".join('"' + t.replace('"', '""') + '"' for t in terms)


def search(
    state: WebState, query: str, *, limit: int | None = None, offset: int = 0
) -> dict[str, Any]:
    """Stories and articles matching ``query`` (FTS5, hostile syntax neutralised), one
    page of at most ``limit`` (default ``serve.search_limit``) of each after ``offset``.

    The cost is bounded: only the newest ``serve.search_candidates`` matches of each kind
    are ranked, whatever the number of matches.
    """
    limit = limit or state.config.serve.search_limit  # both checked: schema and config
    page = {"query": query, "limit": limit, "offset": offset}
    fts = fts_query(query)
    if not fts:
        return page | {"stories": [], "articles": []}
    store = state.reader.store()
    cap = max(state.config.serve.search_candidates, limit + offset)
    try:
        stories = store.stories.search(fts, limit, offset=offset, candidates=cap)
        articles = store.articles.search(fts, limit, offset=offset, candidates=cap)
    except sqlite3.Error:
        stories, articles = [], []
    keep = ("id", "title", "url", "published", "source_id", "site", "story_id", "snippet")
    return page | {
        "stories": [
            {k: s.get(k) for k in ("id", "headline", "n_articles", "n_outlets", "last_updated")}
            for s in stories
        ],
        "articles": [{k: a.get(k) for k in keep} for a in articles],
    }


def outlet(state: WebState, source_id: str) -> dict[str, Any] | None:
    store = state.reader.store()
    src = state.reader.outlet(source_id)
    if src is None:
        return None
    leaning = src.get("leaning") or "unrated"
    return {
        "id": src["id"],
        "name": src["name"],
        "leaning": leaning,
        "leaning_class": re.sub(r"[^a-z-]", "", leaning) or "unrated",
        "leaning_provenance": src.get("leaning_provenance", ""),
        "ownership": src.get("ownership", "unknown"),
        "kind": src.get("kind", ""),
        "country": src.get("country", ""),
        "domains": src.get("domains", []),
        "language": src.get("language") or "",
        "categories": src.get("categories") or [],
        "owner": src.get("owner") or "",
        "ownership_type": src.get("ownership_type") or "",
        "stories": [
            {k: s[k] for k in ("id", "headline", "n_articles", "n_outlets", "last_updated")}
            for s in store.briefings.outlet_stories(source_id)
        ],
        "articles": store.briefings.outlet_articles(source_id),
    }
