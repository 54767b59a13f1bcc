"""Ingestion: store each document, extract its article, group syndicated copies, save.

Shared by the ``fetch`` step (live feeds, ``pipeline/fetch.py``), the ``ingest`` step
(local files and web archives) and ``reprocess`` (rebuild articles from stored
documents). Work happens in batches: the batch's documents are extracted in a worker
pool, then written by this process alone (the single writer), one transaction per
batch, so a run killed at any point leaves whole documents-with-articles behind and the
next run skips exactly those.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from datetime import timedelta
from itertools import islice
from typing import TYPE_CHECKING, Any

from ..errors import ItemError, ManysidesError
from ..records import Article, RawDocument

if TYPE_CHECKING:
    from ..config import Config
    from . import RunContext

BATCH = 256
TEMPLATE_STATE = ("templates", 1)


def _extract_one(job: tuple[RawDocument, Config]) -> Article | ManysidesError:
    """Worker: extract one document; errors are returned, not raised, to keep the batch."""
    from ..extract import extract

    doc, config = job
    try:
        return extract(doc, config.extract)
    except ManysidesError as exc:
        return exc
    except Exception as exc:  # noqa: BLE001 - a hostile page must not kill the batch
        return ItemError(f"extraction crashed: {type(exc).__name__}: {exc}")


class Ingestor:
    """Per-run ingestion state: catalog, near-duplicate index, site templates, workers."""

    def __init__(self, ctx: RunContext) -> None:
        from ..dedupe import NearDuplicateIndex
        from ..extract.templates import TemplateLearner
        from ..sources import load_catalog

        self.ctx = ctx
        config = ctx.config
        self.catalog = load_catalog(config.sources)
        ctx.store.catalog.sync_sources(self.catalog.sources)
        self.index = NearDuplicateIndex(config.dedupe)
        since = (ctx.now - timedelta(days=config.dedupe.window_days)).isoformat(timespec="seconds")
        for article_id, report_id, signature in ctx.store.articles.recent_minhashes(since):
            self.index.add(article_id, report_id, signature)
        state = ctx.store.runs.load_state(*TEMPLATE_STATE)
        self.templates = (
            TemplateLearner.from_bytes(state, config.extract)
            if state
            else TemplateLearner(config.extract)
        )
        self._pool: Executor | None = None
        self._workers = config.extract.workers or _cpu_count()

    # -- extraction ----------------------------------------------------------------
    def extract_many(self, docs: Sequence[RawDocument]) -> list[Article | ManysidesError]:
        jobs = [(d, self.ctx.config) for d in docs]
        html = sum(1 for d in docs if d.kind == "html")
        if self._workers > 1 and html >= 4:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(max_workers=self._workers)
            chunk = max(1, len(jobs) // (self._workers * 4))
            return list(self._pool.map(_extract_one, jobs, chunksize=chunk))
        return [_extract_one(j) for j in jobs]

    def finish_text(self, article: Article, site: str) -> None:
        """Learn the site's recurring lines, then strip its template from the text."""
        self.templates.observe(site, article.text)
        template = self.templates.template(site)
        if template:
            from ..extract.templates import strip_template

            article.text = strip_template(article.text, template)

    # -- saving --------------------------------------------------------------------
    def save_batch(self, docs: Sequence[RawDocument], *, reprocess: bool = False) -> None:
        """Store, extract and save a batch of documents (one transaction)."""
        store, report = self.ctx.store, self.ctx.report
        fresh: list[RawDocument] = []
        for doc in docs:
            if not reprocess and store.articles.has_document(doc.url, _sha1(doc.content)):
                report.count("documents_unchanged")
            else:
                fresh.append(doc)
        if not fresh:
            return
        results = self.extract_many(fresh)
        with store.transaction():
            for doc, result in zip(fresh, results, strict=True):
                self._save_one(doc, result, reprocess=reprocess)

    def _save_one(
        self, doc: RawDocument, result: Article | ManysidesError, *, reprocess: bool
    ) -> None:
        from ..dedupe import text_fingerprint
        from ..extract.templates import site_key

        ctx, store, report = self.ctx, self.ctx.store, self.ctx.report
        if not reprocess:
            doc_id, created = store.articles.add_document(doc)
            report.count("documents_stored" if created else "documents_unchanged")
        else:
            doc_id = int(doc.hints.get("_document_id", 0)) or None
        if isinstance(result, ManysidesError):
            ctx.record_error("extract", doc.url, result)
            return
        article = result
        article.document_id = doc_id
        source = self.catalog.match(article.canonical_url or doc.url)
        if source is None and doc.hints.get("source"):
            source = self.catalog.match(doc.hints["source"])
        if source is not None:
            article.source_id = source.id
            article.site = article.site or source.name
        elif doc.hints.get("source") and not article.site:
            article.site = doc.hints["source"]
        self.finish_text(article, article.source_id or site_key(article.canonical_url or doc.url))
        if len(article.text) < ctx.config.extract.min_text_chars:
            ctx.record_error(
                "extract", doc.url, ItemError("article text too short after template removal")
            )
            return
        # Syndication: an exact or near copy of a stored report joins its group.
        report_id = store.articles.find_by_hash(text_fingerprint(article.text))
        signature = self.index.signature(article.text)
        if report_id is None:
            report_id = self.index.find(signature)
        saved = store.articles.save_article(article, report_id=report_id)
        if saved.status == "new":
            report.count("articles_new")
            if report_id is not None:
                report.count("articles_syndicated")
        else:
            report.count(f"articles_{saved.status}")
        if saved.status != "unchanged":
            group = report_id if report_id is not None else saved.id
            self.index.add(saved.id, group, signature)
            store.articles.save_minhash(saved.id, signature)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
        self.ctx.store.runs.save_state(*TEMPLATE_STATE, self.templates.to_bytes())


