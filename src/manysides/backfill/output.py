"""The backfill folder: Parquet datasets partitioned by date, and the shard manifest.

::

    DIR/manifest.json                      finished shards, in archive order; settings
    DIR/articles/date=2019-05-14/<shard>-<batch>.parquet
    DIR/entities/…  DIR/quotes/…  DIR/errors/…          written per shard batch
    DIR/report_groups/…  DIR/stories/…  DIR/story_articles/…   written once all shards are

The workers write the per-shard files (``stage_rows``) into ``DIR/.staging`` under
names of this run; the driver publishes them in archive order (``publish``: renames,
no encoding) and a shard enters the manifest only after all its files are in place, so
a run killed at any point leaves finished shards (kept), at most the files of unfinished
ones (deleted and redone by the next run) and staged files no reader sees (cleared).
A file's name is its shard and first record (``<shard>-<ordinal>.parquet``): unique,
and the same whatever the number of local workers. The archive-wide datasets are rebuilt from the per-shard ones on every
run and swapped in whole. Any Parquet reader takes the folders as hive-partitioned
datasets (``date`` is the partition column).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import UserError
from .records import Shard, dataset_schemas, split_rows

if TYPE_CHECKING:
    import pyarrow as pa
    import pyarrow.dataset as pads

    from ..config import Config

FORMAT = 1
STAGING = ".staging"
PER_SHARD = ("articles", "entities", "quotes", "errors")
ARCHIVE_WIDE = ("report_groups", "stories", "story_articles")


def settings_of(config: Config) -> str:
    """A digest of the settings that shape the output (a re-run must use the same)."""
    parts = [repr(config.extract), repr(config.dedupe), repr(config.stories), repr(config.quotes)]
    return hashlib.sha1("\n".join(parts).encode("utf-8")).hexdigest()[:16]


def shard_of(path: Path) -> Shard:
    digest = hashlib.sha1(str(path.resolve()).encode("utf-8")).hexdigest()[:12]
    return Shard(digest, path)


@dataclass(frozen=True, slots=True)
class Part:
    """One shard's records of a batch, staged by a worker for the driver to publish.

    ``files``: (staged name, final path relative to the backfill folder) pairs.
    """

    shard: str
    first: int  # ordinal of its first record
    records: int
    articles: int
    errors: int
    files: tuple[tuple[str, str], ...]

    def to_row(self) -> dict[str, Any]:
        return {
            "shard": self.shard,
            "first": self.first,
            "records": self.records,
            "articles": self.articles,
            "errors": self.errors,
            "files": json.dumps(self.files),
        }

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Part:
        files = tuple((staged, final) for staged, final in json.loads(row["files"]))
        return cls(
            row["shard"], row["first"], row["records"], row["articles"], row["errors"], files
        )


def by_shard(rows: list[dict[str, Any]]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Consecutive runs of rows of one shard."""
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i]["shard"] != rows[start]["shard"]:
            yield rows[start]["shard"], rows[start:i]
            start = i


@dataclass(slots=True)
class ShardDone:
    id: str
    path: str
    records: int = 0
    articles: int = 0
    errors: int = 0


@dataclass(slots=True)
class Manifest:
    settings: str
    shards: list[ShardDone] = field(default_factory=list)
    complete: bool = False  # the archive-wide datasets match the shards

    def rank(self) -> dict[str, int]:
        return {s.id: n for n, s in enumerate(self.shards)}


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


