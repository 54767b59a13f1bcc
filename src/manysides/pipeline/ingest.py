"""Ingestion: store each document, extract its article, group syndicated copies, save.

Shared by the ``fetch`` step (live feeds, ``pipeline/fetch.py``), the ``ingest`` step
(local files and web archives) and ``reprocess`` (rebuild articles from stored
documents). Work happens in batches: the batch's documents are extracted in the run's
worker pool (``manysides.workers``), then written by this process alone (the single
writer), one transaction per batch, so a run killed at any point leaves whole
documents-with-articles behind and the next run skips exactly those.

Resuming gives exactly what an uninterrupted run gives: each batch's transaction also
saves the pages it taught the site-template learner (a journal, replayed on top of the
learner's last snapshot when the next run starts; the snapshot is rewritten and the
journal cleared when a run closes), and every article is stripped with the templates as
they stood after the previous batch. Workers strip with the templates known when the
batch was submitted (one batch earlier, as extraction overlaps writing); the writer
redoes the few articles whose template lines changed since.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING, Any

from ..config import Config, DedupeConfig
from ..errors import ExtractionError, ItemError, ManysidesError, ParseError
from ..records import Article, RawDocument, Source
from ..store.articles import sha1
from ..workers import run_pool

if TYPE_CHECKING:
    from ..dedupe import NearDuplicateIndex
    from ..extract.templates import TemplateLearner
    from ..sources import Catalog
    from . import RunContext

BATCH = 256
TEMPLATE_STATE = ("templates", 1)  # the learner's snapshot, saved when a run closes
TEMPLATE_JOURNAL = "templates/journal/"  # + sequence number: each batch's observed pages


@dataclass(slots=True)
class Processed:
    """What a worker returns for one document: the article (or the error) ready to save."""

    result: Article | ManysidesError
    base: Article | None = None  # the extracted article before template removal
    lines: frozenset[str] = frozenset()  # the page's lines before template removal
    signature: bytes = b""
    fingerprint: str = ""
    note: str = ""  # why the body was cut before extraction, if it was


@lru_cache(maxsize=4)
def _dedupe_index(config: DedupeConfig) -> NearDuplicateIndex:
    """The (stateless) signature maker of this worker process."""
    from ..dedupe import NearDuplicateIndex

    return NearDuplicateIndex(config)


def process_document(job: tuple[RawDocument, Config, frozenset[str]]) -> Processed:
    """Worker: extract, strip the site template, fingerprint. Errors are returned."""
    from ..extract import extract, fit_for_extraction
    from ..extract.templates import page_lines

    doc, config, template = job
    try:
        doc, note = fit_for_extraction(doc)
        base = extract(doc, config.extract)
    except ManysidesError as exc:
        return Processed(exc)
    except Exception as exc:  # noqa: BLE001 - a hostile page must not kill the batch
        return Processed(ItemError(f"extraction crashed: {type(exc).__name__}: {exc}"))
    return finish(base, page_lines(base.text), template, config, note)


def finish(
    base: Article, lines: frozenset[str], template: frozenset[str], config: Config, note: str = ""
) -> Processed:
    """The extracted article without the site's template lines, with its fingerprints."""
    from ..dedupe import text_fingerprint
    from ..extract.templates import strip_template

    text = strip_template(base.text, template)
    if len(text) < config.extract.min_text_chars:
        failed = ExtractionError("article text too short after site template removal")
        return Processed(failed, base, lines, note=note)
    article = replace(base, text=text)
    return Processed(
        article,
        base,
        lines,
        _dedupe_index(config.dedupe).signature(text),
        text_fingerprint(text),
        note,
    )


@dataclass(slots=True)
class PendingBatch:
    docs: list[RawDocument]
    placed: list[tuple[str, Source | None]]
    results: Iterator[Processed]
    reprocess: bool
    templates: dict[str, frozenset[str]]  # what the workers strip with


