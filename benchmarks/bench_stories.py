"""Story clustering benchmark: quality on NeuS stories, speed and scale on corpus-abp.

Quality: B-cubed P/R/F1 of the online clusterer on ``stories/neus-train.jsonl`` fed in
file order with only id/title/text, on the whole file and on its two halves by story
(``tune``: stories whose number is divisible by 5, used for choosing defaults; ``held``:
the rest, never looked at while tuning). Baseline in the same run: TF-IDF (title+text)
and average-linkage agglomerative clustering over cosine distance, best single threshold
on a grid (an offline method that sees every article at once, and is scored with its
threshold chosen on the very data it is scored on).

Held-out dated stream: ``neus/stories-crawled.jsonl`` (AllSides 2021, ~1,480 articles,
~490 three-outlet stories, with dates; never used for tuning), articles in time order,
with and without their dates, next to the same offline baseline.

Speed: the 37,554 articles of ``corpus-abp`` in date order (undated ones first, with no
date) through ``manysides cluster`` as a subprocess: wall time, peak memory, and
seconds per 1,000 articles (from ``--timings``).

    .venv/bin/python -m benchmarks.bench_stories [--data DIR] [--skip-speed] [--skip-quality]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from manysides import times

from .common import REPO, Timer, data_dir, save

NEUS = "stories/neus-train.jsonl"
CRAWLED = "neus/stories-crawled.jsonl"
_LAUNCHER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
    "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)
ABP = "corpus-abp/articles.jsonl.gz"


def in_tune_split(story: str) -> bool:
    """The tuning half: stories whose number is divisible by 5 (about 490 stories)."""
    return int(story.rsplit("-", 1)[1]) % 5 == 0


def load_neus(root: Path) -> list[dict[str, str]]:
    with (root / NEUS).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_crawled(root: Path) -> list[dict[str, Any]]:
    """A dated stream: AllSides 2021 stories, each article at its story's time plus 0-36 h.

    The offset is a fixed hash of story and side, so articles of one event arrive spread
    over a day and a half, interleaved with other events, in time order.
    """
    rows: list[tuple[datetime, str, dict[str, Any]]] = []
    with (root / CRAWLED).open(encoding="utf-8") as fh:
        for line in fh:
            story = json.loads(line)
            start = times.parse(story["date"])
            assert start is not None, story["date"]
            for side, art in sorted(story["news"].items()):
                key = hashlib.md5(f"{story['id']}/{side}".encode()).hexdigest()  # noqa: S324
                body = art.get("newBody") or ""
                text = " ".join(body) if isinstance(body, list) else str(body)
                when = start + timedelta(hours=int(key, 16) % 37)
                row = {
                    "id": f"{story['id']}-{side}",
                    "story": str(story["id"]),
                    "title": art.get("newsTitle") or "",
                    "text": text,
                    "published": when,
                }
                rows.append((when, key, row))
    rows.sort(key=lambda x: (x[0], x[1]))
    return [r for _, _, r in rows]


def online(rows: list[dict[str, Any]], dated: bool = False) -> dict[str, int]:
    from manysides.config import StoriesConfig
    from manysides.stories import StoryClusterer, StoryInput

    clusterer = StoryClusterer(StoriesConfig())
    return {
        r["id"]: clusterer.add(
            StoryInput(r["id"], r["title"], r["text"], r.get("published") if dated else None)
        ).story_id
        for r in rows
    }


def scores(pred: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, float]:
    from manysides.stories import bcubed

    p, r, f = bcubed(pred, {x["id"]: x["story"] for x in rows})
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def baseline(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """TF-IDF + average-linkage agglomerative clustering, best threshold on a grid."""
    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_distances

    docs = [f"{r['title']}. {r['text']}" for r in rows]
    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(docs)
    dist = cosine_distances(matrix)
    np.fill_diagonal(dist, 0.0)
    condensed = dist[np.triu_indices(len(rows), 1)].clip(0.0)
    del dist
    tree = linkage(condensed, "average")
    best: dict[str, Any] = {"f1": -1.0}
    for t in np.arange(0.30, 0.96, 0.025):
        labels = fcluster(tree, t, "distance")
        got = scores({r["id"]: int(c) for r, c in zip(rows, labels, strict=True)}, rows)
        if got["f1"] > best["f1"]:
            best = got | {"threshold": round(float(1 - t), 3)}
    return best


def quality(root: Path) -> dict[str, Any]:
    rows = load_neus(root)
    with Timer() as t:
        pred = online(rows)
    tune = [r for r in rows if in_tune_split(r["story"])]
    held = [r for r in rows if not in_tune_split(r["story"])]
    result: dict[str, Any] = {
        "articles": len(rows),
        "stories": len({r["story"] for r in rows}),
        "online_all": scores(pred, rows) | {"seconds": round(t.seconds, 2)},
        "online_tune": scores(online(tune), tune),
        "online_held": scores(online(held), held),
    }
    print(json.dumps(result, indent=1), flush=True)
    with Timer() as t:
        base = baseline(rows)
    result["baseline_all"] = base | {"seconds": round(t.seconds, 2)}
    stream = load_crawled(root)
    result["dated_stream"] = {
        "articles": len(stream),
        "stories": len({r["story"] for r in stream}),
        "online_dated": scores(online(stream, dated=True), stream),
        "online_undated": scores(online(stream), stream),
        "baseline": baseline(stream),
    }
    return result


def _iso(value: str) -> str | None:
    """A corpus-abp date (ISO ``YYYY-MM-DD`` or US ``M/D/YY``) as ``YYYY-MM-DD``; nonsense
    years count as undated."""
    when = times.parse(value)
    return when.date().isoformat() if when and when.year >= 1990 else None


def speed(root: Path, workdir: Path) -> dict[str, Any]:
    items: list[tuple[str, int, dict[str, Any]]] = []
    with gzip.open(root / ABP, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            a = json.loads(line)
            when = _iso(a.get("date") or "")
            row = {
                "id": a["id"],
                "title": a["title"],
                "text": a["text"],
                "date": when,
                "source": a.get("source"),
                "url": a.get("url"),
            }
            items.append((when or "", n, row))
    items.sort(key=lambda x: (x[0], x[1]))
    undated = sum(1 for w, _, _ in items if not w)
    n_items = len(items)
    src, out, timings = workdir / "abp.jsonl", workdir / "out.jsonl", workdir / "timings.json"
    with src.open("w", encoding="utf-8") as fh:
        for _, _, row in items:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    del items
    cli = Path(sys.executable).parent / "manysides"
    cmd = [
        str(cli),
        "cluster",
        "--input",
        str(src),
        "--output",
        str(out),
        "--timings",
        str(timings),
    ]
    # A child forked from this (big) process would inherit its peak RSS: start the CLI from
    # a small launcher and read the launcher's RUSAGE_CHILDREN instead.
    launcher = [sys.executable, "-c", _LAUNCHER, *cmd]
    started = time.perf_counter()
    proc = subprocess.run(launcher, capture_output=True, text=True, cwd=REPO, check=False)  # noqa: S603
    wall = time.perf_counter() - started
    code, peak_kb = (int(x) for x in proc.stdout.split()[-2:])
    peak_mb = peak_kb / 1024
    if code not in (0, 1):
        raise SystemExit(f"manysides cluster failed ({code}): {proc.stderr[-2000:]}")
    t = json.loads(timings.read_text())
    per, cpu = t["per_1000"], t["cpu_per_1000"]
    stories = {json.loads(x)["story"] for x in out.read_text().splitlines()}
    return {
        "articles": n_items,
        "undated": undated,
        "wall_seconds": round(wall, 2),
        "cluster_loop_seconds": t["seconds"],
        "peak_rss_mb": round(peak_mb, 1),
        "first_1000_s": per[0] if per else None,
        "last_1000_s": per[-1] if per else None,
        "last_over_first": round(per[-1] / per[0], 2) if per else None,
        "median_1000_s": sorted(per)[len(per) // 2] if per else None,
        "max_1000_s": max(per) if per else None,
        "cpu_first_1000_s": cpu[0] if cpu else None,
        "cpu_last_1000_s": cpu[-1] if cpu else None,
        "cpu_last_over_first": round(cpu[-1] / cpu[0], 2) if cpu else None,
        "cpu_median_1000_s": sorted(cpu)[len(cpu) // 2] if cpu else None,
        "stories": len(stories - {None}),
        "failed_lines": t["failed"],
        "open_stories_at_end": t["open_stories"],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", help="shared data folder (default ../shared/data)")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-quality", action="store_true")
    args = parser.parse_args(argv)
    root = data_dir(args.data)
    result: dict[str, Any] = {}
    if not args.skip_quality:
        result["quality"] = quality(root)
        print(json.dumps(result["quality"], indent=1), flush=True)
    if not args.skip_speed:
        with tempfile.TemporaryDirectory() as tmp:
            result["speed"] = speed(root, Path(tmp))
        print(json.dumps(result["speed"], indent=1), flush=True)
    print(f"saved {save('stories', result)}")


if __name__ == "__main__":
    main()
