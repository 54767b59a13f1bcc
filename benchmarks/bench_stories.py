"""Story clustering benchmark: quality on NeuS and AllSides, a replay, speed on corpus-abp.

Quality (held-out folds only): ``manysides.stories.fit.cross_validate`` with the default
config: three folds by story on NeuS train (``stories/neus-train.jsonl``, undated, file
order) and on the AllSides 2021 dated stream (``neus/stories-crawled.jsonl``, each article
at its story's time plus 0-36 h); the scorer is fit on two folds of both sets, its join
threshold chosen on those training folds, and each held-out fold is clustered alone and
scored with B-cubed. Baseline in the same run, on the same held-out folds: TF-IDF
(title + text) and average-linkage agglomerative clustering over cosine distance with its
best single threshold on a grid (an offline method that sees every article at once and
picks its threshold on the very data it is scored on).

Replay: the three days 2020-05-18..20 of ``corpus-abp`` (103 articles, 48 outlets) in
date order through ``python -m manysides cluster`` run from a given source tree
(``--before-src`` for the code before a change): stories, single-article stories,
multi-outlet stories, mean outlets per story, and for each hand-named event (title
pattern) how many stories its articles landed in.

Speed: the 37,554 articles of ``corpus-abp`` in date order (undated ones first, with no
date) through ``manysides cluster`` as a subprocess: wall time, CPU time, peak memory, and
seconds per 1,000 articles (from ``--timings``).

    .venv/bin/python -m benchmarks.bench_stories [--data DIR] [--skip-speed]
        [--skip-quality] [--skip-replay] [--before-src DIR] [--frontier [NAME ...]]

Frontier (``--frontier``): for each setting of ``FRONTIER`` the held-out B-cubed of both
sets (held-out fold 0 only, the quality gate's fold, to keep it affordable; join
threshold fixed at 0.5, the shipped model's) and the CPU time of the speed run with that
setting.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from manysides import times

from .common import REPO, data_dir, save

_LAUNCHER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
    "use = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(code, use.ru_maxrss, use.ru_utime + use.ru_stime)\n"
)
ABP = "corpus-abp/articles.jsonl.gz"
REPLAY_DAYS = ("2020-05-18", "2020-05-20")
#: events of the replay days that three or more outlets covered, by title pattern
REPLAY_EVENTS = {
    "Trump takes hydroxychloroquine": r"hydroxychloroquine",
    "State Department inspector general fired": r"inspector.general",
    "all 50 states partially reopened": r"all (50 )?states (are|at least) partially reopen",
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
    from manysides.config import StoriesConfig
    from manysides.stories import fit
    from manysides.stories.embeddings import load_embedder

    sets = {"neus": fit.load_neus(root), "allsides": fit.load_crawled(root)}
    embedder = load_embedder()
    emb = fit.embed_all(embedder, [r for rs in sets.values() for r in rs])
    cached = fit.CachedEmbedder(emb) if embedder is not None else None
    started = time.process_time()
    cv = fit.cross_validate(sets, StoriesConfig(), cached, emb)
    result: dict[str, Any] = {
        "embeddings": embedder is not None,
        "cv_cpu_seconds": round(time.process_time() - started, 1),
        "folds": cv["folds"],
    }
    for name, rows in sets.items():
        base = []
        for k in range(fit.FOLDS):
            held = [
                {"id": r.item.id, "title": r.item.title, "text": r.item.text, "story": r.story}
                for r in rows
                if r.fold == k
            ]
            base.append(baseline(held))
        online = [f[name] for f in cv["folds"]]
        result[name] = {
            "articles": len(rows),
            "stories": len({r.story for r in rows}),
            "heldout_f1_mean": cv[name],
            "heldout_precision_mean": round(sum(o["precision"] for o in online) / fit.FOLDS, 4),
            "heldout_recall_mean": round(sum(o["recall"] for o in online) / fit.FOLDS, 4),
            "baseline_f1_mean": round(sum(b["f1"] for b in base) / fit.FOLDS, 4),
            "baseline_precision_mean": round(sum(b["precision"] for b in base) / fit.FOLDS, 4),
            "baseline_recall_mean": round(sum(b["recall"] for b in base) / fit.FOLDS, 4),
            "baseline_folds": base,
        }
        print(json.dumps({name: result[name]}), flush=True)
    return result


#: settings of the quality/speed frontier (``--frontier``): ``[stories]`` keys changed
FRONTIER: dict[str, dict[str, Any]] = {
    "default": {},
    "candidates 20/5": {"max_candidates": 20, "score_candidates": 5},
    "no consolidation": {"consolidate": False},
    "candidates 20/5, no consolidation": {
        "max_candidates": 20,
        "score_candidates": 5,
        "consolidate": False,
    },
    "no embeddings": {"embeddings": False},
}


def frontier(root: Path, names: list[str]) -> dict[str, Any]:
    """Each setting of ``FRONTIER``: held-out B-cubed on both sets (fold 0, the quality
    gate's, with the scorer fit on folds 1 and 2; join threshold 0.5), then the CPU time
    of ``manysides cluster`` over corpus-abp."""
    from dataclasses import replace

    from manysides.config import StoriesConfig
    from manysides.stories import fit
    from manysides.stories.embeddings import load_embedder

    sets = {"neus": fit.load_neus(root), "allsides": fit.load_crawled(root)}
    embedder = load_embedder()
    emb = fit.embed_all(embedder, [r for rs in sets.values() for r in rs])
    out: dict[str, Any] = {}
    for name in names:
        settings = FRONTIER[name]
        config = replace(StoriesConfig(), **settings)
        dense = config.embeddings and embedder is not None
        started = time.process_time()
        cv = fit.cross_validate(
            sets,
            config,
            fit.CachedEmbedder(emb) if dense else None,
            emb if dense else {},
            log=lambda _: None,
            thresholds=(0.5,),
            held_out=(0,),
        )
        point: dict[str, Any] = {
            "settings": settings,
            "neus_f1": cv["neus"],
            "allsides_f1": cv["allsides"],
            "cv_cpu_seconds": round(time.process_time() - started, 1),
        }
        with tempfile.TemporaryDirectory() as tmp:
            run = speed(root, Path(tmp), settings)
        point |= {k: run[k] for k in ("cpu_seconds", "peak_rss_mb", "wall_seconds", "stories")}
        point["load_average"] = run["load_average"]
        out[name] = point
        print(json.dumps({name: point}), flush=True)
    return out


def _iso(value: str) -> str | None:
    """A corpus-abp date (ISO ``YYYY-MM-DD`` or US ``M/D/YY``) as ``YYYY-MM-DD``; nonsense
    years count as undated."""
    when = times.parse(value)
    return when.date().isoformat() if when and when.year >= 1990 else None


def speed(root: Path, workdir: Path, stories: dict[str, Any] | None = None) -> dict[str, Any]:
    """``manysides cluster`` over corpus-abp; ``stories``: ``[stories]`` settings to run
    with (a config file written for the run), else the defaults."""
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
    cmd = [
        sys.executable,
        "-m",
        "manysides",
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
    if stories:
        conf = workdir / "config.toml"
        lines = ["[stories]"] + [f"{k} = {json.dumps(v)}" for k, v in stories.items()]
        conf.write_text("\n".join(lines) + "\n", encoding="utf-8")
        cmd[3:3] = ["--config", str(conf)]
    launcher = [sys.executable, "-c", _LAUNCHER, *cmd]
    started = time.perf_counter()
    env = os.environ | {"PYTHONPATH": str(REPO / "src")}
    proc = subprocess.run(  # noqa: S603
        launcher, capture_output=True, text=True, cwd=REPO, check=False, env=env
    )
    wall = time.perf_counter() - started
    code_s, peak_s, cpu_s = proc.stdout.split()[-3:]
    code, peak_mb, cpu_total = int(code_s), int(peak_s) / 1024, float(cpu_s)
    if code not in (0, 1):
        raise SystemExit(f"manysides cluster failed ({code}): {proc.stderr[-2000:]}")
    t = json.loads(timings.read_text())
    per, cpu = t["per_1000"], t["cpu_per_1000"]
    stories = {json.loads(x)["story"] for x in out.read_text().splitlines()}
    return {
        "articles": n_items,
        "undated": undated,
        "wall_seconds": round(wall, 2),
        "cpu_seconds": round(cpu_total, 2),
        "load_average": [round(x, 2) for x in os.getloadavg()],
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


def replay(root: Path, workdir: Path, src: Path) -> dict[str, Any]:
    """The three replay days through ``python -m manysides cluster`` from source tree ``src``."""
    items = []
    with gzip.open(root / ABP, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            a = json.loads(line)
            when = _iso(a.get("date") or "")
            if when and REPLAY_DAYS[0] <= when <= REPLAY_DAYS[1]:
                items.append((when, n, a))
    items.sort(key=lambda x: (x[0], x[1]))
    path, out = workdir / "replay.jsonl", workdir / "replay-out.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for when, _, a in items:
            row = {"id": a["id"], "title": a["title"], "text": a["text"], "date": when}
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    env = os.environ | {"PYTHONPATH": str(src)}
    cmd = [sys.executable, "-m", "manysides", "cluster", "-i", str(path), "-o", str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)  # noqa: S603
    if proc.returncode != 0:
        raise SystemExit(f"replay cluster failed: {proc.stderr[-2000:]}")
    story = {json.loads(x)["id"]: json.loads(x)["story"] for x in out.read_text().splitlines()}
    outlets: dict[int, set[str]] = {}
    for _, _, a in items:
        outlets.setdefault(story[a["id"]], set()).add(a["source"])
    sizes = [len(v) for v in outlets.values()]
    events = {}
    for name, pattern in REPLAY_EVENTS.items():
        hits = [a for _, _, a in items if re.search(pattern, a["title"], re.IGNORECASE)]
        events[name] = {
            "articles": len(hits),
            "outlets": len({a["source"] for a in hits}),
            "stories": len({story[a["id"]] for a in hits}),
        }
    return {
        "source_tree": str(src),
        "articles": len(items),
        "outlets": len({a["source"] for _, _, a in items}),
        "stories": len(outlets),
        "single_article_stories": sum(
            1 for s in set(story.values()) if list(story.values()).count(s) == 1
        ),
        "multi_outlet_stories": sum(1 for n in sizes if n >= 2),
        "mean_outlets_per_story": round(sum(sizes) / len(sizes), 3),
        "mean_outlets_per_multi_outlet_story": round(
            sum(n for n in sizes if n >= 2) / max(1, sum(1 for n in sizes if n >= 2)), 3
        ),
        "events": events,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", help="shared data folder (default ../shared/data)")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--skip-replay", action="store_true")
    parser.add_argument("--before-src", help="source tree (src/) of the code before a change")
    parser.add_argument(
        "--frontier",
        nargs="*",
        choices=list(FRONTIER),
        help="measure these settings of the quality/speed frontier (none named: all) instead",
    )
    args = parser.parse_args(argv)
    root = data_dir(args.data)
    result: dict[str, Any] = {"load_average_start": [round(x, 2) for x in os.getloadavg()]}
    if args.frontier is not None:
        result["frontier"] = frontier(root, args.frontier or list(FRONTIER))
        print(f"saved {save('stories-frontier', result)}")
        return
    if not args.skip_replay:
        with tempfile.TemporaryDirectory() as tmp:
            result["replay"] = {"after": replay(root, Path(tmp), REPO / "src")}
            if args.before_src:
                result["replay"]["before"] = replay(root, Path(tmp), Path(args.before_src))
        print(json.dumps(result["replay"], indent=1), flush=True)
    if not args.skip_quality:
        result["quality"] = quality(root)
    if not args.skip_speed:
        with tempfile.TemporaryDirectory() as tmp:
            result["speed"] = speed(root, Path(tmp))
        print(json.dumps(result["speed"], indent=1), flush=True)
    print(f"saved {save('stories', result)}")


if __name__ == "__main__":
    main()
