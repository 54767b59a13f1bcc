"""The neutral extractive summary: central, cross-leaning, non-redundant, low-loaded.

Every article sentence (the first 40 of each article) is a candidate. Its score is a
linear function of transparent FEATURES, the main ones being

* **support** – how strongly the other articles say the same thing (best TF-IDF cosine
  with a sentence of each other article) and the share of its words other articles use,
  which favours facts all sides report over one outlet's angle;
* **similarity to the headlines** and to the story centroid;
* **lead position** – news puts the gist first; length; quote share;
* **loaded language** – bias-lexicon words per token;

with WEIGHTS fitted on NeuS train to predict a sentence's ROUGE precision against human
neutral roundups (``benchmarks/bench_summary.py --fit``), minus a fixed penalty for each
word of our own pejorative list (``lexicon.OWN_LOADED_WORDS``).

Sentences are then picked greedily by MMR (``summary_redundancy`` weighs the maximal
similarity to what is already chosen; near-duplicates are never picked twice), with a
bonus for a side/article not yet used, until the word budget (``word_budget``) or
``summary_sentences`` is reached. A weak sentence (``clean.flaws`` or
``clean.needs_context``: a fragment, or one starting "He said", "It", "But", ...) is
penalised and may only open an otherwise empty summary. Each chosen sentence cites its
own article plus every article holding a near-identical sentence (cosine ≥
``cite_similarity``). Output keeps the articles' order of sentences.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import replace

import numpy as np

from ..config import PerspectivesConfig
from ..nlp.text import content_stems, tokens
from .clean import flaws, needs_context, never_shown
from .coverage import side_of
from .lexicon import OWN_LOADED_WORDS, is_loaded
from .records import StoryArticle, Summary, SummarySentence
from .similarity import Unit, cosine_matrix, sentence_units, tfidf_matrix

# Linear sentence scorer over FEATURES, fitted on neus/train (benchmarks/bench_summary.py
# --fit) to predict a sentence's ROUGE-1 precision against the human roundup; the
# loaded-language weight is then fixed by hand (see docs/benchmarks.md).
FEATURES: tuple[str, ...] = (
    "bias",
    "lead",
    "first",
    "relative_position",
    "support",
    "centrality",
    "title_similarity",
    "log_words",
    "quote_share",
    "loaded",
    "pronoun_start",
    "digits",
    "second",
    "support_max",
    "article_centrality",
    "own_title_similarity",
    "words",
    "shared_share",
    "title_word_share",
)
WEIGHTS: dict[str, float] = {
    "bias": -0.069,
    "lead": 0.228,
    "first": -0.123,
    "relative_position": -0.001,
    "support": 0.481,
    "centrality": -0.176,
    "title_similarity": 0.342,
    "log_words": 0.129,
    "quote_share": -0.017,
    "loaded": -0.288,
    "pronoun_start": -0.043,
    "digits": 0.018,
    "second": -0.035,
    "support_max": -0.248,
    "article_centrality": 0.256,
    "own_title_similarity": 0.07,
    "words": -0.142,
    "shared_share": 0.41,
    "title_word_share": 0.179,
}
W_NEW_SIDE = 0.05
W_PEJORATIVE = 0.2  # per word of our own loaded-word list: set by hand, not fitted
# Readability (clean.py): a fragment (unbalanced quotes, conjunction start, caption, ...)
# or a sentence leaning on unresolved context ("He said", "It", "But") is only chosen when
# no better candidate is left; set by hand for what the briefing shows, not fitted.
W_FRAGMENT = 1.0
W_CONTEXT = 1.0
MIN_WORDS = 25
OVERSHOOT = 0.5  # a sentence may end the summary this far past the word budget
MAX_REDUNDANCY = 0.6  # never pick a sentence this similar to a chosen one
_QUOTE = re.compile(r"[\"“”]")
_PRONOUNS = frozenset(
    {
        "he",
        "she",
        "it",
        "they",
        "this",
        "that",
        "these",
        "those",
        "his",
        "her",
        "their",
        "its",
        "but",
        "and",
        "so",
        "still",
        "however",
        "meanwhile",
    }
)


def _quote_share(text: str) -> float:
    """Rough share of the sentence inside quotation marks."""
    marks = [m.start() for m in _QUOTE.finditer(text)]
    inside = sum(b - a for a, b in zip(marks[::2], marks[1::2], strict=False))
    return inside / max(1, len(text))


def sentence_features(
    units: Sequence[Unit],
    sim: np.ndarray,
    articles: Sequence[StoryArticle],
    lexicon: Collection[str] | None,
) -> np.ndarray:
    """One row of FEATURES per candidate sentence."""
    n_art = len(articles)
    docs = [content_stems(f"{a.title}. {a.title}. {a.text}") for a in articles]
    central = _centroid_similarity(units, docs)
    title_sim = _centroid_similarity(units, [content_stems(" ".join(a.title for a in articles))])
    own_title = _pair_similarity(units, [content_stems(articles[u.article].title) for u in units])
    art_central = _article_centrality(docs)
    per_article = np.bincount([u.article for u in units], minlength=n_art)
    best_in = _best_per_article(units, sim, n_art)
    rows = np.zeros((len(units), len(FEATURES)))
    stems_of = [set(d) for d in docs]
    title_stems = set(content_stems(" ".join(a.title for a in articles)))
    for i, u in enumerate(units):
        own = set(u.stems)
        others = set().union(*(stems_of[j] for j in range(n_art) if j != u.article))
        shared = len(own & others) / max(1, len(own))
        in_titles = len(own & title_stems) / max(1, len(own))
        best = [float(best_in[i, j]) for j in range(n_art) if j != u.article]
        support = sum(best) / len(best) if best else 0.0
        toks = tokens(u.text)
        loaded = 0.0
        if lexicon:
            loaded = sum(1 for t in toks if is_loaded(t, lexicon)) / max(1, len(toks))
        first_word = toks[0].lower() if toks else ""
        rows[i] = (
            1.0,
            1.0 / (1.0 + u.position),
            float(u.position == 0),
            u.position / max(1, per_article[u.article]),
            support,
            central[i],
            title_sim[i],
            np.log1p(u.n_words),
            _quote_share(u.text),
            loaded,
            float(first_word in _PRONOUNS),
            float(any(c.isdigit() for c in u.text)),
            float(u.position == 1),
            max(best, default=0.0),
            art_central[u.article],
            own_title[i],
            u.n_words / 30.0,
            shared,
            in_titles,
        )
    return rows


def sentence_scores(
    units: Sequence[Unit],
    sim: np.ndarray,
    articles: Sequence[StoryArticle],
    lexicon: Collection[str] | None,
) -> np.ndarray:
    """Static relevance of each candidate sentence (see the module docstring)."""
    weights = np.array([WEIGHTS[f] for f in FEATURES])
    pejorative = np.array(
        [sum(is_loaded(t, OWN_LOADED_WORDS) for t in tokens(u.text)) for u in units], dtype=float
    )
    readability = np.array(
        [W_FRAGMENT * bool(flaws(u.text)) + W_CONTEXT * needs_context(u.text) for u in units]
    )
    features = sentence_features(units, sim, articles, lexicon)
    return features @ weights - W_PEJORATIVE * pejorative - readability


def _best_per_article(units: Sequence[Unit], sim: np.ndarray, n_art: int) -> np.ndarray:
    """[i, j]: best similarity of sentence i with a sentence of article j (0 if none)."""
    out = np.zeros((len(units), n_art))
    art_of = np.array([u.article for u in units])
    for j in range(n_art):
        cols = np.flatnonzero(art_of == j)
        if cols.size:
            out[:, j] = sim[:, cols].max(axis=1)
    return out


def _pair_similarity(units: Sequence[Unit], others: Sequence[Sequence[str]]) -> np.ndarray:
    """Cosine of each unit with its own paired token list (e.g. its article's title)."""
    if not units:
        return np.zeros(0)
    n = len(units)
    mat = tfidf_matrix([u.stems for u in units] + list(others), idf_docs=[u.stems for u in units])
    return np.asarray(mat[:n].multiply(mat[n:]).sum(axis=1)).ravel()


def _article_centrality(docs: Sequence[Sequence[str]]) -> np.ndarray:
    """Mean cosine of each article with the story's other articles."""
    if len(docs) < 2:
        return np.ones(len(docs))
    mat = tfidf_matrix(docs)
    sims = (mat @ mat.T).toarray()
    np.fill_diagonal(sims, 0.0)
    return sims.sum(axis=1) / (len(docs) - 1)


def _centroid_similarity(units: Sequence[Unit], docs: Sequence[Sequence[str]]) -> np.ndarray:
    rows = [u.stems for u in units] + [sum((list(d) for d in docs), [])]
    mat = tfidf_matrix(rows, idf_docs=[u.stems for u in units])
    return (mat[:-1] @ mat[-1].T).toarray().ravel()


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
    *,
    units: Sequence[Unit] | None = None,
    sim: np.ndarray | None = None,
) -> Summary:
    """The default, offline summary (see the module docstring). ``units`` and ``sim``:
    the articles' ``sentence_units`` and their ``cosine_matrix`` when the caller has them
    already (computed here otherwise)."""
    if units:
        units = list(units)
        sim = sim if sim is not None else cosine_matrix(units)
    else:
        units = sentence_units(articles) or sentence_units(articles, min_words=1)
        if not units:  # no text at all: fall back to the headlines
            articles = [replace(a, text=a.title) for a in articles]
            units = sentence_units(articles, min_words=1)
        if not units:
            return Summary(text="", sentences=[], method="extractive")
        sim = cosine_matrix(units)
    scores = sentence_scores(units, sim, articles, lexicon)
    weak = {i for i, u in enumerate(units) if flaws(u.text) or needs_context(u.text)}
    banned = {i for i, u in enumerate(units) if never_shown(u.text) or u.unattributed}
    chosen = select_mmr(units, sim, scores, articles, config, weak, banned)
    chosen.sort(key=lambda i: (units[i].position, units[i].article))
    sentences = [
        SummarySentence(units[i].text, citations(i, units, sim, config.cite_similarity))
        for i in chosen
    ]
    return Summary(text=" ".join(s.text for s in sentences), sentences=sentences)