def _sha1(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()  # noqa: S324 - identity, not security


def _cpu_count() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def ingestor(ctx: RunContext) -> Ingestor:
    """The run's ingestor, built on first use and closed with the run."""
    found = ctx.resources.get("ingestor")
    if found is None:
        found = ctx.resources["ingestor"] = Ingestor(ctx)
    return found


def save_documents(ctx: RunContext, docs: Sequence[RawDocument]) -> None:
    """Store, extract, dedupe and save documents (the fetch step calls this)."""
    for batch in _batched(docs, BATCH):
        ingestor(ctx).save_batch(batch)


def save_document(ctx: RunContext, doc: RawDocument) -> None:
    save_documents(ctx, [doc])


def _batched(items: Iterable[Any], n: int) -> Iterator[list[Any]]:
    it = iter(items)
    while batch := list(islice(it, n)):
        yield batch


def ingest_step(ctx: RunContext) -> None:
    """Read local files and archives (``ctx.paths``) into the store."""
    from ..inputs import iter_inputs

    ing = ingestor(ctx)
    batch: list[RawDocument] = []
    for item in ctx.report.progress(iter_inputs(ctx.paths), "ingesting"):
        if isinstance(item, ManysidesError):
            ctx.record_error("ingest", item.item or "input", item)
            continue
        ctx.report.count("documents_read")
        batch.append(item)
        if len(batch) >= BATCH:
            ing.save_batch(batch)
            batch = []
    if batch:
        ing.save_batch(batch)


def reprocess_step(ctx: RunContext) -> None:
    """Rebuild every article from its stored document, without refetching."""
    ing = ingestor(ctx)
    total = ctx.store.articles.document_count()
    batch: list[RawDocument] = []
    for doc_id, doc in ctx.report.progress(
        ctx.store.articles.iter_documents(), "reprocessing", total=total
    ):
        doc.hints["_document_id"] = str(doc_id)
        batch.append(doc)
        if len(batch) >= BATCH:
            ing.save_batch(batch, reprocess=True)
            batch = []
    if batch:
        ing.save_batch(batch, reprocess=True)