class Ingestor:
    """Per-run ingestion state: catalog, near-duplicate index, site templates, workers."""

    def __init__(self, ctx: RunContext) -> None:
        from ..dedupe import NearDuplicateIndex
        from ..sources import load_catalog

        self.ctx = ctx
        config = ctx.config
        self.catalog = load_catalog(config.sources)
        ctx.store.catalog.sync_sources(self.catalog.sources)
        self.index = NearDuplicateIndex(config.dedupe)
        since = (ctx.now - timedelta(days=config.dedupe.window_days)).isoformat(timespec="seconds")
        for article_id, report_id, signature in ctx.store.articles.recent_minhashes(since):
            self.index.add(article_id, report_id, signature)
        self.templates, self._journal_seq = _load_templates(ctx)
        self._consistent = True  # False once a batch failed after the learner saw it
        self.pool = run_pool(ctx)

    def site_of(self, doc: RawDocument) -> tuple[str, Source | None]:
        """The template key of a document (its catalog source, else its domain) and source."""
        return place(self.catalog, doc)

    # -- extraction ----------------------------------------------------------------
    def process_many(
        self,
        docs: Sequence[RawDocument],
        sites: Sequence[str],
        templates: dict[str, frozenset[str]],
    ) -> Iterator[Processed]:
        """Start processing a batch; results arrive in order as the iterator is consumed."""
        config = self.ctx.config
        jobs = [(d, config, templates[s]) for d, s in zip(docs, sites, strict=True)]
        if self.pool.parallel and len(jobs) >= 8:
            chunk = max(1, len(jobs) // (self.pool.processes * 4))
            return self.pool.map(process_document, jobs, chunksize=chunk, window=len(jobs))
        return iter([process_document(j) for j in jobs])

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
        sites = [site for site, _ in placed]
        templates = {site: self.templates.template(site) for site in set(sites)}
        results = self.process_many(fresh, sites, templates) if fresh else iter(())
        return PendingBatch(fresh, placed, results, reprocess, templates)

    def complete(self, batch: PendingBatch) -> None:
        """Wait for a submitted batch and save it in one transaction (the single writer),
        with the site templates it taught."""
        if not batch.docs:
            return
        results = list(batch.results)
        current = {site: self.templates.template(site) for site in batch.templates}
        store = self.ctx.store
        try:
            with store.transaction():
                for doc, (site, source), done in zip(
                    batch.docs, batch.placed, results, strict=True
                ):
                    done = self._restrip(done, batch.templates[site], current[site])
                    self._save_one(doc, site, source, done, reprocess=batch.reprocess)
                journal = self.templates.take_journal()
                if journal:
                    self._journal_seq += 1
                    stage = f"{TEMPLATE_JOURNAL}{self._journal_seq:012d}"
                    store.runs.save_state(stage, TEMPLATE_STATE[1], journal)
        except BaseException:
            self._consistent = False  # the learner saw pages that were rolled back
            raise

    def _restrip(self, done: Processed, used: frozenset[str], now: frozenset[str]) -> Processed:
        """``done`` as if stripped with the template as it stands now (after the last batch)."""
        if done.base is None or (done.lines & used) == (done.lines & now):
            return done
        self.ctx.report.count("articles_restripped")
        return finish(done.base, done.lines, now, self.ctx.config, done.note)

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
            if not created:  # stored since this batch was submitted: done, as a rerun skips it
                return
        else:
            doc_id = int(doc.hints.get("_document_id", 0)) or None
        if done.note:
            report.count("documents_truncated")
            report.note(f"{doc.url}: {done.note}")
        if isinstance(done.result, ManysidesError):
            ctx.record_error("extract", doc.url, done.result)
            return
        article = done.result
        article.document_id = doc_id
        self.templates.observe_lines(site, done.lines)
        attach_source(self.catalog, article, doc, source)
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
        """Snapshot the site templates and clear their journal (the run ended cleanly)."""
        if self._consistent and self._journal_seq:
            with self.ctx.store.transaction():
                self.ctx.store.runs.save_state(*TEMPLATE_STATE, self.templates.to_bytes())
                self.ctx.store.runs.delete_states(TEMPLATE_JOURNAL)
            self._journal_seq = 0


def _load_templates(ctx: RunContext) -> tuple[TemplateLearner, int]:
    """The learner as the committed batches left it: snapshot plus journal; and the
    journal's last sequence number."""
    from ..extract.templates import TemplateLearner

    config = ctx.config.extract
    snapshot = ctx.store.runs.load_state(*TEMPLATE_STATE)
    learner = TemplateLearner(config)
    try:
        if snapshot:
            learner = TemplateLearner.from_bytes(snapshot, config)
        seq = 0
        for stage, journal in ctx.store.runs.load_states(TEMPLATE_JOURNAL, TEMPLATE_STATE[1]):
            seq = int(stage.removeprefix(TEMPLATE_JOURNAL))
            learner.replay(journal)
    except (ParseError, ValueError) as exc:
        ctx.report.note(f"ingest: saved site templates unusable ({exc}); learning afresh")
        ctx.store.runs.delete_states(TEMPLATE_JOURNAL)
        return TemplateLearner(config), 0
    return learner, seq


def place(catalog: Catalog, doc: RawDocument) -> tuple[str, Source | None]:
    """A document's template key (its catalog source, else its domain) and its source."""
    from ..extract.templates import site_key

    hints = doc.hints
    source = catalog.match(doc.url)
    if source is None and hints.get("source"):
        name = hints["source"]
        source = catalog.get(name) if name in catalog else catalog.match(name)
    if source is None and hints.get("source_url"):
        source = catalog.match(hints["source_url"])
    if source is not None:
        return source.id, source
    return site_key(doc.url) or doc.hints.get("source", ""), None


def attach_source(
    catalog: Catalog, article: Article, doc: RawDocument, source: Source | None
) -> None:
    """Credit the article to its catalog source (found from the page's canonical URL when
    the document's own URL and hints named none), or to the outlet its record names. An
    article whose language neither the page declared nor the model could tell takes its
    source's (``Source.language``), so a short page of a German outlet is not taken for
    English (unlabelled articles go through the English stages)."""
    if source is None and article.canonical_url:
        source = catalog.match(article.canonical_url)
    if source is not None:
        article.source_id = source.id
        article.site = article.site or source.name
        if not article.language and source.language:
            article.language = source.language
    elif doc.hints.get("source") and not article.site:
        article.site = doc.hints["source"]


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
