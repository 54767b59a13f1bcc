"""Pipeline step ``stories``: assign pending articles to stories with the online clusterer.

Articles are taken in arrival order (publication time, else storage time, then id) in
batches; each batch is one transaction holding its stories, assignments, merges, the
``stage_done`` marks and the clusterer state, so a killed run loses at most one batch and
the rerun redoes it with identical results. Syndicated copies (same ``report_id``) are
not clustered again: they join the story of their report's first clustered copy. After
each batch the clusterer consolidates its open stories; each merge is recorded
(``stories.merged_into``; the older id survives).

A story's headline is the title of its most central article: the member most similar to
the story as it stood when that member arrived (the first article's title until a later
member beats it).

After clustering, every story that gained or changed an article is explained
(``stories.explain``: the names and terms its members share, each member's similarity to
the rest, weighed with the clusterer's idf) and the explanation stored
(``store.stories.save_why``). Which articles are explained is kept in ``stage_done``
(stage ``why``), with the explanation in the same transaction, so a killed run resumes
there and a changed article is explained again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..nlp.language import is_english
from ..stories import StoryClusterer, StoryInput
from ..stories.clusterer import BATCH
from ..stories.embeddings import EMBEDDINGS_MISSING, embedding_text
from ..stories.explain import StoryWhy, explain_story
from ..times import parse as parse_time

if TYPE_CHECKING:
    from . import RunContext

STAGE = "stories"
VERSION = 1
WHY_STAGE = "why"
WHY_VERSION = 1


def load_clusterer(ctx: RunContext) -> StoryClusterer:
    """The saved clusterer, or a fresh one numbering stories after the stored ones."""
    config = ctx.config.stories
    data = ctx.store.runs.load_state(STAGE, VERSION)
    clusterer: StoryClusterer | None = None
    if data is not None:
        try:
            clusterer = StoryClusterer.loads(data, config)
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            ctx.report.note(f"stories: saved clusterer state unusable ({exc}); starting afresh")
    if clusterer is None:
        clusterer = StoryClusterer(config, next_id=ctx.store.stories.max_id() + 1)
    if config.embeddings and clusterer.embedder is None:
        ctx.report.note(f"stories: {EMBEDDINGS_MISSING}")
    return clusterer


class _Batch:
    """Applies one batch of articles to the clusterer and the store."""

    def __init__(self, ctx: RunContext, clusterer: StoryClusterer) -> None:
        self.ctx = ctx
        self.clusterer = clusterer
        self.report_story: dict[int, int] = {}
        self.redirect: dict[int, int] = {}
        self.created: set[int] = set()  # stories started in this run
        self.updated: set[int] = set()  # older stories that got articles in this run

    def resolve(self, story_id: int) -> int:
        while story_id in self.redirect:
            story_id = self.redirect[story_id]
        return story_id

    def run(self, rows: list[dict[str, Any]]) -> None:
        store, report = self.ctx.store, self.ctx.report
        touched: dict[int, None] = {}
        english = [row for row in rows if is_english(row.get("language"))]
        # the features (stop words, lemmas) are English: another language's article would
        # join stories by its numbers and names alone; it stays unclustered
        if len(english) < len(rows):
            report.count("stories_skipped_language", len(rows) - len(english))
        items = {int(row["id"]): _item(row) for row in english}
        vectors = self._embed(list(items.values()))
        with store.transaction():
            for row in english:
                art_id = int(row["id"])
                report_id = int(row["report_id"] or art_id)
                story_id = self.report_story.get(report_id)
                if story_id is None:
                    story_id = store.stories.story_of_report(report_id)
                if story_id is not None:
                    story_id = self.resolve(story_id)
                    report.count("stories_copies")
                else:
                    story_id = self._cluster(row, items[art_id], vectors.get(art_id), touched)
                self.report_story[report_id] = story_id
                store.stories.assign(art_id, story_id)
                touched[story_id] = None
                report.count("stories_articles")
            for absorbed, into in self.clusterer.consolidate():
                self._merge(absorbed, into, touched)
                touched[into] = None
            for sid in touched:
                if sid in self.redirect:
                    continue
                store.stories.refresh(sid, self.clusterer.headline(sid))
            grown = {s for s in touched if s not in self.created and s not in self.updated}
            self.updated |= grown
            report.count("stories_updated", len(grown))
            store.runs.mark_done(STAGE, VERSION, [int(r["id"]) for r in rows])
            store.runs.save_state(STAGE, VERSION, self.clusterer.dumps())

    def _embed(self, items: list[StoryInput]) -> dict[int, Any]:
        """The batch's embeddings in one call (the embedder is much faster that way)."""
        many = getattr(self.clusterer.embedder, "embed_many", None)
        if many is None or not items:
            return {}
        vectors = many([embedding_text(i.title, i.text) for i in items])
        return {int(i.id): v for i, v in zip(items, vectors, strict=True)}

    def _cluster(
        self, row: dict[str, Any], item: StoryInput, vector: Any, touched: dict[int, None]
    ) -> int:
        store, report = self.ctx.store, self.ctx.report
        got = self.clusterer.add(item, vector)
        if got.is_new:
            seen = row["published"] or row["created_at"]
            store.stories.create(got.story_id, item.title, seen)
            self.created.add(got.story_id)
            report.count("stories_new")
        for absorbed in got.merged:
            self._merge(absorbed, got.story_id, touched)
        return got.story_id

    def _merge(self, absorbed: int, into: int, touched: dict[int, None]) -> None:
        self.ctx.store.stories.merge(absorbed, into)
        self.redirect[absorbed] = into
        touched.pop(absorbed, None)
        self.ctx.report.count("stories_merged")


