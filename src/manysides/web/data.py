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

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TERM = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 12
MAX_QUERY = 300


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


def search(state: WebState, query: str) -> dict[str, Any]:
    """Stories and articles matching ``query`` (FTS5, hostile syntax neutralised)."""
    fts = fts_query(query)
    if not fts:
        return {"query": query, "stories": [], "articles": []}
    store = state.reader.store()
    limit = state.config.serve.search_limit
    try:
        stories = store.stories.search(fts, limit)
        articles = store.articles.search(fts, limit)
    except sqlite3.Error:
        stories, articles = [], []
    keep = ("id", "title", "url", "published", "source_id", "site", "story_id", "snippet")
    return {
        "query": query,
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
        "stories": [
            {k: s[k] for k in ("id", "headline", "n_articles", "n_outlets", "last_updated")}
            for s in store.briefings.outlet_stories(source_id)
        ],
        "articles": store.briefings.outlet_articles(source_id),
    }
