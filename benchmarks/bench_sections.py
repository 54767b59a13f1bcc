"""Issue 12 item 10: the section classifier (``perspectives/section.py``) against
corpus-abp's ``topic`` labels, with a majority-class baseline in the same run.

corpus-abp labels each article with one of ~110 AllSides topics. Topics that name one of
our sections without doubt are mapped to it (``MAPPING``); the others (``politics``,
``coronavirus``, ``healthcare``, ``media_bias``, ``taxes``, ``foreign_policy``,
``terrorism``, ...) can fall in several sections and are left out, not guessed. From the
mapped articles, ``--per-section`` (default 400) per section are drawn with a fixed
seed, so the four classes are balanced and the majority-class baseline is 0.25. Each
article is classified alone, as a one-article story (title as headline, its text):
accuracy, per-section precision/recall, the confusion matrix and per-topic accuracy are
printed and saved to ``benchmarks/out/sections.json``.

    .venv/bin/python -m benchmarks.bench_sections [--data DIR] [--per-section 400] [--seed 12]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import time
from collections import Counter, defaultdict
from typing import Any

from .common import data_dir, save

SECTIONS = ("US", "World", "Business", "Science & Tech")
MAPPING: dict[str, str] = {
    # US: domestic politics and institutions
    **dict.fromkeys(
        """elections white_house us_senate us_house us_congress supreme_court
        gun_control_and_gun_rights immigration impeachment fbi justice_department
        republican_party democratic_party campaign_finance voting_rights_and_voter_fraud
        abortion criminal_justice""".split(),
        "US",
    ),
    # World: other countries and regions
    **dict.fromkeys(
        """world middle_east north_korea russia great_britain china europe israel mexico
        asia palestine africa south_korea""".split(),
        "World",
    ),
    # Business: the economy, markets, companies, trade
    **dict.fromkeys("economy_and_jobs banking_and_finance business trade".split(), "Business"),
    # Science & Tech
    **dict.fromkeys("technology science cybersecurity environment".split(), "Science & Tech"),
}


def load(per_section: int, seed: int) -> list[dict[str, Any]]:
    by_section: dict[str, list[dict[str, Any]]] = defaultdict(list)
    with gzip.open(data_dir() / "corpus-abp" / "articles.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            section = MAPPING.get(rec.get("topic") or "")
            if section and (rec.get("text") or "").strip():
                by_section[section].append(rec)
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    for section in SECTIONS:
        pool = sorted(by_section[section], key=lambda r: str(r.get("id")))
        rows += rng.sample(pool, min(per_section, len(pool)))
    return rows


def main(argv: list[str] | None = None) -> None:
    from manysides.perspectives import StoryArticle
    from manysides.perspectives.section import classify_section

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="shared data folder (default ../shared/data)")
    parser.add_argument("--per-section", type=int, default=400)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args(argv)
    if args.data:
        os.environ["MANYSIDES_SHARED_DATA"] = args.data
    rows = load(args.per_section, args.seed)
    gold = [MAPPING[r["topic"]] for r in rows]
    start = time.process_time()
    pred = [
        classify_section(
            r.get("title") or "",
            [StoryArticle(id=1, title=r.get("title") or "", text=r.get("text") or "")],
        )
        for r in rows
    ]
    cpu = time.process_time() - start
    n = len(rows)
    accuracy = sum(g == p for g, p in zip(gold, pred, strict=True)) / n
    majority_label, majority_n = Counter(gold).most_common(1)[0]
    confusion = {g: Counter() for g in SECTIONS}
    for g, p in zip(gold, pred, strict=True):
        confusion[g][p] += 1
    per_section = {}
    for s in SECTIONS:
        tp = confusion[s][s]
        predicted = sum(confusion[g][s] for g in SECTIONS)
        actual = sum(confusion[s].values())
        per_section[s] = {
            "precision": round(tp / predicted, 3) if predicted else 0.0,
            "recall": round(tp / actual, 3) if actual else 0.0,
            "n": actual,
        }
    by_topic: dict[str, list[bool]] = defaultdict(list)
    for r, g, p in zip(rows, gold, pred, strict=True):
        by_topic[r["topic"]].append(g == p)
    topics = {
        t: {"n": len(v), "accuracy": round(sum(v) / len(v), 3)}
        for t, v in sorted(by_topic.items(), key=lambda kv: -len(kv[1]))
    }
    result = {
        "articles": n,
        "per_section": args.per_section,
        "seed": args.seed,
        "accuracy": round(accuracy, 4),
        "majority_baseline": round(majority_n / n, 4),
        "majority_label": majority_label,
        "sections": per_section,
        "confusion": {g: dict(c) for g, c in confusion.items()},
        "topics": topics,
        "cpu_seconds": round(cpu, 2),
        "load_average": os.getloadavg(),
    }
    path = save("sections", result)
    print(f"{n} articles, accuracy {accuracy:.3f}; majority-class baseline {majority_n / n:.3f}")
    for s, m in per_section.items():
        print(f"  {s:15} precision {m['precision']:.3f} recall {m['recall']:.3f} (n={m['n']})")
    print("  confusion (gold -> predicted):")
    for g in SECTIONS:
        print(f"    {g:15} " + ", ".join(f"{p} {confusion[g][p]}" for p in SECTIONS))
    print(f"  cpu {cpu:.1f} s; load average {os.getloadavg()}; written to {path}")


if __name__ == "__main__":
    main()
