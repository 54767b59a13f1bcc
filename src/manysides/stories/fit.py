"""Fit the article-to-story scorer (``scorer.json``) on the labelled dev sets.

    python -m manysides.stories.fit [--data DIR] [--write]

Dev sets (``../shared/data``, or ``--data`` / ``$MANYSIDES_SHARED_DATA``):

- ``stories/neus-train.jsonl``: NeuS train, 7,356 articles in 2,452 three-outlet stories,
  undated, in file order;
- ``neus/stories-crawled.jsonl``: AllSides 2021, ~1,480 articles in ~500 stories, a dated
  stream (each article at its story's time plus 0-36 h, fixed by a hash), in time order.

Training pairs come from replaying a set through the clusterer with the gold grouping
("teacher forcing"): each article is scored against the candidate stories the clusterer
would retrieve for it (stories sharing its index terms: the hard negatives, same topic,
other event), labelled 1 for its own story, then joins its own story. A logistic
regression (scikit-learn, standardised features) is fit on the pairs, once with the
dense embedding feature and once without it (``sparse``).

Cross-validation: three folds by story on each set. For each fold the model is fit on the
pairs of the other two folds of both sets, and the *held-out* fold is clustered alone (its
articles in their order) and scored with B-cubed at each threshold of ``THRESHOLDS``. The
join threshold is the one with the best mean held-out F1 over both sets and all folds (the
one hyper-parameter chosen on held-out folds; the weights never see the fold they are
scored on). ``--write`` refits on everything and stores the weights with that threshold.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from .. import times
from ..config import StoriesConfig
from .clusterer import StoryClusterer, cluster_all, resolve
from .embeddings import Embedder, embedding_text, load_embedder
from .metrics import bcubed
from .records import StoryInput
from .scorer import FEATURES, SCORER_FORMAT, Model, Scorer

NEUS = "stories/neus-train.jsonl"
CRAWLED = "neus/stories-crawled.jsonl"
FOLDS = 3
THRESHOLDS = (0.4, 0.5, 0.6)
MERGE_MARGIN = 0.15  # merges at threshold + this (capped at 0.95)
CONSOLIDATE_MARGIN = 0.15  # consolidation merges at threshold + this
OUT = Path(__file__).with_name("scorer.json")


@dataclass(frozen=True)
class Row:
    """One labelled article."""

    item: StoryInput
    story: str

    @property
    def fold(self) -> int:
        return zlib.crc32(self.story.encode("utf-8")) % FOLDS


def default_data() -> Path:
    env = os.environ.get("MANYSIDES_SHARED_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3].parent / "shared" / "data"


def load_neus(root: Path) -> list[Row]:
    """NeuS train in file order, undated."""
    rows = []
    with (root / NEUS).open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                r = json.loads(line)
                rows.append(Row(StoryInput(r["id"], r["title"], r["text"]), r["story"]))
    return rows


def load_crawled(root: Path) -> list[Row]:
    """AllSides 2021 as a dated stream: each article at its story's time plus 0-36 h.

    The offset is a fixed hash of story and side, so articles of one event arrive spread
    over a day and a half, interleaved with other events, in time order.
    """
    rows: list[tuple[datetime, str, Row]] = []
    with (root / CRAWLED).open(encoding="utf-8") as fh:
        for line in fh:
            story = json.loads(line)
            start = times.parse(story["date"])
            if start is None:
                continue
            for side, art in sorted(story["news"].items()):
                key = hashlib.md5(f"{story['id']}/{side}".encode()).hexdigest()  # noqa: S324
                body = art.get("newBody") or ""
                text = " ".join(body) if isinstance(body, list) else str(body)
                when = start + timedelta(hours=int(key, 16) % 37)
                item = StoryInput(f"{story['id']}-{side}", art.get("newsTitle") or "", text, when)
                rows.append((when, key, Row(item, str(story["id"]))))
    rows.sort(key=lambda x: (x[0], x[1]))
    return [r for _, _, r in rows]


def text_of(row: Row) -> str:
    return embedding_text(row.item.title, row.item.text)


def embed_all(embedder: Embedder | None, rows: Sequence[Row]) -> dict[str, Any]:
    """Every article's embedding by its embedded text, computed once ({} without one)."""
    many = getattr(embedder, "embed_many", None)
    if many is None:
        return {}
    texts = sorted({text_of(r) for r in rows})
    return dict(zip(texts, many(texts), strict=True))


