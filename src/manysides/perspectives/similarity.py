"""Sentence units and TF-IDF similarity within one story (numpy only, no model)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..nlp.text import content_stems, split_sentences, words
from .clean import quote_open, strip_dateline, unattributed
from .records import StoryArticle


@dataclass(frozen=True)
class Unit:
    """One sentence of one article."""

    article: int  # index into the story's article list
    article_id: int
    position: int  # sentence index within the article
    text: str
    stems: tuple[str, ...]
    n_words: int
    unattributed: str = ""  # why it states a claim without its attribution (clean.py)


MAX_SENTENCES = 40  # per article: the lead carries the story; keeps big stories fast


def sentence_units(articles: Sequence[StoryArticle], min_words: int = 4) -> list[Unit]:
    """The first ``MAX_SENTENCES`` sentences of each article with at least ``min_words``,
    without their leading datelines and bylines (``clean.strip_dateline``), each marked
    when it states a claim whose attribution is in a neighbouring sentence
    (``clean.unattributed``)."""
    units = []
    for i, a in enumerate(articles):
        sentences = split_sentences(a.text)[: MAX_SENTENCES + 1]
        inside = False
        for pos, raw in enumerate(sentences[:MAX_SENTENCES]):
            sent = strip_dateline(raw)
            was_inside, inside = inside, quote_open(raw, inside)
            n = len(words(sent))
            if n < min_words:
                continue
            after = sentences[pos + 1] if pos + 1 < len(sentences) else ""
            claim = unattributed(sent, after, was_inside)
            units.append(Unit(i, a.id, pos, sent, tuple(content_stems(sent)), n, claim))
    return units


def tfidf_matrix(docs: Sequence[Sequence[str]], idf_docs: Sequence[Sequence[str]] | None = None):
    """L2-normalised TF-IDF rows (sublinear tf, sparse CSR) for token lists.

    The idf comes from ``idf_docs`` (default: ``docs``); the vocabulary covers both.
    """
    from scipy import sparse

    basis = idf_docs if idf_docs is not None else docs
    vocab: dict[str, int] = {}
    for d in list(basis) + list(docs):
        for t in d:
            vocab.setdefault(t, len(vocab))
    df = np.zeros(len(vocab))
    for d in basis:
        for t in set(d):
            df[vocab[t]] += 1
    idf = np.log((1 + len(basis)) / (1 + df)) + 1.0
    rows, cols, vals = [], [], []
    for r, d in enumerate(docs):
        counts: dict[int, int] = {}
        for t in d:
            counts[vocab[t]] = counts.get(vocab[t], 0) + 1
        for c, n in counts.items():
            rows.append(r)
            cols.append(c)
            vals.append(np.log1p(n) * idf[c])
    mat = sparse.csr_matrix((vals, (rows, cols)), shape=(len(docs), max(1, len(vocab))))
    norms = np.sqrt(np.asarray(mat.multiply(mat).sum(axis=1))).ravel()
    norms[norms == 0] = 1.0
    return sparse.diags(1.0 / norms) @ mat


def cosine_matrix(units: Sequence[Unit]) -> np.ndarray:
    if not units:
        return np.zeros((0, 0))
    mat = tfidf_matrix([u.stems for u in units])
    return (mat @ mat.T).toarray()