def word_budget(articles: Sequence[StoryArticle], config: PerspectivesConfig) -> int:
    """``summary_ratio`` of the words of a typical three-article story, capped."""
    lengths = sorted((len(a.text.split()) for a in articles), reverse=True)
    if not lengths:
        return 1
    mean = sum(lengths) / len(lengths)
    budget = config.summary_ratio * mean * min(3, len(lengths))
    return int(min(config.summary_words, max(MIN_WORDS, budget)))


def select_mmr(
    units: Sequence[Unit],
    sim: np.ndarray,
    scores: np.ndarray,
    articles: Sequence[StoryArticle],
    config: PerspectivesConfig,
    weak: Collection[int] = (),
    banned: Collection[int] = (),
) -> list[int]:
    """Greedy MMR under a word budget; prefers sides and articles not yet represented.
    A ``weak`` sentence (a fragment, or leaning on unresolved context) may only open an
    otherwise empty summary: it never follows another sentence. A ``banned`` one (a
    fact-check label, caption or embed leftover: ``clean.never_shown``) is never chosen."""
    chosen: list[int] = []
    used_sides: set[str | None] = set()
    used_articles: set[int] = set()
    total = 0
    budget = word_budget(articles, config)
    while len(chosen) < config.summary_sentences and total < budget:
        best, best_value = -1, -np.inf
        for i, u in enumerate(units):
            if i in chosen or i in banned or (chosen and i in weak):
                continue
            redundancy = max((sim[i, j] for j in chosen), default=0.0)
            if redundancy >= min(MAX_REDUNDANCY, config.cite_similarity):
                continue
            value = scores[i] - config.summary_redundancy * redundancy
            side = side_of(articles[u.article].leaning)
            if side not in used_sides or u.article not in used_articles:
                value += W_NEW_SIDE
            if chosen and total + u.n_words > budget * (1 + OVERSHOOT):
                continue  # would overshoot the budget too much: try a shorter sentence
            if value > best_value:
                best, best_value = i, value
        if best < 0:
            break
        chosen.append(best)
        total += units[best].n_words
        used_sides.add(side_of(articles[units[best].article].leaning))
        used_articles.add(units[best].article)
    return chosen