class CachedEmbedder:
    """Looks embeddings up instead of computing them again (fit's many runs)."""

    def __init__(self, table: dict[str, Any]) -> None:
        self.table = table

    def embed(self, text: str) -> Any:
        return self.table[text]

    def embed_many(self, texts: Sequence[str]) -> list[Any]:
        return [self.table[t] for t in texts]


def pairs(
    rows: Sequence[Row], config: StoriesConfig, embedder: Embedder | None, emb: dict[Any, Any]
) -> tuple[list[list[float]], list[int]]:
    """Teacher-forced (features, label) pairs of ``rows`` in their order (with
    ``config.embeddings`` off when ``embedder`` is None: the sparse model)."""
    config = replace(config, embeddings=embedder is not None)
    c = StoryClusterer(config, embedder=embedder, scorer=Scorer.untrained())
    own: dict[str, int] = {}
    x: list[list[float]] = []
    y: list[int] = []
    for row in rows:
        c._seq += 1
        when = c._tick(row.item)
        vec = c._vectorise(row.item, emb.get(text_of(row)))
        mine = own.get(row.story)
        stories, rows = c._features(vec, c._candidates(vec, when), when, None)
        for story, feats in zip(stories, rows, strict=True):
            x.append(feats)
            y.append(int(story.id == mine))
        if mine is not None and mine in c._stories:
            c._join(c._stories[mine], vec, when, row.item.title, 0.0)
        else:
            own[row.story] = c._create(vec, when, row.item.title).id
        if c._seq % 64 == 0:
            c._close_stale()
    return x, y


