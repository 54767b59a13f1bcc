"""Bundle a dated snapshot of Kagi's maintained feed list and map it onto the shipped catalog.

    .venv/bin/python -m benchmarks.build_kite_snapshot --git-dir /path/kite-public.git \
        [--taken 2026-12-02] [--apply-catalog]

Reads ``kite_feeds.json``, ``media_data.json`` and ``LICENSE`` at ``HEAD`` of a clone (or
mirror) of ``kagisearch/kite-public`` and writes ``src/manysides/data/kite/``:

- ``kite_feeds.json.gz``: every category with its type, source language and feeds (the
  translated display names are left out), byte for byte reproducible (gzip mtime 0);
- ``media_data.json.gz``: every outlet with organization, domains, country, owner and
  typology (the descriptions are left out);
- ``snapshot.json``: repository, commit, commit date, the date it was taken, counts;
- ``NOTICE``: Kagi's MIT licence and what was kept.

``--apply-catalog`` then runs ``manysides.kite.plan_import`` over the shipped
``data/sources.toml`` and writes its changes into that file with tomlkit (comments kept),
so every shipped feed records its provenance; each shipped source also records
``language = "en"`` (the shipped catalog is English-language by design).
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .common import REPO

OUT = REPO / "src" / "manysides" / "data" / "kite"
CATALOG = REPO / "src" / "manysides" / "data" / "sources.toml"
NOTICE = """\
Kagi News maintained feed list: a snapshot of kagisearch/kite-public
  {url}
  commit {commit} ({date}), taken {taken}

kite_feeds.json.gz holds the {categories} categories of kite_feeds.json ({feeds} feed
URLs) with their type, source language and feeds; the translated display names are left
out. media_data.json.gz holds the {outlets} outlets of media_data.json with their
organization, domains, country, owner and typology; the descriptions are left out.
Nothing else is changed. manysides uses them in `manysides sources import kite` and to
record where each shipped feed comes from (docs/sources.md).

The files are used under the repository's MIT licence, reproduced here:

{license}"""


def _git(git_dir: Path, *args: str) -> bytes:
    return subprocess.run(
        ["git", f"--git-dir={git_dir}", *args], check=True, capture_output=True
    ).stdout


def _gz(data: Any) -> bytes:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def build(git_dir: Path, taken: str) -> dict[str, Any]:
    commit = _git(git_dir, "rev-parse", "HEAD").decode().strip()
    date = _git(git_dir, "show", "-s", "--format=%cs", "HEAD").decode().strip()
    feeds = json.loads(_git(git_dir, "show", "HEAD:kite_feeds.json"))
    media = json.loads(_git(git_dir, "show", "HEAD:media_data.json"))
    license_text = _git(git_dir, "show", "HEAD:LICENSE").decode("utf-8")
    slim_feeds = {
        name: {
            "category_type": body.get("category_type", "topic"),
            "source_language": body.get("source_language", ""),
            "feeds": body.get("feeds", []),
        }
        for name, body in feeds.items()
    }
    keep = ("country", "organization", "domains", "owner", "typology")
    slim_media = [{k: item.get(k, "") for k in keep} for item in media]
    n_feeds = sum(len(b["feeds"]) for b in slim_feeds.values())
    info = {
        "repository": "https://github.com/kagisearch/kite-public",
        "commit": commit,
        "commit_date": date,
        "taken": taken,
        "license": "MIT",
        "categories": len(slim_feeds),
        "feed_urls": n_feeds,
        "unique_feed_urls": len({u for b in slim_feeds.values() for u in b["feeds"]}),
        "outlets": len(slim_media),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "kite_feeds.json.gz").write_bytes(_gz(slim_feeds))
    (OUT / "media_data.json.gz").write_bytes(_gz(slim_media))
    (OUT / "snapshot.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    (OUT / "NOTICE").write_text(
        NOTICE.format(
            url=info["repository"],
            commit=commit,
            date=date,
            taken=taken,
            categories=len(slim_feeds),
            feeds=n_feeds,
            outlets=len(slim_media),
            license=license_text,
        ),
        encoding="utf-8",
    )
    return info


def apply_catalog() -> dict[str, int]:
    """Write the bundled snapshot's plan into the shipped catalog file."""
    import tomlkit

    from manysides import kite
    from manysides.sources import apply_to_document, parse_catalog

    kite.bundled.cache_clear()
    text = CATALOG.read_text(encoding="utf-8")
    sources = [
        dataclasses.replace(s, language=s.language or "en")
        for s in parse_catalog(text, "built-in catalog")
    ]
    plan = kite.plan_import(sources, kite.bundled())
    changes = {s.id: {"language": s.language} | plan.changes.get(s.id, {}) for s in sources}
    doc = tomlkit.parse(text)
    apply_to_document(doc, changes)
    out = re.sub(r"(?<=[^\n])\n(?=\[sources\.)", "\n\n", tomlkit.dumps(doc))  # tables apart
    parse_catalog(out, "built-in catalog")  # still loads
    CATALOG.write_text(out, encoding="utf-8")
    return plan.counts()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--git-dir", type=Path, required=True, help="kite-public git dir")
    parser.add_argument("--taken", default=datetime.now(UTC).date().isoformat())
    parser.add_argument("--apply-catalog", action="store_true")
    args = parser.parse_args()
    info = build(args.git_dir, args.taken)
    print(json.dumps(info, indent=2))
    if args.apply_catalog:
        print(json.dumps(apply_catalog(), indent=2))


if __name__ == "__main__":
    main()
