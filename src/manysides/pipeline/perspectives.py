"""Pipeline step: compute the perspective of every recently updated story.

A story is (re)analysed when it was last updated within ``briefing.hours`` before
``ctx.now`` (and not after it: a replay with ``--as-of`` sees no later story), has at least ``briefing.min_outlets`` outlets, and its article count differs from the
one its stored perspective was computed on.
"""

from __future__ import annotations

from typing import Any

from ..perspectives import StoryArticle, StoryBundle, StoryQuoteRef, analyze_story
from ..store import Store
from ..times import parse_iso
from . import RunContext
from .candidates import shortlist


def _quote_refs(rows: list[dict[str, Any]], arts: dict[int, StoryArticle]) -> list[StoryQuoteRef]:
    """Story quotes with their carriers: the quotes stage's merger if present, else by key."""

    def carrier(article_id: int) -> dict[str, Any]:
        a = arts.get(article_id)
        return {
            "article_id": article_id,
            "outlet": a.outlet if a else "",
            "leaning": a.leaning if a else "unrated",
        }

    try:
        from ..quotes import merge_story_quotes  # type: ignore[attr-defined]

        merged = merge_story_quotes(rows)
        out = []
        for q in merged:
            # our outlet names and leanings come from the catalog: they win
            carriers = [c | carrier(int(c["article_id"])) for c in getattr(q, "carriers", [])]
            out.append(
                StoryQuoteRef(
                    text=q.text,
                    speaker=q.speaker,
                    cue=q.cue,
                    direct=bool(q.direct),
                    carriers=carriers,
                    wording_differs=bool(getattr(q, "wording_differs", False)),
                )
            )
        return out
    except Exception:  # noqa: BLE001 - quotes are optional: fall back to grouping by key
        pass
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault(r.get("quote_key") or r["text"], []).append(r)
    return [
        StoryQuoteRef(
            text=g[0]["text"],
            speaker=g[0].get("speaker"),
            cue=g[0].get("cue"),
            direct=bool(g[0].get("direct")),
            carriers=[carrier(int(r["article_id"])) for r in g],
            wording_differs=len({r["text"] for r in g}) > 1,
        )
        for g in groups.values()
    ]


def build_bundle(store: Store, story: dict[str, Any], sources: dict[str, dict]) -> StoryBundle:
    """Load one story's articles, outlets' leaning/ownership and quotes from the store."""
    rows = store.articles.get_many(store.stories.article_ids(int(story["id"])))
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
            published=parse_iso(r.get("published")),
            report_id=r.get("report_id"),
            authors=_byline(r.get("authors")),
        )
    quotes = _quote_refs(store.quotes.for_story(int(story["id"])), articles)
    return StoryBundle(
        story_id=int(story["id"]),
        headline=story.get("headline") or "",
        articles=list(articles.values()),
        quotes=quotes,
    )


def perspectives_step(ctx: RunContext) -> None:
    store, config = ctx.store, ctx.config
    stories = shortlist(store, ctx.now, config.briefing)
    sources = store.catalog.sources()
    for story in ctx.report.progress(stories, "perspectives"):
        story_id = int(story["id"])
        try:
            stored = store.briefings.perspective(story_id)
            if stored is not None and stored.get("_n_articles") == story["n_articles"]:
                ctx.report.count("perspectives_unchanged")
                continue
            bundle = build_bundle(store, story, sources)
            if not bundle.articles:
                continue
            perspective = analyze_story(bundle, config.perspectives)
            store.briefings.save_perspective(story_id, len(bundle.articles), perspective.to_dict())
            ctx.report.count("perspectives_computed")
        except Exception as exc:  # noqa: BLE001 - one story must not stop the run
            ctx.record_error("perspectives", str(story_id), exc)


def _byline(value: object) -> str:
    """The stored authors (a list, or a string from older rows) as one comma-separated line."""
    if isinstance(value, list | tuple):
        return ", ".join(str(v).strip() for v in value if str(v).strip())
    return str(value or "").strip()
