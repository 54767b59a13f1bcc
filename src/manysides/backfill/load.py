"""``manysides load DIR``: a finished backfill into the SQLite store, through ``store/``.

Articles go in archive order (so a report group's first article is stored before its
copies, which point at it), with their MinHash signatures (later ingests then dedupe
against the archive), entities, quotes and story; stories keep their numbering, offset
past the store's highest id. One transaction per shard; the shards already loaded are
kept in the store's stage state, so an interrupted load resumes and a repeated one adds
nothing. The ``stories`` and ``quotes`` stages are marked done for the loaded articles.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import UserError
from ..records import Article
from .output import BackfillDir

if TYPE_CHECKING:
    from ..config import Config
    from ..pipeline.report import Report
    from ..store import Store

STATE = ("backfill_load", 1)
STORIES, QUOTES = ("stories", 1), ("quotes", 1)  # pipeline/stories.py, pipeline/quotes.py


@dataclass(slots=True)
class Loaded:
    shards: int = 0
    shards_skipped: int = 0
    articles: int = 0
    stories: int = 0
    quotes: int = 0


def load(root: Path, store: Store, config: Config, report: Report | None = None) -> Loaded:
    from ..pipeline.report import Report
    from ..sources import load_catalog

    report = report or Report(show_progress=False)
    folder = BackfillDir(root)
    manifest = folder.read_manifest()
    if manifest is None:
        raise UserError(f"{root}: no backfill here (no manifest.json)")
    if not manifest.complete:
        raise UserError(f"{root}: the backfill is not finished; run manysides backfill again")
    store.catalog.sync_sources(load_catalog(config.sources).sources)
    raw = store.runs.load_state(*STATE)
    state: dict[str, Any] = json.loads(raw) if raw else {}
    mine = state.setdefault(manifest.settings + ":" + str(root.resolve()), {})
    if "story_base" not in mine:
        mine["story_base"] = store.stories.max_id()
        mine["shards"] = []
    base = int(mine["story_base"])
    result = Loaded()
    story_of = {r["article_key"]: int(r["story_id"]) for r in _all(folder, "story_articles")}
    report_of = {
        r["article_key"]: r["report_key"]
        for r in _all(folder, "report_groups")
        if r["report_key"] != r["article_key"]
    }
    headlines = {int(r["story_id"]): r for r in _all(folder, "stories")}
    ids: dict[str, int] = {}
    done = set(mine["shards"])
    for shard in report.progress(manifest.shards, "load: shards"):
        if shard.id in done:
            result.shards_skipped += 1
            continue
        with store.transaction():
            rows = sorted(_shard_rows(folder, "articles", shard.id), key=lambda r: r["ordinal"])
            quotes = _by_article(_shard_rows(folder, "quotes", shard.id))
            entities = _by_article(_shard_rows(folder, "entities", shard.id))
            touched: set[int] = set()
            loaded: list[int] = []
            for row in rows:
                key = row["key"]
                root_key = report_of.get(key)
                report_id = ids.get(root_key) if root_key else None
                if root_key and report_id is None:
                    report_id = _stored_id(store, folder, root_key)
                saved = store.articles.save_article(
                    _article(row), report_id=report_id, fingerprint=row["fingerprint"]
                )
                ids[key] = saved.id
                if saved.status == "unchanged":
                    continue
                store.articles.save_minhash(saved.id, row["signature"])
                store.quotes.replace_for_article(
                    saved.id,
                    [
                        (e["label"], e["text"], e["canonical"], e["start"], e["end"])
                        for e in entities.get(key, [])
                    ],
                    [_quote(q) for q in quotes.get(key, [])],
                )
                result.quotes += len(quotes.get(key, []))
                story = story_of.get(key)
                if story is not None:
                    info = headlines[story]
                    seen = info["first_seen"].isoformat() if info["first_seen"] else ""
                    store.stories.create(base + story, info["headline"], seen)
                    store.stories.assign(saved.id, base + story)
                    touched.add(base + story)
                loaded.append(saved.id)
            for story_id in touched:
                store.stories.refresh(story_id, headlines[story_id - base]["headline"])
            store.runs.mark_done(*STORIES, loaded)
            store.runs.mark_done(*QUOTES, loaded)
            mine["shards"].append(shard.id)
            store.runs.save_state(*STATE, json.dumps(state).encode("utf-8"))
        result.shards += 1
        result.articles += len(loaded)
    result.stories = len(headlines)
    return result


def _all(folder: BackfillDir, name: str) -> list[dict[str, Any]]:
    return [r for rows in folder.scan(name, folder.dataset(name).schema.names) for r in rows]


def _shard_rows(folder: BackfillDir, name: str, shard_id: str) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    rows: list[dict[str, Any]] = []
    for path in sorted((folder.root / name).glob(f"date=*/{shard_id}-*.parquet")):
        rows.extend(pq.read_table(path).to_pylist())
    return rows


def _by_article(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(row["article_key"], []).append(row)
    return out


def _stored_id(store: Store, folder: BackfillDir, key: str) -> int | None:
    """The store id of an article loaded in an earlier, interrupted load."""
    import pyarrow.dataset as ds

    for rows in folder.scan("articles", ["fingerprint"], filter=ds.field("key") == key):
        for row in rows:
            return store.articles.find_by_hash(row["fingerprint"])
    return None


def _article(row: dict[str, Any]) -> Article:
    return Article(
        url=row["url"],
        title=row["title"] or "",
        text=row["text"] or "",
        canonical_url=row["canonical_url"] or "",
        authors=tuple(row["authors"] or ()),
        published=row["published"],
        site=row["site"] or "",
        source_id=row["source_id"],
        language=row["language"] or "",
    )


def _quote(row: dict[str, Any]) -> dict[str, Any]:
    keys = ("text", "start", "end", "speaker", "speaker_start", "speaker_end", "cue", "direct")
    return {k: row[k] for k in keys} | {"quote_key": row["quote_key"]}
