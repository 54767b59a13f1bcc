"""Issue 3 benchmark: dropping boilerplate lines from plain text (line-level F1).

Data: ``lines-turku/en-{dev,train}.json`` (``[{"text": [lines], "labels": ["0"/"1"]}]``).
Label ``"0"`` marks noise (menus, separators, "Back to top", sidebars, forum furniture),
``"1"`` clean text; the positive class here is *noise*: a line counts as a true positive
when manysides removes it and it is labelled ``"0"``. Lines the cleaner removes because they
are blank count as removed.

Also scores the example page (``examples/theweek-page.txt``): the article is the first
five lines (title, blank lines, three paragraphs); every other non-blank line is a promo,
bio, slogan or related story and must go.

Anchor in the same run: "drop every line with fewer than 5 words that does not end like a
sentence", the usual quick heuristic.

    .venv/bin/python -m benchmarks.bench_lines [--data DIR]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from .common import data_dir, save

TARGET_F1 = 0.90
_WORD = re.compile(r"\w+")
_END = re.compile(r"[.!?][\"'”’)]*$")
ARTICLE_LINES = 6  # the example page: title, two blank lines, three paragraphs


def anchor_noise(lines: list[str]) -> list[bool]:
    return [len(_WORD.findall(x)) < 5 and not _END.search(x.strip()) for x in lines]


def ours_noise(lines: list[str]) -> list[bool]:
    from manysides.extract.text import classify_lines

    return [rule is not None for rule in classify_lines(lines, plain=True)]


def prf(docs: list[dict[str, Any]], predict: Any) -> dict[str, float]:
    tp = fp = fn = 0
    for doc in docs:
        for label, pred in zip(doc["labels"], predict(doc["text"]), strict=True):
            noise = label == "0"
            tp += noise and pred
            fp += pred and not noise
            fn += noise and not pred
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f, 4),
        "lines": tp + fp + fn,
    }


def example_page(path: Path) -> dict[str, Any]:
    from manysides.extract.text import clean_lines

    lines = path.read_text(encoding="utf-8").splitlines()
    article = [x.strip() for x in lines[:ARTICLE_LINES] if x.strip()]
    boiler = [x.strip() for x in lines[ARTICLE_LINES:] if x.strip()]
    kept, removed = clean_lines(lines, plain=True)
    gone = {r.text for r in removed}
    return {
        "article_lines": len(article),
        "article_lines_kept": sum(1 for x in article if x in kept),
        "boilerplate_lines": len(boiler),
        "boilerplate_lines_removed": sum(1 for x in boiler if x in gone),
        "rules": sorted({r.rule for r in removed}),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="shared data folder (default ../shared/data)")
    args = parser.parse_args(argv)
    root = data_dir(args.data)
    result: dict[str, Any] = {"target_f1": TARGET_F1}
    for split in ("dev", "train"):
        docs = json.loads((root / "lines-turku" / f"en-{split}.json").read_text(encoding="utf-8"))
        result[f"turku_{split}"] = {
            "manysides": prf(docs, ours_noise),
            "anchor": prf(docs, anchor_noise),
        }
    result["example_page"] = example_page(root / "examples" / "theweek-page.txt")
    ex = result["example_page"]
    result["met"] = {
        "turku_dev_f1": result["turku_dev"]["manysides"]["f1"] >= TARGET_F1,
        "example_page": ex["article_lines"] == ex["article_lines_kept"]
        and ex["boilerplate_lines"] == ex["boilerplate_lines_removed"],
    }
    path = save("lines", result)
    print(json.dumps(result, indent=2))
    print(f"saved {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
