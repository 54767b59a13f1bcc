"""Issue 3 benchmark: article extraction quality and speed on the Zyte set (181 pages).

Quality: the field's scoring (``../shared/data/README.md``): word tokens, 4-token shingle
multisets, precision and recall per page (a page with both sides empty counts 1), both
averaged over pages, F1 = 2PR/(P+R). manysides and the anchor, bare
``trafilatura.extract`` (its defaults), are scored in the same run.

Speed: ``manysides extract`` as a subprocess over a JSON Lines file of the pages (all
cores; start-up included) against single-process bare ``trafilatura.extract`` over the
same pages in this process. Median of ``--repeat`` runs each.

    .venv/bin/python -m benchmarks.bench_extract [--data DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from .common import REPO, data_dir, save

_TOKEN = re.compile(r"\w+")
TARGET_F1 = 0.975
TARGET_PRECISION = 0.96
TARGET_SPEEDUP = 1.6


def shingles(text: str, n: int = 4) -> Counter[str]:
    tokens = _TOKEN.findall(text or "")
    return Counter(
        " ".join(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens
    )


def page_pr(truth: str, pred: str) -> tuple[float, float]:
    """Shingle precision and recall of one page (the benchmark's definition)."""
    a, b = shingles(truth), shingles(pred)
    tp = sum((a & b).values())
    fp = sum((b - a).values())
    fn = sum((a - b).values())
    if fp == fn == 0:
        return 1.0, 1.0
    if tp == 0:
        return 0.0, 0.0
    return tp / (tp + fp), tp / (tp + fn)


def score(truth: dict[str, str], preds: dict[str, str]) -> dict[str, float]:
    pairs = [page_pr(truth[k], preds.get(k, "")) for k in truth]
    p = sum(x for x, _ in pairs) / len(pairs)
    r = sum(y for _, y in pairs) / len(pairs)
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4)}


def load_pages(folder: Path) -> tuple[dict[str, Any], dict[str, bytes]]:
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {k: gzip.decompress((folder / "html" / f"{k}.html.gz").read_bytes()) for k in truth}
    return truth, pages


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_cli(src: Path, dst: Path) -> tuple[float, float]:
    """Wall seconds and CPU seconds (the command and its worker processes)."""
    cmd = [str(REPO / ".venv" / "bin" / "manysides"), "extract", "-i", str(src), "-o", str(dst)]
    if not Path(cmd[0]).exists():
        cmd = [sys.executable, "-m", "manysides", "extract", "-i", str(src), "-o", str(dst)]
    cpu, started = _children_cpu(), time.perf_counter()
    subprocess.run(cmd, check=False, capture_output=True)
    return time.perf_counter() - started, _children_cpu() - cpu


def bare(truth: dict[str, Any], pages: dict[str, bytes]) -> tuple[dict[str, str], float, float]:
    import trafilatura

    cpu, started = time.process_time(), time.perf_counter()
    out = {k: trafilatura.extract(h, url=truth[k]["url"]) or "" for k, h in pages.items()}
    return out, time.perf_counter() - started, time.process_time() - cpu


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="shared data folder (default ../shared/data)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each side")
    args = parser.parse_args(argv)
    truth, pages = load_pages(data_dir(args.data) / "extraction-zyte")
    gold = {k: v["articleBody"] for k, v in truth.items()}
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        with src.open("w", encoding="utf-8") as fh:
            for k, html in pages.items():
                text = html.decode("utf-8", errors="replace")
                fh.write(json.dumps({"id": k, "url": truth[k]["url"], "html": text}) + "\n")
        ours_s, bare_s, ours_cpu, bare_cpu = [], [], [], []
        anchor: dict[str, str] = {}
        for _ in range(max(1, args.repeat)):
            anchor, seconds, cpu = bare(truth, pages)
            bare_s.append(seconds)
            bare_cpu.append(cpu)
            seconds, cpu = run_cli(src, dst)
            ours_s.append(seconds)
            ours_cpu.append(cpu)
        rows = [json.loads(line) for line in dst.read_text(encoding="utf-8").splitlines()]
    ours = {r["id"]: r.get("text", "") for r in rows}
    q_ours, q_anchor = score(gold, ours), score(gold, anchor)
    ours_rate = len(pages) / statistics.median(ours_s)
    bare_rate = len(pages) / statistics.median(bare_s)
    speedup = ours_rate / bare_rate
    result = {
        "pages": len(pages),
        "manysides": q_ours,
        "anchor_trafilatura": q_anchor,
        "errors": sum(1 for r in rows if "error" in r),
        "manysides_pages_per_s": round(ours_rate, 1),
        "anchor_pages_per_s": round(bare_rate, 1),
        "speedup": round(speedup, 2),
        "runs_s": {
            "manysides": [round(x, 2) for x in ours_s],
            "anchor": [round(x, 2) for x in bare_s],
        },
        "cpu_s": {
            "manysides": [round(x, 2) for x in ours_cpu],
            "anchor": [round(x, 2) for x in bare_cpu],
        },
        # CPU cost per page relative to the anchor, and the speed-up it allows on 2 free cores
        "cpu_ratio": round(statistics.median(ours_cpu) / statistics.median(bare_cpu), 2),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "targets": {"f1": TARGET_F1, "precision": TARGET_PRECISION, "speedup": TARGET_SPEEDUP},
        "met": {
            "quality": q_ours["f1"] >= TARGET_F1 and q_ours["precision"] >= TARGET_PRECISION,
            "speed": speedup >= TARGET_SPEEDUP,
        },
    }
    path = save("extract", result)
    print(json.dumps(result, indent=2))
    print(f"saved {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
