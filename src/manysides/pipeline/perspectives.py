"""Pipeline step: compute the perspective of every recently updated story.

A story is (re)analysed when it was last updated within ``briefing.hours`` before
``ctx.now`` (and not after it: a replay with ``--as-of`` sees no later story), or within
``briefing.hours`` before the previous briefing's clock (``briefing.previous_hours``
earlier), has at least
``briefing.min_outlets`` outlets, and its article count differs from the one its stored
perspective was computed on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..briefing.previous import previous_clock
from ..config import Config
from ..perspectives import StoryArticle, StoryBundle, StoryQuoteRef, analyze_story
from ..quotes import Quote, merge_story_quotes
from ..quotes.merge import StoryItem, quote_from_row
from ..store import Store
from ..times import parse as parse_time
from . import RunContext
from .candidates import clock_text, shortlist

if TYPE_CHECKING:
    from ..perspectives.llm import Chat


def story_items(rows: list[dict[str, Any]], arts: dict[int, StoryArticle]) -> list[StoryItem]:
    """The store's quote rows of one story as the merger's records, in article order:
    (article_id, outlet, leaning, quotes); outlet names and leanings come from the catalog
    (through the story's articles)."""
    by_article: dict[int, list[Quote]] = {}
    for r in rows:
        by_article.setdefault(int(r["article_id"]), []).append(quote_from_row(r))
    items: list[StoryItem] = []
    for article_id, quotes in by_article.items():
        a = arts.get(article_id)
        items.append((article_id, a.outlet if a else "", a.leaning if a else "unrated", quotes))
    return items


def quote_refs(rows: list[dict[str, Any]], arts: dict[int, StoryArticle]) -> list[StoryQuoteRef]:
    """A story's quotes merged across its outlets (``quotes.merge_story_quotes``)."""
    return [
        StoryQuoteRef(
            text=q.text,
            speaker=q.speaker,
            cue=q.cue,
            direct=q.direct,
            carriers=list(q.carriers),
            wording_differs=q.wording_differs,
            confidence=q.confidence,
        )
        for q in merge_story_quotes(story_items(rows, arts))
    ]


def build_bundle(
    store: Store, story: dict[str, Any], sources: dict[str, dict], as_of: str | None = None
) -> StoryBundle:
    """Load one story's articles, outlets' leaning/ownership and quotes from the store;
    with ``as_of`` (the run's clock), only the articles published by then."""
    rows = store.articles.get_many(store.stories.article_ids(int(story["id"]), as_of))
    articles: dict[int, StoryArticle] = {}
    for r in rows:
        src = sources.get(r.get("source_id") or "") or {}
        articles[int(r["id"])] = StoryArticle(
            id=int(r["id"]),
            title=r.get("title") or "",
            text=r.get("text") or "",
            url=r.get("url") or "",
            outlet=src.get("name") or r.get("site") or "",
            source_id=r.get("source_id"),
            leaning=src.get("leaning") or "unrated",
            ownership=src.get("ownership") or "unknown",
            published=parse_time(r.get("published")),
            report_id=r.get("report_id"),
            authors=_byline(r.get("authors")),
            page_type=r.get("page_type") or "",
            page_section=r.get("page_section") or "",
        )
    quoted = [q for q in store.quotes.for_story(int(story["id"])) if q["article_id"] in articles]
    quotes = quote_refs(quoted, articles)
    return StoryBundle(
        story_id=int(story["id"]),
        headline=story.get("headline") or "",
        articles=list(articles.values()),
        quotes=quotes,
    )


def perspectives_step(ctx: RunContext) -> None:
    store, config = ctx.store, ctx.config
    edition = ctx.options.get("edition")
    stories = shortlist(store, ctx.now, config.briefing, edition)
    # The previous briefing's candidates too: the briefing step ranks them as they stood
    # then (``briefing/previous.py``), so a day's front page never depends on whether the
    # day before was built.
    seen = {int(s["id"]) for s in stories}
    clock = previous_clock(ctx.now, config.briefing.previous_hours)
    for story in shortlist(store, clock, config.briefing, edition) if clock else []:
        if int(story["id"]) not in seen:
            stories.append(story)
            seen.add(int(story["id"]))
    sources = store.catalog.sources()
    chat = chat_client(config)
    as_of = clock_text(ctx.now)
    for story in ctx.report.progress(stories, "perspectives"):
        story_id = int(story["id"])
        try:
            if store.briefings.perspective_articles(story_id) == story["n_articles"]:
                ctx.report.count("perspectives_unchanged")
                continue
            bundle = build_bundle(store, story, sources, as_of)
            if not bundle.articles:
                continue
            perspective = analyze_story(bundle, config.perspectives, chat)
            store.briefings.save_perspective(story_id, len(bundle.articles), perspective.to_dict())
            ctx.report.count("perspectives_computed")
        except Exception as exc:  # noqa: BLE001 - one story must not stop the run
            ctx.record_error("perspectives", str(story_id), exc)


def chat_client(config: Config) -> Chat | None:
    """The LLM endpoint behind the fetcher's seam when ``perspectives.llm.enabled``."""
    if not config.perspectives.llm.enabled:
        return None
    from ..fetch.chat import ChatClient

    return ChatClient(config.perspectives.llm, config.fetch)


def _byline(value: object) -> str:
    """The stored authors (a list, or a string from older rows) as one comma-separated line."""
    if isinstance(value, list | tuple):
        return ", ".join(str(v).strip() for v in value if str(v).strip())
    return str(value or "").strip()
