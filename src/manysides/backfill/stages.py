"""The per-record stages of a backfill, as batch functions both engines call.

They wrap the pipeline's own stage code, never a copy of it:

* ``read_batches``: ``inputs.iter_inputs`` over one shard (the readers ``manysides
  ingest`` uses), in batches of in-flight rows;
* ``extract_rows`` (stateless): ``pipeline.ingest.process_document`` — extraction, the
  fingerprint and the MinHash signature, exactly as ingestion computes them (with no
  learned site template: a backfill has no earlier runs to learn one from) — and the
  catalog source, with ``pipeline.ingest.place`` / ``attach_source``;
* ``quote_rows`` (holds a spaCy model): ``quotes.QuoteAnalyzer.analyze_many`` and
  ``quotes.quote_key``, the who-said-what step's calls;
* then the worker writes the batch's Parquet files (``output.BackfillDir.stage_rows``).

Rows in, rows out (``records.record_schema()``); an item that fails becomes an error row.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..errors import ManysidesError
from .records import Shard, doc_row, error_row, iso, row_doc

if TYPE_CHECKING:
    from pathlib import Path

    from ..config import Config, QuotesConfig, SourcesConfig
    from ..quotes import QuoteAnalyzer
    from ..sources import Catalog
    from .output import Part


def read_batches(shard: Shard, batch_size: int) -> Iterator[list[dict[str, Any]]]:
    """The shard's items as in-flight rows, ``batch_size`` at a time, in file order.

    A bad item (or an unreadable rest of the file) is an error row in the stream; the
    items before it are kept.
    """
    from ..inputs import iter_inputs

    batch: list[dict[str, Any]] = []
    for ordinal, item in enumerate(iter_inputs([shard.path])):
        if isinstance(item, ManysidesError):
            batch.append(error_row(shard.id, ordinal, "read", item.item or str(shard.path), item))
        else:
            batch.append(doc_row(item, shard.id, ordinal))
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


@lru_cache(maxsize=2)
def _catalog(config: SourcesConfig) -> Catalog:
    from ..sources import load_catalog

    return load_catalog(config)


def extract_rows(rows: list[dict[str, Any]], config: Config) -> list[dict[str, Any]]:
    """Extract, fingerprint and sign each document row; failures become error rows."""
    from ..pipeline.ingest import attach_source, place, process_document

    catalog = _catalog(config.sources)
    out: list[dict[str, Any]] = []
    for row in rows:
        if row.get("error_stage"):
            out.append(row)
            continue
        doc = row_doc(row)
        _site, source = place(catalog, doc)
        done = process_document((doc, config, frozenset()))
        if isinstance(done.result, ManysidesError):
            out.append(error_row(row["shard"], row["ordinal"], "extract", doc.url, done.result))
            continue
        article = done.result
        attach_source(catalog, article, doc, source)
        out.append(
            {
                "shard": row["shard"],
                "ordinal": row["ordinal"],
                "key": row["key"],
                "url": article.url,
                "fetched_at": row["fetched_at"],
                "canonical_url": article.canonical_url,
                "title": article.title,
                "text": article.text,
                "authors": list(article.authors),
                "published": iso(article.published),
                "site": article.site,
                "source_id": article.source_id,
                "language": article.language,
                "signature": done.signature,
                "fingerprint": done.fingerprint,
            }
        )
    return out


@lru_cache(maxsize=2)
def analyzer(config: QuotesConfig) -> QuoteAnalyzer:
    """This process's analyzer (the spaCy model is loaded once per worker)."""
    from ..quotes import QuoteAnalyzer

    return QuoteAnalyzer(config)


def quote_rows(rows: list[dict[str, Any]], analyzer: QuoteAnalyzer | None) -> list[dict[str, Any]]:
    """Entities and attributed quotes of each article row (``analyzer`` None: quotes off)."""
    if analyzer is None:
        return rows
    from ..quotes import quote_key

    articles = [r for r in rows if not r.get("error_stage")]
    results = analyzer.analyze_many(r["text"] for r in articles)
    for row, result in zip(articles, results, strict=True):
        if result.error is not None:
            row["quote_error"] = result.error
            continue
        row["entities"] = json.dumps(
            [
                {"label": e.label, "text": e.text, "canonical": e.canonical}
                | {"start": e.start, "end": e.end}
                for e in result.entities
            ]
        )
        row["quotes"] = json.dumps(
            [q.to_dict() | {"quote_key": quote_key(q.text)} for q in result.quotes]
        )
    return rows


def check_quotes_model(config: Config) -> None:
    """Fail before any shard is read when the spaCy model of the quotes stage is missing."""
    if not config.quotes.enabled:
        return
    from pathlib import Path

    import spacy

    from ..errors import ConfigError

    name = config.quotes.spacy_model
    if not (spacy.util.is_package(name) or Path(name).is_dir()):
        raise ConfigError(
            f"spaCy model '{name}' is not installed; install it (requirements/models.txt)"
            " or set quotes.enabled = false"
        )


def process_batch(rows: list[dict[str, Any]], config: Config, root: Path, run: str) -> list[Part]:
    """Extract, analyze and stage one batch in this process (the local engine's task)."""
    from .output import BackfillDir

    quotes = analyzer(config.quotes) if config.quotes.enabled else None
    return BackfillDir(root).stage_rows(quote_rows(extract_rows(rows, config), quotes), run)
