"""Pipeline step for who-said-what: analyze pending articles of recent stories, persist.

Only articles of the run's shortlisted stories (``pipeline/candidates.py``: updated within
``briefing.hours`` of the run's clock, at least ``briefing.min_outlets`` outlets, the
busiest ``briefing.candidates``) are analyzed, unless ``ctx.options["all_quotes"]``.
One transaction per batch holds the batch's entities, quotes and "done" marks.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError, ItemError
from ..nlp.language import is_english
from ..quotes import ArticleQuotes, QuoteAnalyzer, quote_key
from ..workers import run_pool
from .candidates import clock_text, shortlist

if TYPE_CHECKING:
    from . import RunContext

STAGE = "quotes"
VERSION = 2  # 2: speakers are people or organisations, confidence, split quotes


def _rows(
    result: ArticleQuotes,
) -> tuple[list[tuple[str, str, str, int, int]], list[dict[str, Any]]]:
    entities = [(e.label, e.text, e.canonical, e.start, e.end) for e in result.entities]
    quotes = [
        {
            "text": q.text,
            "start": q.start,
            "end": q.end,
            "speaker": q.speaker,
            "speaker_start": q.speaker_start,
            "speaker_end": q.speaker_end,
            "cue": q.cue,
            "direct": q.direct,
            "quote_key": quote_key(q.text),
            "confidence": q.confidence,
            "fragments": json.dumps([[f.start, f.end] for f in q.fragments]) if q.split else None,
        }
        for q in result.quotes
    ]
    return entities, quotes


def quotes_step(ctx: RunContext) -> None:
    cfg = ctx.config.quotes
    if not cfg.enabled:
        return
    pending = ctx.store.runs.pending(STAGE, VERSION)
    if pending and not ctx.options.get("all_quotes"):
        # Only the run's shortlisted stories (those the briefing can show); articles of a
        # story that qualifies later stay pending and are picked up then.
        as_of = clock_text(ctx.now)
        wanted = {
            article_id
            for story in shortlist(
                ctx.store, ctx.now, ctx.config.briefing, ctx.options.get("edition")
            )
            for article_id in ctx.store.stories.article_ids(int(story["id"]), as_of)
        }
        pending = [article_id for article_id in pending if article_id in wanted]
    if not pending:
        return
    try:
        analyzer = QuoteAnalyzer(cfg)
    except OSError as exc:
        error = ConfigError(
            f"spaCy model '{cfg.spacy_model}' cannot be loaded ({exc}); install it"
            " (requirements/models.txt) or set quotes.spacy_model"
        )
        ctx.record_error(STAGE, cfg.spacy_model, error)
        return
    size = cfg.batch_size
    pool = run_pool(ctx)
    # texts are loaded here, in this thread, a few batches at a time; the run's worker
    # processes only ever see texts, never the store
    per_load = size * pool.processes * 4
    loads = [pending[i : i + per_load] for i in range(0, len(pending), per_load)]
    for ids in ctx.report.progress(loads, "quotes"):
        articles = ctx.store.articles.get_many(ids)
        foreign = [int(a["id"]) for a in articles if not is_english(a.get("language"))]
        if foreign:  # the spaCy model and the cue lists are English: not analysed, done
            with ctx.store.transaction():
                ctx.store.runs.mark_done(STAGE, VERSION, foreign)
            ctx.report.count("quotes_skipped_language", len(foreign))
            articles = [a for a in articles if is_english(a.get("language"))]
        results = list(analyzer.analyze_many((a["text"] for a in articles), pool))
        for b in range(0, len(articles), size):
            _persist(ctx, articles[b : b + size], results[b : b + size])


def _persist(ctx: RunContext, articles: list[dict[str, Any]], results: list[ArticleQuotes]) -> None:
    """One transaction: the batch's entities, quotes and done marks."""
    failed: list[tuple[int, str]] = []
    with ctx.store.transaction():
        for article, result in zip(articles, results, strict=True):
            article_id = int(article["id"])
            if result.error is not None:
                failed.append((article_id, result.error))
                continue
            entities, quotes = _rows(result)
            ctx.store.quotes.replace_for_article(article_id, entities, quotes)
            ctx.report.count("quotes_found", len(quotes))
            if quotes:
                ctx.report.count("articles_quoted")
        # failed articles are marked done too: a text that breaks the analyzer would
        # break it again; its error stays recorded and a new stage VERSION retries it
        ctx.store.runs.mark_done(STAGE, VERSION, [int(a["id"]) for a in articles])
    for article_id, message in failed:
        ctx.record_error(STAGE, str(article_id), ItemError(f"quotes: {message}"))
