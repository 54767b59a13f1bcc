"""Issue 3 benchmark: near-duplicate (syndication) groups on corpus-abp (37,554 articles).

Every article's text is prepared as the ingest step prepares it: ``clean_text`` of the
record, then the outlet's learned template removed (``TemplateLearner``; here learned in
a first pass over the whole corpus, i.e. the steady state of a long-running store, since
some outlets in this corpus repeat hundreds of words of page furniture on every article).
Its MinHash signature is then looked up in a ``NearDuplicateIndex`` of the articles
before it; a match joins that group, otherwise the article starts its own. Exact copies
(``text_fingerprint``) are counted separately, as in ingestion. Reports the number of
groups with two or more members, the outlets they span, signature speed, and writes a
reproducible random sample of groups to ``benchmarks/out/syndication-sample.json`` for
the manual check in ``docs/syndication-check.md``.

Anchor in the same run: exact-duplicate grouping only (SHA-1 of the normalized text).

    .venv/bin/python -m benchmarks.bench_syndication [--data DIR] [--limit N] [--sample 50]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from .common import OUT, data_dir, save


def load(path: Path, limit: int | None) -> list[dict[str, Any]]:
    rows = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            rows.append(rec)
            if limit and len(rows) >= limit:
                break
    return rows


def prepare(rows: list[dict[str, Any]]) -> list[str]:
    """Texts as ingestion stores them: cleaned, then each outlet's template removed."""
    from manysides.config import ExtractConfig
    from manysides.extract import clean_text
    from manysides.extract.templates import TemplateLearner, strip_template

    cleaned = [clean_text(rec.get("text") or "") for rec in rows]
    learner = TemplateLearner(ExtractConfig())
    for rec, text in zip(rows, cleaned, strict=True):
        learner.observe(rec.get("source") or "", text)
    templates = {site: learner.template(site) for site in learner.sites()}
    return [
        strip_template(text, templates.get(rec.get("source") or "", frozenset()))
        for rec, text in zip(rows, cleaned, strict=True)
    ]


def group(rows: list[dict[str, Any]], texts: list[str], threshold: float) -> dict[str, Any]:
    from manysides.config import DedupeConfig
    from manysides.dedupe import NearDuplicateIndex, estimate_jaccard, text_fingerprint

    index = NearDuplicateIndex(DedupeConfig(threshold=threshold))
    by_hash: dict[str, int] = {}
    groups: dict[int, list[int]] = defaultdict(list)
    signatures: list[bytes] = []
    exact = near = 0
    sig_seconds = 0.0
    started = time.perf_counter()
    for i, text in enumerate(texts):
        t0 = time.perf_counter()
        sig = index.signature(text)
        sig_seconds += time.perf_counter() - t0
        signatures.append(sig)
        fp = text_fingerprint(text)
        gid = by_hash.get(fp)
        if gid is not None:
            exact += 1
        else:
            gid = index.find(sig)
            if gid is not None:
                near += 1
        if gid is None:
            gid = i
            by_hash[fp] = i
        groups[gid].append(i)
        index.add(i, gid, sig)
    seconds = time.perf_counter() - started
    multi = {g: m for g, m in groups.items() if len(m) > 1}
    return {
        "groups": multi,
        "signatures": signatures,
        "exact_copies": exact,
        "near_copies": near,
        "seconds": seconds,
        "signature_ms": 1000 * sig_seconds / max(1, len(rows)),
        "jaccard": estimate_jaccard,
        "texts": texts,
    }


def describe(rows: list[dict[str, Any]], res: dict[str, Any], sample: int) -> dict[str, Any]:
    multi: dict[int, list[int]] = res["groups"]
    sizes = sorted((len(m) for m in multi.values()), reverse=True)
    cross_outlet = [g for g, m in multi.items() if len({rows[i]["source"] for i in m}) > 1]
    rng = random.Random(3)
    picked = rng.sample(sorted(multi), min(sample, len(multi)))
    sig = res["signatures"]
    groups_out = []
    for g in picked:
        members = multi[g]
        groups_out.append(
            {
                "group": rows[g]["id"],
                "members": [
                    {
                        "id": rows[i]["id"],
                        "source": rows[i]["source"],
                        "title": rows[i]["title"],
                        "words": len((rows[i]["text"] or "").split()),
                        "jaccard_to_first": round(res["jaccard"](sig[g], sig[i]), 2),
                        "opening": " ".join(res["texts"][i].split()[:60]),
                    }
                    for i in members
                ],
            }
        )
    return {
        "articles": len(rows),
        "groups_2plus": len(multi),
        "articles_in_groups": sum(sizes),
        "cross_outlet_groups": len(cross_outlet),
        "largest_groups": sizes[:10],
        "exact_copies": res["exact_copies"],
        "near_copies": res["near_copies"],
        "seconds": round(res["seconds"], 1),
        "signature_ms_per_article": round(res["signature_ms"], 3),
        "sample": groups_out,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="shared data folder (default ../shared/data)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--sample", type=int, default=50, help="groups written for checking")
    parser.add_argument("--threshold", type=float, default=None, help="dedupe.threshold")
    args = parser.parse_args(argv)
    from manysides.config import DedupeConfig

    threshold = DedupeConfig().threshold if args.threshold is None else args.threshold
    rows = load(data_dir(args.data) / "corpus-abp" / "articles.jsonl.gz", args.limit)
    started = time.perf_counter()
    texts = prepare(rows)
    prepare_s = time.perf_counter() - started
    ours = describe(rows, group(rows, texts, threshold), args.sample)
    ours["threshold"] = threshold
    ours["prepare_seconds"] = round(prepare_s, 1)
    exact_only: dict[str, list[int]] = defaultdict(list)
    from manysides.dedupe import text_fingerprint

    started = time.perf_counter()
    for i, rec in enumerate(rows):
        exact_only[text_fingerprint(rec.get("text") or "")].append(i)
    anchor = {
        "groups_2plus": sum(1 for m in exact_only.values() if len(m) > 1),
        "seconds": round(time.perf_counter() - started, 1),
    }
    sample = ours.pop("sample")
    OUT.mkdir(parents=True, exist_ok=True)
    sample_path = OUT / "syndication-sample.json"
    sample_path.write_text(json.dumps(sample, indent=2, ensure_ascii=False), encoding="utf-8")
    result = {"manysides": ours, "anchor_exact_sha1": anchor, "sample_file": str(sample_path)}
    path = save("syndication", result)
    print(json.dumps(result, indent=2))
    print(f"saved {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
