"""The neutral extractive summary: central, cross-leaning, non-redundant, low-loaded.

Every article sentence is a candidate. Its score combines

* **support** – how strongly the other articles say the same thing (mean over the other
  articles of the best TF-IDF cosine with one of their sentences), which favours facts
  all sides report over one outlet's angle;
* **centrality** – cosine with the story centroid (all titles and texts);
* **lead position** – news puts the gist first;
* minus **loaded language** (bias-lexicon words per token) and a penalty for sentences
  that are mostly a direct quote.

Sentences are then picked greedily by MMR (``summary_redundancy`` weighs the maximal
similarity to what is already chosen), with a bonus for a side/article not yet used,
until ``summary_words`` words or ``summary_sentences`` sentences. Each chosen sentence
cites its own article plus every article holding a near-identical sentence (cosine ≥
``cite_similarity``). Output keeps the articles' order of sentences.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

import numpy as np

from ..config import PerspectivesConfig
from .coverage import side_of
from .lexicon import is_loaded
from .records import StoryArticle, Summary, SummarySentence
from .similarity import Unit, cosine_matrix, sentence_units, tfidf_matrix
from .text import content_stems, tokens

# Weights tuned on neus/train (benchmarks/bench_summary.py --tune); see docs/benchmarks.md.
W_SUPPORT = 1.0
W_CENTRAL = 1.0
W_LEAD = 0.35
W_LOADED = 1.0
W_QUOTE = 0.3
W_NEW_SIDE = 0.05
MAX_REDUNDANCY = 0.6  # never pick a sentence this similar to a chosen one
_QUOTE = re.compile(r"[\"“”]")


def _quote_share(text: str) -> float:
    """Rough share of the sentence inside quotation marks."""
    marks = [m.start() for m in _QUOTE.finditer(text)]
    inside = sum(b - a for a, b in zip(marks[::2], marks[1::2], strict=False))
    return inside / max(1, len(text))


def sentence_scores(
    units: Sequence[Unit],
    sim: np.ndarray,
    articles: Sequence[StoryArticle],
    lexicon: Collection[str] | None,
) -> np.ndarray:
    """Static relevance of each candidate sentence (see the module docstring)."""
    n_art = len(articles)
    docs = [content_stems(f"{a.title}. {a.title}. {a.text}") for a in articles]
    central = _centroid_similarity(units, docs)
    scores = np.zeros(len(units))
    art_of = np.array([u.article for u in units])
    for i, u in enumerate(units):
        support = 0.0
        if n_art > 1:
            best = [
                float(sim[i, art_of == j].max()) if np.any(art_of == j) else 0.0
                for j in range(n_art) if j != u.article
            ]
            support = sum(best) / (n_art - 1)
        lead = 1.0 / (1.0 + u.position)
        loaded = 0.0
        if lexicon:
            toks = tokens(u.text)
            loaded = sum(1 for t in toks if is_loaded(t, lexicon)) / max(1, len(toks))
        scores[i] = (
            W_SUPPORT * support + W_CENTRAL * central[i] + W_LEAD * lead
            - W_LOADED * loaded - W_QUOTE * _quote_share(u.text)
        )
    return scores


def _centroid_similarity(units: Sequence[Unit], docs: Sequence[Sequence[str]]) -> np.ndarray:
    rows = [u.stems for u in units] + [sum((list(d) for d in docs), [])]
    mat = tfidf_matrix(rows, idf_docs=[u.stems for u in units])
    return mat[:-1] @ mat[-1]


def citations(i: int, units: Sequence[Unit], sim: np.ndarray, threshold: float) -> list[int]:
    """The sentence's own article plus articles with a near-identical sentence."""
    cited = {units[i].article_id}
    for j, v in enumerate(units):
        if v.article_id not in cited and sim[i, j] >= threshold:
            cited.add(v.article_id)
    return sorted(cited)


def extractive_summary(
    articles: Sequence[StoryArticle],
    config: PerspectivesConfig,
    lexicon: Collection[str] | None = None,
) -> Summary:
    """The default, offline summary (see the module docstring)."""
    units = sentence_units(articles)
    if not units:
        units = sentence_units(articles, min_words=1)
    if not units:
        return Summary(text="", sentences=[], method="extractive")
    sim = cosine_matrix(units)
    scores = sentence_scores(units, sim, articles, lexicon)
    chosen = select_mmr(units, sim, scores, articles, config)
    chosen.sort(key=lambda i: (units[i].position, units[i].article))
    sentences = [
        SummarySentence(units[i].text, citations(i, units, sim, config.cite_similarity))
        for i in chosen
    ]
    return Summary(text=" ".join(s.text for s in sentences), sentences=sentences)


def select_mmr(
    units: Sequence[Unit],
    sim: np.ndarray,
    scores: np.ndarray,
    articles: Sequence[StoryArticle],
    config: PerspectivesConfig,
) -> list[int]:
    """Greedy MMR under a word budget; prefers sides and articles not yet represented."""
    chosen: list[int] = []
    used_sides: set[str | None] = set()
    used_articles: set[int] = set()
    total = 0
    budget = max(1, config.summary_words)
    while len(chosen) < max(1, config.summary_sentences) and total < budget:
        best, best_value = -1, -np.inf
        for i, u in enumerate(units):
            if i in chosen:
                continue
            redundancy = max((sim[i, j] for j in chosen), default=0.0)
            if redundancy > MAX_REDUNDANCY:
                continue
            value = scores[i] - config.summary_redundancy * redundancy
            side = side_of(articles[u.article].leaning)
            if side not in used_sides or u.article not in used_articles:
                value += W_NEW_SIDE
            if chosen and total + u.n_words > budget * 1.5:
                value -= 1.0  # would overshoot the budget badly
            if value > best_value:
                best, best_value = i, value
        if best < 0 or (chosen and best_value < -0.5):
            break
        chosen.append(best)
        total += units[best].n_words
        used_sides.add(side_of(articles[units[best].article].leaning))
        used_articles.add(units[best].article)
    return chosen