class BackfillDir:
    """One backfill's output folder."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    @property
    def manifest_path(self) -> Path:
        return self.root / "manifest.json"

    # -- manifest ------------------------------------------------------------------
    def open(self, settings: str) -> Manifest:
        """The manifest of a (possibly resumed) backfill made with these settings."""
        self.root.mkdir(parents=True, exist_ok=True)
        found = self.read_manifest()
        if found is None:
            found = Manifest(settings)
            self.save(found)
        elif found.settings != settings:
            raise UserError(
                f"{self.root} holds a backfill made with other extract/dedupe/stories/quotes"
                " settings; use a new --out folder (or the settings it was made with)"
            )
        for name in PER_SHARD + ARCHIVE_WIDE:
            (self.root / name).mkdir(exist_ok=True)
        return found

    def read_manifest(self) -> Manifest | None:
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise UserError(f"{self.manifest_path}: unreadable manifest ({exc})") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise UserError(f"{self.manifest_path}: not a manysides backfill manifest")
        return Manifest(
            data["settings"], [ShardDone(**s) for s in data["shards"]], bool(data["complete"])
        )

    def save(self, manifest: Manifest) -> None:
        data = {
            "format": FORMAT,
            "settings": manifest.settings,
            "complete": manifest.complete,
            "shards": [
                {"id": s.id, "path": s.path, "records": s.records}
                | {"articles": s.articles, "errors": s.errors}
                for s in manifest.shards
            ],
        }
        _write_atomic(self.manifest_path, json.dumps(data, indent=1).encode("utf-8"))

    # -- per-shard datasets ----------------------------------------------------------
    def clear_shard(self, shard_id: str) -> None:
        """Remove what an interrupted run left of a shard."""
        for name in PER_SHARD:
            for path in (self.root / name).glob(f"date=*/{shard_id}-*.parquet"):
                path.unlink()

    def stage_rows(self, rows: list[dict[str, Any]], run: str) -> list[Part]:
        """Write finished in-flight rows as Parquet files into the staging folder, a file
        per dataset, shard and date partition (a worker's job); readers see none of them
        until the driver ``publish``es the parts. ``run`` keeps the runs' files apart."""
        staging = self.root / STAGING
        staging.mkdir(exist_ok=True)
        parts: list[Part] = []
        for shard_id, segment in by_shard(rows):
            stem = f"{shard_id}-{segment[0]['ordinal']:08d}"
            tables = split_rows(segment)
            files: list[tuple[str, str]] = []
            for name, table_rows in tables.items():
                by_date: dict[str, list[dict[str, Any]]] = {}
                for row in table_rows:
                    by_date.setdefault(row["date"], []).append(row)
                for date, part in by_date.items():
                    staged = f"{run}.{name}.{date}.{stem}.parquet"
                    _write_parquet(name, part, staging / staged)
                    files.append((staged, f"{name}/date={date}/{stem}.parquet"))
            parts.append(
                Part(
                    shard_id,
                    segment[0]["ordinal"],
                    len(segment),
                    len(tables["articles"]),
                    len(tables["errors"]),
                    tuple(files),
                )
            )
        return parts

    def publish(self, part: Part) -> None:
        """Move a staged part's files into their partitions (the driver, in order)."""
        for staged, final in part.files:
            target = self.root / final
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.root / STAGING / staged, target)

    def clear_staging(self) -> None:
        shutil.rmtree(self.root / STAGING, ignore_errors=True)

    # -- archive-wide datasets -------------------------------------------------------
    def replace_dataset(self, name: str, schema: pa.Schema, rows: Iterator[dict[str, Any]]) -> None:
        """Write a whole archive-wide dataset beside the old one, then swap it in."""
        import pyarrow.parquet as pq

        fresh = self.root / f".{name}.new"
        shutil.rmtree(fresh, ignore_errors=True)
        fresh.mkdir()
        file_schema = schema.remove(schema.get_field_index("date"))
        writers: dict[str, pq.ParquetWriter] = {}
        pending: dict[str, list[dict[str, Any]]] = {}
        try:
            for row in rows:
                part = pending.setdefault(row["date"], [])
                part.append(row)
                if len(part) >= 10_000:
                    self._flush(fresh, file_schema, writers, row["date"], part)
            for date, part in pending.items():
                if part:
                    self._flush(fresh, file_schema, writers, date, part)
        finally:
            for writer in writers.values():
                writer.close()
        old = self.root / f".{name}.old"
        shutil.rmtree(old, ignore_errors=True)
        target = self.root / name
        if target.exists():
            os.replace(target, old)
        os.replace(fresh, target)
        shutil.rmtree(old, ignore_errors=True)

    @staticmethod
    def _flush(folder, file_schema, writers, date, part) -> None:  # type: ignore[no-untyped-def]
        import pyarrow as pa
        import pyarrow.parquet as pq

        if date not in writers:
            (folder / f"date={date}").mkdir()
            writers[date] = pq.ParquetWriter(
                folder / f"date={date}" / "part-0.parquet", file_schema, compression="zstd"
            )
        table = pa.Table.from_pylist(
            [{k: r[k] for k in file_schema.names} for r in part], schema=file_schema
        )
        writers[date].write_table(table)
        part.clear()

    # -- reading ---------------------------------------------------------------------
    def dataset(self, name: str, dates: Sequence[str] | None = None) -> pads.Dataset:
        """A dataset of this backfill as pyarrow sees it (``date`` a string column);
        ``dates``: only those partitions (their files alone are listed, not the archive's)."""
        import pyarrow as pa
        import pyarrow.dataset as ds

        schema = all_schemas()[name]
        source: Any = self.root / name
        if dates is not None:
            source = [
                str(path)
                for date in sorted(set(dates))
                for path in sorted((source / f"date={date}").glob("*.parquet"))
            ]
        return ds.dataset(
            source,
            format="parquet",
            schema=schema,
            partitioning=ds.partitioning(pa.schema([("date", pa.string())]), flavor="hive"),
            partition_base_dir=str(self.root / name),
            exclude_invalid_files=False,
            ignore_prefixes=[".", "_"],
        )

    def scan(
        self,
        name: str,
        columns: Sequence[str] | dict[str, Any],
        filter: Any = None,
        batch_rows: int = 8192,
        dates: Sequence[str] | None = None,
    ) -> Iterator[list[dict[str, Any]]]:
        """Rows of a dataset in batches (memory bounded by ``batch_rows``); ``columns``
        names columns or maps names to expressions (pyarrow's scanner projection);
        ``dates``: read only those partitions."""
        wanted = dict(columns) if isinstance(columns, dict) else list(columns)
        scanner = self.dataset(name, dates).scanner(
            columns=wanted, filter=filter, batch_size=batch_rows
        )
        for batch in scanner.to_batches():
            if batch.num_rows:
                yield batch.to_pylist()


def _write_parquet(name: str, rows: list[dict[str, Any]], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = all_schemas()[name]
    file_schema = schema.remove(schema.get_field_index("date"))
    table = pa.Table.from_pylist(
        [{k: r[k] for k in file_schema.names} for r in rows], schema=file_schema
    )
    pq.write_table(table, path, compression="zstd")


@lru_cache(maxsize=1)
def all_schemas() -> dict[str, pa.Schema]:
    import pyarrow as pa

    schemas = dataset_schemas()
    ts = pa.timestamp("s", tz="UTC")
    schemas["report_groups"] = pa.schema(
        [
            ("article_key", pa.string()),
            ("report_key", pa.string()),
            ("score", pa.float64()),  # null for a group's first article; 2.0 for an exact copy
            ("date", pa.string()),
        ]
    )
    schemas["stories"] = pa.schema(
        [
            ("story_id", pa.int64()),
            ("headline", pa.string()),
            ("first_seen", ts),
            ("last_updated", ts),
            ("articles", pa.int64()),
            ("outlets", pa.int64()),
            ("date", pa.string()),
        ]
    )
    schemas["story_articles"] = pa.schema(
        [("article_key", pa.string()), ("story_id", pa.int64()), ("date", pa.string())]
    )
    return schemas