def _item(row: dict[str, Any]) -> StoryInput:
    return StoryInput(
        id=int(row["id"]),
        title=row["title"] or "",
        text=row["text"] or "",
        published=parse_time(row["published"]),
        source=row["source_id"] or row["site"] or None,
        url=row["url"],
    )


def stories_step(ctx: RunContext) -> None:
    """Assign every pending article to a story, then explain the stories that changed
    (see the module docstring)."""
    store = ctx.store
    pending = store.runs.pending(STAGE, VERSION)
    clusterer = None
    if pending:
        order = store.stories.clustering_order(pending)
        clusterer = load_clusterer(ctx)
        batch = _Batch(ctx, clusterer)
        starts = range(0, len(order), BATCH)
        for start in ctx.report.progress(starts, "stories", total=len(starts)):
            rows = store.stories.clustering_inputs(order[start : start + BATCH])
            batch.run(rows)
    explain_stories(ctx, clusterer)


def explain_stories(ctx: RunContext, clusterer: StoryClusterer | None = None) -> None:
    """Explain (and store the explanation of) every story holding an unexplained article,
    about ``BATCH`` articles per transaction; articles in no story are marked done."""
    store, report = ctx.store, ctx.report
    pending = store.stories.unexplained(WHY_STAGE, WHY_VERSION)
    if not pending:
        return
    by_story: dict[int, list[int]] = {}
    loose: list[int] = []
    for article_id, story_id in pending:
        if story_id is None:
            loose.append(article_id)  # not clustered (e.g. not English): nothing to explain
        else:
            by_story.setdefault(story_id, []).append(article_id)
    store.runs.mark_done(WHY_STAGE, WHY_VERSION, loose)
    if not by_story:
        return
    clusterer = clusterer or load_clusterer(ctx)
    max_tokens = ctx.config.stories.max_body_tokens
    done: list[tuple[int, StoryWhy, list[int]]] = []

    def save() -> None:
        with store.transaction():
            for story_id, why, articles in done:
                store.stories.save_why(story_id, why.n_articles, why.to_dict())
                store.runs.mark_done(WHY_STAGE, WHY_VERSION, articles)
        report.count("stories_explained", len(done))
        done.clear()

    size = 0
    for story_id in report.progress(sorted(by_story), "why"):
        members = [
            StoryInput(id=int(r["id"]), title=r["title"] or "", text=r["text"] or "")
            for r in store.stories.members(story_id)
        ]
        why = explain_story(members, max_body_tokens=max_tokens, idf=clusterer.idf)
        done.append((story_id, why, by_story[story_id]))
        size += len(members)
        if size >= BATCH:
            save()
            size = 0
    if done:
        save()
