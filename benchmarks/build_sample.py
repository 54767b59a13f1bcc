"""Build the sample week shipped with the package from ``corpus-abp``.

    .venv/bin/python -m benchmarks.build_sample [--data DIR] [--start 2020-05-18] [--end 2020-05-24]

Writes ``src/manysides/data/sample/``:

- ``articles.jsonl.gz``: every ``corpus-abp`` article dated ``--start``..``--end`` (inclusive)
  with a title and text, byte for byte reproducible (sorted by date then id, gzip mtime 0);
- ``sources.toml``: one catalog entry per outlet, named as in the corpus, with the domains its
  article URLs use and its AllSides leaning from the corpus. An outlet whose every URL host is
  already claimed by a larger outlet (e.g. "New York Times - Opinion" on nytimes.com) is folded
  into it, because manysides attributes an article to an outlet by its URL;
- ``NOTICE``: the credit and licence of the dataset (Apache-2.0).

``manysides brief --sample`` builds its briefing from these files (``manysides/sample.py``).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .common import REPO, data_dir

OUT = REPO / "src" / "manysides" / "data" / "sample"
SECTION_NAME = re.compile(r"opinion|editorial|fact check", re.IGNORECASE)
KEEP = ("id", "source", "source_url", "url", "title", "date", "authors", "topic", "leaning", "text")
NOTICE = """\
manysides sample week: {n} news articles from {outlets} outlets, dated {start} to {end}.

The articles, their outlets' names and leanings are a slice of the Article-Bias-Prediction
dataset, unchanged except that only these fields are kept: {fields}.

  Ramy Baly, Giovanni Da San Martino, James Glass and Preslav Nakov. 2020.
  "We Can Detect Your Bias: Predicting the Political Ideology of News Articles."
  Proceedings of the 2020 Conference on Empirical Methods in Natural Language Processing
  (EMNLP), pages 4982-4991.
  https://github.com/ramybaly/Article-Bias-Prediction

The dataset is distributed under the Apache License, Version 2.0
(https://www.apache.org/licenses/LICENSE-2.0). The leanings are AllSides media bias ratings
(left, center, right) as the dataset records them. The copyright in each article remains with
its publisher.

Built by benchmarks/build_sample.py from corpus-abp/articles.jsonl.gz.
"""


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "outlet"


def domain_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return re.sub(r"^www\d*\.", "", host)


def load(src: Path, start: str, end: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with gzip.open(src, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            day = (rec.get("date") or "")[:10]
            if start <= day <= end and rec.get("title") and rec.get("text") and rec.get("url"):
                rows.append({k: rec.get(k, "") for k in KEEP})
    rows.sort(key=lambda r: (r["date"], r["id"]))
    return rows


def catalog(rows: list[dict[str, Any]]) -> tuple[str, dict[str, str]]:
    """The sample's sources.toml and the folded outlets (name -> outlet it went into)."""
    sizes = Counter(r["source"] for r in rows)
    hosts: dict[str, Counter[str]] = defaultdict(Counter)
    leanings: dict[str, Counter[str]] = defaultdict(Counter)
    for r in rows:
        hosts[r["source"]][domain_of(r["url"])] += 1
        leanings[r["source"]][r["leaning"] or "unrated"] += 1
    owner: dict[str, str] = {}
    folded: dict[str, str] = {}
    entries: list[str] = []

    # An outlet's section ("New York Times - Opinion", "AP Fact Check") never owns the
    # outlet's domain before the outlet itself does.
    def order(kv: tuple[str, int]) -> tuple[bool, int, str]:
        return (bool(SECTION_NAME.search(kv[0])), -kv[1], kv[0])

    for name, _n in sorted(sizes.items(), key=order):
        mine = [d for d, _ in hosts[name].most_common() if d and d not in owner]
        if not mine:
            folded[name] = owner[hosts[name].most_common(1)[0][0]]
            continue
        for d in mine:
            owner[d] = name
        leaning = leanings[name].most_common(1)[0][0]
        entries.append(
            f"[sources.{slug(name)}]\n"
            f"name = {json.dumps(name)}\n"
            f"domains = {json.dumps(mine)}\n"
            f'leaning = "{leaning if leaning in ("left", "center", "right") else "unrated"}"\n'
            'leaning_provenance = "AllSides rating in corpus-abp (Baly et al., EMNLP 2020)"\n'
        )
    head = (
        "# The outlets of the manysides sample week (see NOTICE), built by\n"
        "# benchmarks/build_sample.py. No feeds: the sample is read from articles.jsonl.gz.\n"
    )
    if folded:
        head += "# Folded into the outlet that owns their URLs: " + "; ".join(
            f"{a} -> {b}" for a, b in sorted(folded.items())
        )
        head += "\n"
    return head + "\n" + "\n".join(entries), folded


def write_gzip(path: Path, text: str) -> None:
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(text.encode("utf-8"))
    path.write_bytes(buf.getvalue())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data")
    ap.add_argument("--start", default="2020-05-18")
    ap.add_argument("--end", default="2020-05-24")
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args()
    rows = load(data_dir(args.data) / "corpus-abp" / "articles.jsonl.gz", args.start, args.end)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    text = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)
    write_gzip(out / "articles.jsonl.gz", text)
    toml, folded = catalog(rows)
    (out / "sources.toml").write_text(toml, encoding="utf-8")
    outlets = len({r["source"] for r in rows})
    (out / "NOTICE").write_text(
        NOTICE.format(
            n=len(rows), outlets=outlets, start=args.start, end=args.end, fields=", ".join(KEEP)
        ),
        encoding="utf-8",
    )
    size = (out / "articles.jsonl.gz").stat().st_size
    print(
        f"{len(rows)} articles from {outlets} outlets ({len(folded)} folded by URL),"
        f" {size / 1024:.0f} KB gzipped -> {out}"
    )


if __name__ == "__main__":
    main()
