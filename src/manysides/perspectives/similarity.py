"""Sentence units and TF-IDF similarity within one story (scikit-learn, no model)."""

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


def _as_is(doc: Sequence[str]) -> Sequence[str]:
    return doc  # the documents are already token lists (``content_stems``)


def tfidf_matrix(docs: Sequence[Sequence[str]], idf_docs: Sequence[Sequence[str]] | None = None):
    """L2-normalised TF-IDF rows (sublinear tf, smoothed idf; sparse CSR) for token lists,
    with scikit-learn's ``CountVectorizer`` and ``TfidfTransformer``.

    The idf comes from ``idf_docs`` (default: ``docs``); the vocabulary covers both, so a
    term no ``idf_docs`` has gets the highest idf rather than being dropped.
    Parameter validation is skipped: a story builds several small matrices, and
    scikit-learn's per-call checks would cost more than the arithmetic.
    """
    from scipy import sparse
    from sklearn import config_context
    from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

    extra = list(idf_docs) if idf_docs is not None else []
    if not any(docs) and not any(extra):
        return sparse.csr_matrix((len(docs), 1))  # no token at all: every row is zero
    with config_context(assume_finite=True, skip_parameter_validation=True):
        counted = CountVectorizer(analyzer=_as_is, dtype=np.float64).fit_transform([*docs, *extra])
        rows = counted[: len(docs)]
        if not docs:
            return rows
        basis = counted[len(docs) :] if idf_docs is not None else rows
        # no idf documents: every idf is 1, i.e. tf alone
        weigh = TfidfTransformer(sublinear_tf=True, use_idf=basis.shape[0] > 0)
        return weigh.fit(basis if basis.shape[0] else rows).transform(rows)


def cosine_matrix(units: Sequence[Unit]) -> np.ndarray:
    if not units:
        return np.zeros((0, 0))
    mat = tfidf_matrix([u.stems for u in units])
    return (mat @ mat.T).toarray()
