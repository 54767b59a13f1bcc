"""The local engine: the backfill plan on this machine's worker processes.

``records`` reads each shard here and sends its batches to the workers (extract, then
quotes, then the batch's Parquet files, staged; each worker loads the spaCy model once),
at most two batches per worker in flight (the one worker pool, ``manysides.workers``),
so memory is bounded by the batch size. The band join partitions band rows by
hash into files on disk (``.bands/``) and verifies one partition per task; the windows
are one task each. With one worker everything runs in this process.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .groups import Pair, band_rows, group_pairs, seq_of
from .output import BackfillDir
from .run import run_window
from .stages import process_batch, read_batches

if TYPE_CHECKING:
    from ..config import Config, DedupeConfig
    from .output import Part
    from .records import Shard
    from .windows import WindowResult, WindowTask

T = TypeVar("T")
R = TypeVar("R")
# a band partition is read whole by one task: ~40k rows is ~30 MB of Python rows (the
# signature repeats in each of an article's band rows); files open at once are capped
BAND_ROWS_PER_PARTITION = 40_000
MAX_PARTITIONS = 1024
SCAN_ROWS = 1024  # articles turned into band rows at a time (about 22 rows each)


class LocalEngine:
    def __init__(self, config: Config, workers: int = 0) -> None:
        from ..workers import WorkerPool

        self.config = config
        self.pool = WorkerPool(workers or config.workers.processes)

    def _ordered(self, fn: Callable[[T], R], jobs: Iterable[T]) -> Iterator[R]:
        """``fn`` over ``jobs`` in the workers, results in order, two per worker in flight."""
        return self.pool.map(fn, jobs, window=2 * self.pool.processes)

    # -- the engine ------------------------------------------------------------------
    def records(
        self, shards: Sequence[Shard], batch_size: int, out: BackfillDir, run: str
    ) -> Iterator[list[Part]]:
        batches = (batch for shard in shards for batch in read_batches(shard, batch_size))
        work = partial(process_batch, config=self.config, root=out.root, run=run)
        return self._ordered(work, batches)

    def pairs(self, out: BackfillDir, rank: dict[str, int]) -> Iterable[Pair]:
        spill = out.root / ".bands"
        shutil.rmtree(spill, ignore_errors=True)
        spill.mkdir()
        try:
            files = _partition_bands(out, rank, self.config.dedupe, spill)
            work = partial(_partition_pairs, config=self.config.dedupe)
            return [pair for found in self._ordered(work, files) for pair in found]
        finally:
            shutil.rmtree(spill, ignore_errors=True)

    def windows(self, out: BackfillDir, tasks: Sequence[WindowTask]) -> list[WindowResult]:
        work = partial(run_window, out.root, config=self.config)
        return list(self._ordered(work, tasks))

    def close(self) -> None:
        self.pool.close()


def _band_schema():  # type: ignore[no-untyped-def]
    import pyarrow as pa

    return pa.schema(
        [
            ("band", pa.int64()),
            ("seq", pa.int64()),
            ("exact", pa.bool_()),
            ("signature", pa.binary()),
        ]
    )


def _partition_bands(
    out: BackfillDir, rank: dict[str, int], config: DedupeConfig, spill: Path
) -> list[Path]:
    """Hash-partition every article's band rows into files (an on-disk group-by)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    total = sum(s.articles for s in (out.read_manifest() or _empty()).shards)
    bands = 2 + 20  # fingerprint + bands, generously
    partitions = min(MAX_PARTITIONS, max(1, -(-total * bands // BAND_ROWS_PER_PARTITION)))
    schema = _band_schema()
    writers: dict[int, pq.ParquetWriter] = {}
    columns = ["shard", "ordinal", "signature", "fingerprint"]
    try:
        for rows in out.scan("articles", columns, batch_rows=SCAN_ROWS):
            keyed = [
                {"seq": seq_of(rank[r["shard"]], r["ordinal"])} | r
                for r in rows
                if r["shard"] in rank
            ]
            parts: dict[int, list[dict[str, Any]]] = {}
            for band in band_rows(keyed, config):
                parts.setdefault(band["band"] % partitions, []).append(band)
            for part, members in parts.items():
                if part not in writers:
                    writers[part] = pq.ParquetWriter(spill / f"part-{part:05d}.parquet", schema)
                writers[part].write_table(pa.Table.from_pylist(members, schema=schema))
    finally:
        for writer in writers.values():
            writer.close()
    return sorted(spill / f"part-{p:05d}.parquet" for p in writers)


def _empty():  # type: ignore[no-untyped-def]
    from .output import Manifest

    return Manifest("")


def _partition_pairs(path: Path, config: DedupeConfig) -> list[Pair]:
    """One band partition: group by band, verify each group (a worker task)."""
    import pyarrow.parquet as pq

    groups: dict[int, list[dict[str, Any]]] = {}
    for row in pq.read_table(path).to_pylist():
        groups.setdefault(row["band"], []).append(row)
    return [pair for members in groups.values() for pair in group_pairs(members, config)]
