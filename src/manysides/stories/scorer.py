"""The learned article-to-story scorer: logistic regression over pair features.

``scorer.json`` (shipped in the package) holds two fitted models over the same features
(``FEATURES``): ``dense`` (with the sentence-embedding cosine) and ``sparse`` (without, for
when ``wordllama`` is not installed), each with the join threshold that cross-validation
chose. The clusterer computes the features of an article against each candidate story
and joins the most probable story when its probability reaches the threshold.

Refit (reads the labelled dev sets in ``../shared/data``, prints cross-validated B-cubed
on held-out folds, writes ``scorer.json`` with ``--write``)::

    python -m manysides.stories.fit --write
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

SCORER_FORMAT = 1

#: Pair features, in the order the clusterer computes them (see ``clusterer._features``).
FEATURES: tuple[str, ...] = (
    "title_cos",  # article title vs story title centroid (TF-IDF)
    "body_cos",  # title + lead vs story text centroid (TF-IDF)
    "entity_cos",  # capitalised names vs story names (TF-IDF)
    "title_body_cos",  # article title vs story text centroid
    "dense_cos",  # sentence embedding vs story mean embedding (0 without embeddings)
    "entity_cover",  # share of the article's name weight the story also has
    "shared_entities",  # log(1 + names in common)
    "shared_numbers",  # log(1 + numbers in common)
    "log_gap_hours",  # log(1 + hours outside the story's time span, less the date slack)
    "dated",  # 1 when both the article and the story have dates
    "log_size",  # log(1 + story size)
    "dense_x_body",  # dense_cos * body_cos
    "dense_x_entity",  # dense_cos * entity_cos
    "body_margin",  # body_cos less the best other candidate's
    "dense_margin",  # dense_cos less the best other candidate's
)


@dataclass(frozen=True)
class Model:
    """One fitted logistic regression, standardisation folded into the weights."""

    weights: tuple[float, ...]
    bias: float
    threshold: float
    merge_threshold: float
    consolidate_threshold: float

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Model:
        coef, mean, scale = data["coef"], data["mean"], data["scale"]
        if not len(coef) == len(mean) == len(scale) == len(FEATURES):
            raise ValueError("scorer model does not match the feature list")
        weights = tuple(c / s for c, s in zip(coef, scale, strict=True))
        bias = data["intercept"] - math.fsum(w * m for w, m in zip(weights, mean, strict=True))
        return cls(
            weights,
            bias,
            float(data["threshold"]),
            float(data["merge_threshold"]),
            float(data["consolidate_threshold"]),
        )

    def probabilities(self, rows: Sequence[Sequence[float]]) -> list[float]:
        """The probability of each feature row."""
        import numpy as np

        z = np.asarray(rows, dtype=np.float64) @ np.asarray(self.weights) + self.bias
        return (1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))).tolist()

    @classmethod
    def untrained(cls) -> Model:
        """All weights zero (every pair 0.5): what ``fit`` starts from."""
        return cls((0.0,) * len(FEATURES), 0.0, 1.0, 1.0, 1.0)


@dataclass(frozen=True)
class Scorer:
    """The shipped models: ``dense`` and ``sparse``."""

    dense: Model
    sparse: Model

    @classmethod
    def untrained(cls) -> Scorer:
        return cls(Model.untrained(), Model.untrained())

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scorer:
        if data.get("format") != SCORER_FORMAT or tuple(data.get("features", ())) != FEATURES:
            raise ValueError("scorer.json was fitted for other features; refit it")
        models = data["models"]
        return cls(Model.from_dict(models["dense"]), Model.from_dict(models["sparse"]))

    def model(self, dense: bool) -> Model:
        return self.dense if dense else self.sparse


@functools.cache
def load_default() -> Scorer:
    """The scorer shipped with the package (``stories/scorer.json``), read once."""
    text = resources.files(__package__).joinpath("scorer.json").read_text(encoding="utf-8")
    return Scorer.from_dict(json.loads(text))
