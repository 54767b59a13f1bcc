"""The embedding path: WordLlama from its wheel (no download), a fake one, and its absence."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from manysides.config import Config, StoriesConfig
from manysides.pipeline import RunContext
from manysides.pipeline import stories as step
from manysides.store import Store
from manysides.stories import StoryClusterer, StoryInput, embeddings
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
    plain = StoryClusterer(StoriesConfig(embeddings=False))
    assert plain.embedder is None
    plain.add(FIRST)
    assert plain.add(PARAPHRASE).is_new
    with_emb = StoryClusterer(StoriesConfig(), embedder=TopicEmbedder())
    with_emb.add(FIRST)
    got = with_emb.add(PARAPHRASE)
    assert not got.is_new and got.story_id == 1
    assert got.similarity is not None and got.similarity >= with_emb.threshold
    restored = StoryClusterer.loads(with_emb.dumps(), StoriesConfig(), embedder=TopicEmbedder())
    assert restored.dumps() == with_emb.dumps()


def test_missing_package_degrades_to_sparse(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "wordllama", None)  # import fails
    assert load_embedder(tmp_path / "no-cache") is None
    monkeypatch.setattr(embeddings, "cache_dir", lambda: tmp_path / "no-cache")
    clusterer = StoryClusterer(StoriesConfig())
    assert clusterer.embedder is None
    assert clusterer.model is clusterer.scorer.sparse
    assert clusterer.add(FIRST).is_new
    with Store(tmp_path / "e.db") as store:
        ctx = RunContext(store=store, config=Config())
        step.load_clusterer(ctx)
        assert any("not installed" in m for m in ctx.report.messages)


def test_real_wordllama_loads_from_the_wheel_without_network(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pytest.importorskip("wordllama")
    import requests

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("wordllama tried to download")

    monkeypatch.setattr(requests, "get", no_network)
    embedder = load_embedder(tmp_path / "cache")
    assert embedder is not None
    assert any((tmp_path / "cache" / "tokenizers").iterdir())  # the tokenizer copy
    a, b, c = embedder.embed_many(
        [
            "Hurricane Ida makes landfall in Louisiana",
            "Powerful storm Ida slams into the Louisiana coast",
            "Central bank raises interest rates again",
        ]
    )
    assert abs(float(a @ a) - 1.0) < 1e-4
    assert float(a @ b) > float(a @ c) + 0.2
    one = embedder.embed("Hurricane Ida makes landfall in Louisiana")
    assert max(abs(x - y) for x, y in zip(one, a, strict=True)) < 1e-6
    assert load_embedder(tmp_path / "cache") is not None  # the copy is reused
