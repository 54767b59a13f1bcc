"""Pipeline step for who-said-what: analyze pending articles of recent stories, persist.

Only articles whose story was updated within ``briefing.hours`` of the run's time are
analyzed (the briefing never shows older ones) unless ``ctx.options["all_quotes"]``.
One transaction per batch holds the batch's entities, quotes and "done" marks.
"""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError
from ..quotes import ArticleQuotes, QuoteAnalyzer, quote_key

if TYPE_CHECKING:
    from . import RunContext

STAGE = "quotes"
VERSION = 1


def _rows(result: ArticleQuotes) -> tuple[list[tuple[str, str, str, int, int]], list[dict[str, Any]]]:
    entities = [(e.label, e.text, e.canonical, e.start, e.end) for e in result.entities]
    quotes = [q.to_dict() | {"quote_key": quote_key(q.text)} for q in result.quotes]
    return entities, quotes


def _analyze_batch(
    analyzer: QuoteAnalyzer, ctx: RunContext, articles: list[dict[str, Any]]
) -> dict[int, ArticleQuotes]:
    """Results by article id; on a batch failure, retry one by one to isolate the bad one."""
    try:
        results = list(analyzer.analyze_many(a["text"] for a in articles))
        return {int(a["id"]): r for a, r in zip(articles, results, strict=True)}
    except Exception:  # noqa: BLE001 - isolate the failing article below
        pass
    out: dict[int, ArticleQuotes] = {}
    for a in articles:
        try:
            out[int(a["id"])] = analyzer.analyze(a["text"])
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the run
            ctx.record_error(STAGE, str(a["id"]), exc)
    return out


def quotes_step(ctx: RunContext) -> None:
    cfg = ctx.config.quotes
    if not cfg.enabled:
        return
    pending = ctx.store.runs.pending(STAGE, VERSION)
    if pending and not ctx.options.get("all_quotes"):
        since = ctx.now.astimezone(UTC) - timedelta(hours=ctx.config.briefing.hours)
        pending = ctx.store.quotes.in_recent_stories(pending, since.isoformat(timespec="seconds"))
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
    batches = [pending[i : i + cfg.batch_size] for i in range(0, len(pending), cfg.batch_size)]
    for ids in ctx.report.progress(batches, "quotes"):
        articles = ctx.store.articles.get_many(ids)
        results = _analyze_batch(analyzer, ctx, articles)
        with ctx.store.transaction():
            for article_id, result in results.items():
                entities, quotes = _rows(result)
                ctx.store.quotes.replace_for_article(article_id, entities, quotes)
                ctx.report.count("quotes_found", len(quotes))
                if quotes:
                    ctx.report.count("articles_quoted")
            ctx.store.runs.mark_done(STAGE, VERSION, ids)