def fit_model(x: list[list[float]], y: list[int], threshold: float) -> dict[str, Any]:
    """A standardised logistic regression as ``scorer.json`` stores it."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    xa = np.asarray(x, dtype=np.float64)
    mean = xa.mean(axis=0)
    scale = xa.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=1.0, max_iter=2000)
    lr.fit((xa - mean) / scale, np.asarray(y))
    return {
        "coef": [round(float(v), 6) for v in lr.coef_[0]],
        "intercept": round(float(lr.intercept_[0]), 6),
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "threshold": threshold,
        "merge_threshold": merge_for(threshold),
        "consolidate_threshold": consolidate_for(threshold),
    }


def merge_for(threshold: float) -> float:
    return round(min(0.95, threshold + MERGE_MARGIN), 3)


def consolidate_for(threshold: float) -> float:
    return round(min(0.95, max(0.05, threshold + CONSOLIDATE_MARGIN)), 3)


def score_run(
    rows: Sequence[Row],
    config: StoriesConfig,
    model: Model,
    embedder: Embedder | None,
    emb: dict[Any, Any],
) -> tuple[float, float, float]:
    """B-cubed of clustering ``rows`` (in order, batches of 500) with ``model``."""
    embedder = CachedEmbedder(emb) if emb else None
    config = replace(config, embeddings=embedder is not None)
    c = StoryClusterer(config, embedder=embedder, scorer=Scorer(model, model))
    got, merges = cluster_all(c, [r.item for r in rows])
    final = {r.item.id: resolve(a.story_id, merges) for r, a in zip(rows, got, strict=True)}
    return bcubed(final, {r.item.id: r.story for r in rows})


def with_threshold(model: dict[str, Any], threshold: float) -> Model:
    return Model.from_dict(
        model
        | {
            "threshold": threshold,
            "merge_threshold": merge_for(threshold),
            "consolidate_threshold": consolidate_for(threshold),
        }
    )


def cross_validate(
    sets: dict[str, list[Row]],
    config: StoriesConfig,
    embedder: Embedder | None,
    emb: dict[Any, Any],
    log: Any = print,
    thresholds: Sequence[float] = THRESHOLDS,
    held_out: Sequence[int] = tuple(range(FOLDS)),
) -> dict[str, Any]:
    """Three folds by story (see the module docstring); held-out B-cubed per set, the
    join threshold chosen from ``thresholds``, means over the folds of ``held_out``."""
    dense = embedder is not None
    folds: list[dict[str, Any]] = []
    for k in held_out:
        train = {n: [r for r in rs if r.fold != k] for n, rs in sets.items()}
        held = {n: [r for r in rs if r.fold == k] for n, rs in sets.items()}
        x: list[list[float]] = []
        y: list[int] = []
        for rs in train.values():
            px, py = pairs(rs, config, embedder, emb)
            x += px
            y += py
        model = fit_model(x, y, 0.5)
        result: dict[str, Any] = {"fold": k, "by_threshold": {}}
        for t in thresholds:
            result["by_threshold"][t] = {}
            for name, rs in held.items():
                p, r, f = score_run(rs, config, with_threshold(model, t), embedder, emb)
                result["by_threshold"][t][name] = {
                    "articles": len(rs),
                    "precision": round(p, 4),
                    "recall": round(r, 4),
                    "f1": round(f, 4),
                }
        log(json.dumps({"dense": dense} | result))
        folds.append(result)

    # the one hyper-parameter chosen on the held-out folds: the threshold with the best
    # mean F1 over sets and folds (the weights never see the fold they are scored on)
    def mean_f1(t: float) -> float:
        return sum(f["by_threshold"][t][n]["f1"] for f in folds for n in sets) / (
            len(folds) * len(sets)
        )

    best = max(thresholds, key=lambda t: (mean_f1(t), -t))
    for f in folds:
        f["threshold"] = best
        f.update(f["by_threshold"][best])
    summary: dict[str, Any] = {"folds": folds}
    for name in sets:
        summary[name] = round(sum(f[name]["f1"] for f in folds) / len(folds), 4)
    summary["threshold"] = best
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, help="shared data folder (default ../shared/data)")
    parser.add_argument("--write", action="store_true", help=f"write {OUT.name}")
    args = parser.parse_args(argv)
    root = args.data or default_data()
    if not (root / NEUS).is_file() or not (root / CRAWLED).is_file():
        print(f"fit: dev sets not found under {root} (use --data)", file=sys.stderr)
        return 2
    config = StoriesConfig()
    sets = {"neus": load_neus(root), "allsides": load_crawled(root)}
    embedder = load_embedder()
    emb = embed_all(embedder, [r for rs in sets.values() for r in rs])
    out: dict[str, Any] = {"format": SCORER_FORMAT, "features": list(FEATURES), "models": {}}
    report: dict[str, Any] = {}
    if embedder is None:
        print("fit: wordllama is not installed; cannot fit the dense model", file=sys.stderr)
        return 2
    cached = CachedEmbedder(emb)
    sparse_config = replace(config, embeddings=False)
    for kind, cfg, emb_kind, embedder_kind in (
        ("dense", config, emb, cached),
        ("sparse", sparse_config, {}, None),
    ):
        cv = cross_validate(sets, cfg, embedder_kind, emb_kind)
        report[kind] = {k: v for k, v in cv.items() if k != "folds"}
        print(json.dumps({kind: report[kind]}), flush=True)
        x: list[list[float]] = []
        y: list[int] = []
        for rs in sets.values():
            px, py = pairs(rs, cfg, embedder_kind, emb_kind)
            x += px
            y += py
        out["models"][kind] = fit_model(x, y, cv["threshold"]) | {"cv": cv}
    if args.write:
        OUT.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
