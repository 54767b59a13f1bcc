"""Ingestion: store each document, extract its article, group syndicated copies, save.

Shared by the ``fetch`` step (live feeds, ``pipeline/fetch.py``), the ``ingest`` step
(local files and web archives) and ``reprocess`` (rebuild articles from stored
documents). Work happens in batches: the batch's documents are extracted in the run's
worker pool (``manysides.workers``), then written by this process alone (the single
writer), one transaction per batch, so a run killed at any point leaves whole
documents-with-articles behind and the next run skips exactly those.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING, Any

from ..config import Config, DedupeConfig
from ..errors import ExtractionError, ItemError, ManysidesError
from ..records import Article, RawDocument, Source
from ..store.articles import sha1
from ..workers import run_pool

if TYPE_CHECKING:
    from ..dedupe import NearDuplicateIndex
    from . import RunContext

BATCH = 256
TEMPLATE_STATE = ("templates", 1)


@dataclass(slots=True)
class Processed:
    """What a worker returns for one document: the article (or the error) ready to save."""

    result: Article | ManysidesError
    lines: frozenset[str] = frozenset()  # the page's lines before template removal
    signature: bytes = b""
    fingerprint: str = ""


@lru_cache(maxsize=4)
def _dedupe_index(config: DedupeConfig) -> NearDuplicateIndex:
    """The (stateless) signature maker of this worker process."""
    from ..dedupe import NearDuplicateIndex

    return NearDuplicateIndex(config)


def _process(job: tuple[RawDocument, Config, frozenset[str]]) -> Processed:
    """Worker: extract, strip the site template, fingerprint. Errors are returned."""
    from ..dedupe import text_fingerprint
    from ..extract import extract
    from ..extract.templates import page_lines, strip_template

    doc, config, template = job
    try:
        article = extract(doc, config.extract)
    except ManysidesError as exc:
        return Processed(exc)
    except Exception as exc:  # noqa: BLE001 - a hostile page must not kill the batch
        return Processed(ItemError(f"extraction crashed: {type(exc).__name__}: {exc}"))
    lines = page_lines(article.text)
    article.text = strip_template(article.text, template)
    if len(article.text) < config.extract.min_text_chars:
        return Processed(ExtractionError("article text too short after site template removal"))
    return Processed(
        article,
        lines,
        _dedupe_index(config.dedupe).signature(article.text),
        text_fingerprint(article.text),
    )


@dataclass(slots=True)
class PendingBatch:
    docs: list[RawDocument]
    placed: list[tuple[str, Source | None]]
    results: Iterator[Processed]
    reprocess: bool


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
        self.pool = run_pool(ctx)

    def site_of(self, doc: RawDocument) -> tuple[str, Source | None]:
        """The template key of a document (its catalog source, else its domain) and source."""
        from ..extract.templates import site_key

        hints = doc.hints
        source = self.catalog.match(doc.url)
        if source is None and hints.get("source"):
            name = hints["source"]
            source = self.catalog.get(name) if name in self.catalog else self.catalog.match(name)
        if source is None and hints.get("source_url"):
            source = self.catalog.match(hints["source_url"])
        if source is not None:
            return source.id, source
        return site_key(doc.url) or doc.hints.get("source", ""), None

    # -- extraction ----------------------------------------------------------------
    def process_many(
        self, docs: Sequence[RawDocument], sites: Sequence[str]
    ) -> Iterator[Processed]:
        """Start processing a batch; results arrive in order as the iterator is consumed."""
        config = self.ctx.config
        templates = {site: self.templates.template(site) for site in set(sites)}
        jobs = [(d, config, templates[s]) for d, s in zip(docs, sites, strict=True)]
        if self.pool.parallel and len(jobs) >= 8:
            chunk = max(1, len(jobs) // (self.pool.processes * 4))
            return self.pool.map(_process, jobs, chunksize=chunk, window=len(jobs))
        return iter([_process(j) for j in jobs])

    # -- saving --------------------------------------------------------------------
    def submit(self, docs: Sequence[RawDocument], *, reprocess: bool = False) -> PendingBatch:
        """Skip stored documents and start extracting the rest in the workers."""
        if reprocess:
            fresh = list(docs)
        else:
            keys = [(d.url, sha1(d.content)) for d in docs]
            known = self.ctx.store.articles.known_documents(keys)
            fresh = [d for d, key in zip(docs, keys, strict=True) if key not in known]
            self.ctx.report.count("documents_unchanged", len(docs) - len(fresh))
        placed = [self.site_of(d) for d in fresh]
        results = self.process_many(fresh, [site for site, _ in placed]) if fresh else iter(())
        return PendingBatch(fresh, placed, results, reprocess)

    def complete(self, batch: PendingBatch) -> None:
        """Wait for a submitted batch and save it in one transaction (the single writer)."""
        if not batch.docs:
            return
        results = list(batch.results)
        with self.ctx.store.transaction():
            for doc, (site, source), done in zip(batch.docs, batch.placed, results, strict=True):
                self._save_one(doc, site, source, done, reprocess=batch.reprocess)

    def save_batch(self, docs: Sequence[RawDocument], *, reprocess: bool = False) -> None:
        self.complete(self.submit(docs, reprocess=reprocess))

    def save_stream(self, docs: Iterable[RawDocument], *, reprocess: bool = False) -> None:
        """Save a stream of documents, extracting one batch while the previous is written."""
        inflight: deque[PendingBatch] = deque()
        for batch in _batched(docs, BATCH):
            inflight.append(self.submit(batch, reprocess=reprocess))
            if len(inflight) > 1:
                self.complete(inflight.popleft())
        while inflight:
            self.complete(inflight.popleft())

    def _save_one(
        self,
        doc: RawDocument,
        site: str,
        source: Source | None,
        done: Processed,
        *,
        reprocess: bool,
    ) -> None:
        ctx, store, report = self.ctx, self.ctx.store, self.ctx.report
        if not reprocess:
            doc_id, created = store.articles.add_document(doc)
            report.count("documents_stored" if created else "documents_unchanged")
        else:
            doc_id = int(doc.hints.get("_document_id", 0)) or None
        if isinstance(done.result, ManysidesError):
            ctx.record_error("extract", doc.url, done.result)
            return
        article = done.result
        article.document_id = doc_id
        self.templates.observe_lines(site, done.lines)
        if source is None and article.canonical_url:
            source = self.catalog.match(article.canonical_url)
        if source is not None:
            article.source_id = source.id
            article.site = article.site or source.name
        elif doc.hints.get("source") and not article.site:
            article.site = doc.hints["source"]
        # Syndication: an exact or near copy of a stored report joins its group.
        report_id = store.articles.find_by_hash(done.fingerprint)
        if report_id is None:
            report_id = self.index.find(done.signature)
        saved = store.articles.save_article(
            article, report_id=report_id, fingerprint=done.fingerprint
        )
        if saved.status == "new":
            report.count("articles_new")
            if report_id is not None:
                report.count("articles_syndicated")
        else:
            report.count(f"articles_{saved.status}")
        if saved.status != "unchanged":
            group = report_id if report_id is not None else saved.id
            self.index.add(saved.id, group, done.signature)
            store.articles.save_minhash(saved.id, done.signature)

    def close(self) -> None:
        self.ctx.store.runs.save_state(*TEMPLATE_STATE, self.templates.to_bytes())


def ingestor(ctx: RunContext) -> Ingestor:
    """The run's ingestor, built on first use and closed with the run."""
    found = ctx.resources.get("ingestor")
    if found is None:
        found = ctx.resources["ingestor"] = Ingestor(ctx)
    return found


def _batched(items: Iterable[Any], n: int) -> Iterator[list[Any]]:
    it = iter(items)
    while batch := list(islice(it, n)):
        yield batch


def ingest_step(ctx: RunContext) -> None:
    """Read local files and archives (``ctx.paths``) into the store."""
    from ..inputs import iter_inputs

    def documents() -> Iterator[RawDocument]:
        for item in ctx.report.progress(iter_inputs(ctx.paths), "ingesting"):
            if isinstance(item, ManysidesError):
                ctx.record_error("ingest", item.item or "input", item)
                continue
            ctx.report.count("documents_read")
            yield item

    ingestor(ctx).save_stream(documents())


def reprocess_step(ctx: RunContext) -> None:
    """Rebuild every article from its stored document, without refetching."""

    def documents() -> Iterator[RawDocument]:
        total = ctx.store.articles.document_count()
        stored = ctx.store.articles.iter_documents()
        for doc_id, doc in ctx.report.progress(stored, "reprocessing", total=total):
            doc.hints["_document_id"] = str(doc_id)
            yield doc

    ingestor(ctx).save_stream(documents(), reprocess=True)
