"""What the web pages and the JSON API show, read from the store (never recomputed)."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from ..briefing.render import Links, render_page
from ..briefing.view import RenderOptions
from ..config import Config
from ..errors import QueryTimeout
from ..times import parse as parse_time
from .cache import PageCache, Prepared
from .reader import StoreReader

T = TypeVar("T")

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
SNIPPET_CHARS = 20000  # a snippet comes from the opening of the text (bounded cost)
SNIPPET_WORDS = 20
_WORDS = re.compile(r"[^\W_]+")


@dataclass
class WebState:
    """Per-app state (no module globals): store access, page cache, render options."""

    config: Config
    reader: StoreReader
    cache: PageCache
    opts: RenderOptions
    links: Links
    # Searches run in their own few threads (``serve.search_threads``), not the shared
    # pool: a dozen CPU-bound searches in a dozen threads would hold the GIL against the
    # event loop and delay every cached page behind them.
    search_slots: Any = None
    # Rendered search results (page and API bodies), keyed on the query and on the
    # database's version (``StoreReader.version``): a repeated search is a cache hit
    # until something new is stored.
    searches: PageCache | None = None

    async def run_search(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` in a search thread (at most ``serve.search_threads`` at once)."""
        import anyio.to_thread

        return await anyio.to_thread.run_sync(fn, *args, limiter=self.search_slots)

    async def search_body(self, key: Hashable, render: Callable[[], tuple[str, bool]]) -> Prepared:
        """A search's rendered body: from ``searches`` if this search (``key``) was rendered
        since the database last changed, else ``render()`` (body, timed out) in a search
        thread, kept unless it timed out (a slow moment is not an answer to remember)."""
        full = (key, self.reader.version())
        hit = self.searches.get(full) if self.searches is not None else None
        if hit is not None:
            return hit

        def make() -> tuple[Prepared, bool]:
            body, timed_out = render()
            return Prepared.of(body), timed_out

        prepared, timed_out = await self.run_search(make)
        if not timed_out and self.searches is not None:
            self.searches.put(full, prepared)
        return prepared

    def page(self, template: str, **context: Any) -> str:
        return render_page(template, links=self.links, **({"label": self.opts.label} | context))


def valid_date(value: str) -> bool:
    if not DATE_RE.match(value):
        return False
    return parse_time(value) is not None


def fts_terms(text: str) -> list[str]:
    """The words of a search (at most ``MAX_TERMS`` of its first ``MAX_QUERY`` characters)."""
    return _TERM.findall((text or "")[:MAX_QUERY])[:MAX_TERMS]


def fts_query(text: str) -> str:
    """A safe FTS5 query: each word quoted (so operators and syntax are literal), ANDed."""
    return " ".join('"' + t.replace('"', '""') + '"' for t in fts_terms(text))


def search(
    state: WebState, query: str, *, limit: int | None = None, offset: int = 0
) -> dict[str, Any]:
    """Stories and articles matching ``query`` (FTS5, hostile syntax neutralised), one
    page of at most ``limit`` (default ``serve.search_limit``) of each after ``offset``,
    each article with a ``snippet`` of its text around the first matching word.

    The cost is bounded: only the newest ``serve.search_candidates`` matches of each kind
    are ranked, whatever the number of matches; snippets read the opening
    ``SNIPPET_CHARS`` of the returned articles only; and the database work stops after
    ``serve.query_timeout`` seconds (then nothing is found and ``timed_out`` is true).
    """
    serve = state.config.serve
    limit = limit or serve.search_limit  # both checked: schema and config
    page = {"query": query, "limit": limit, "offset": offset, "timed_out": False}
    terms = fts_terms(query)
    if not terms:
        return page | {"stories": [], "articles": []}
    fts = fts_query(query)
    store = state.reader.store()
    cap = max(serve.search_candidates, limit + offset)
    try:
        with store.time_limit(serve.query_timeout):
            stories = store.stories.search(fts, limit, offset=offset, candidates=cap)
            articles = store.articles.search(
                fts, limit, offset=offset, candidates=cap, head=SNIPPET_CHARS
            )
    except QueryTimeout:
        return page | {"stories": [], "articles": [], "timed_out": True}
    except sqlite3.Error:
        stories, articles = [], []
    keep = ("id", "title", "url", "published", "source_id", "site", "story_id")
    snip = Snippets(terms)
    return page | {
        "stories": [
            {k: s.get(k) for k in ("id", "headline", "n_articles", "n_outlets", "last_updated")}
            for s in stories
        ],
        "articles": [
            {k: a.get(k) for k in keep} | {"snippet": snip(a.get("head") or "")} for a in articles
        ],
    }


def snippet(text: str, terms: Sequence[str], size: int = SNIPPET_WORDS) -> str:
    """About ``size`` words of ``text`` around its first word that matches one of the
    query ``terms`` (see ``Snippets``)."""
    return Snippets(terms, size)(text)


class Snippets:
    """Snippets for one search: about ``size`` words of a text around its first word that
    matches one of the query ``terms``, matches in ``[...]``, ``…`` where the text was
    cut; the opening words when no word matches (the match was in the title, or further
    on). The matcher is built once per search, not once per result.

    A word matches a term when it is the term, the term plus "s", or (terms of 5 letters
    or more) shares its first ``len - 3`` letters, at least 5: about what the index's
    Porter stemmer matches ("shooting": "shoots", "shootings"), with no dictionary to load
    (a lemmatiser's first use would hold the event loop for a second).
    """

    def __init__(self, terms: Sequence[str], size: int = SNIPPET_WORDS) -> None:
        self.size = size
        self.exact = {t.lower() for t in terms if t}
        self.stems = tuple(sorted({t[: max(5, len(t) - 3)] for t in self.exact if len(t) >= 5}))
        alternatives = "|".join(map(re.escape, sorted(set(self.stems) | self.exact)))
        self.probe = re.compile(r"\b(?:" + alternatives + ")", re.I) if self.exact else None

    def hit(self, word: str) -> bool:
        low = word.lower()
        return (
            low in self.exact or low.removesuffix("s") in self.exact or low.startswith(self.stems)
        )

    def __call__(self, text: str) -> str:
        size, hit = self.size, self.hit
        first = None
        if self.probe is not None:
            first = next(
                (m for m in self.probe.finditer(text) if hit(_word_at(text, m.start()))), None
            )
        begin = 0 if first is None else max(0, first.start() - 8 * size)  # ~size/4 words back
        spans = [m.span() for m in _WORDS.finditer(text, begin, begin + 20 * size)]
        if begin and spans and spans[0][0] == begin:
            spans = spans[1:]  # it may be the tail of a word cut at ``begin``
        if not spans:
            return ""
        at = 0 if first is None else next(i for i, s in enumerate(spans) if s[0] >= first.start())
        window = spans[max(0, at - size // 4) :][:size]
        out: list[str] = []
        cursor = window[0][0]
        for start, end in window:
            word = text[start:end]
            out.append(text[cursor:start] + (f"[{word}]" if hit(word) else word))
            cursor = end
        body = " ".join("".join(out).split())
        before = "…" if _WORDS.search(text, 0, window[0][0]) else ""
        after = "…" if _WORDS.search(text, window[-1][1]) else ""
        return before + body + after


def _word_at(text: str, at: int) -> str:
    found = _WORDS.match(text, at)
    return found.group(0) if found else ""


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
