"""The Ray engine (the ``ray`` extra): the backfill plan as Ray Data and Ray tasks.

* records: ``from_items(shards)`` → ``map_batches(read)`` (a generator task per shard,
  streaming batches) → ``map_batches(extract)`` (stateless tasks) →
  ``map_batches(QuoteActor)`` (an actor pool; each actor loads spaCy once, analyzes its
  batches and writes their Parquet files, staged) → the driver, in order
  (``preserve_order``), which publishes the staged files and keeps the manifest. Ray
  re-batches the read's blocks (``batch_size``), so its files may be cut differently
  from the local engine's where a batch spans shards; their rows are the same;
* the band join: ``read_parquet(articles)`` → ``map_batches(band rows)`` →
  ``groupby("band").map_groups(verify)``: a shuffle on the band key, no single index;
* stories: one Ray task per time window.

Tasks are retried by Ray when a worker dies (``max_retries``; actors are restarted), so
a killed worker costs a redo of its batch, not the job. Without ``--ray-address`` a
local Ray is started (``workers`` CPUs, no dashboard); with one, the job joins that
cluster (``ray start`` / KubeRay), whose nodes must have manysides installed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import UserError
from .groups import Pair, band_rows, group_pairs, seq_of
from .local import BAND_ROWS_PER_PARTITION
from .output import Manifest
from .records import to_table
from .run import run_window
from .stages import extract_rows, quote_rows, read_batches

if TYPE_CHECKING:
    import pyarrow as pa

    from ..config import Config
    from .output import BackfillDir, Part
    from .records import Shard
    from .windows import WindowResult, WindowTask

RETRIES = 4
TASK_CPUS = 0.5  # extract tasks and quote actors share cores; Ray's CPUs are logical
BAND_FILES = 16  # articles files per band-row task


def _ray():  # type: ignore[no-untyped-def]
    try:
        import ray
    except ImportError:
        raise UserError(
            "--engine ray needs Ray: pip install 'manysides[ray]' (Ray Data, ray[data])"
        ) from None
    return ray


def _read(shards: pa.Table, batch_size: int) -> Iterator[pa.Table]:
    from pathlib import Path

    from .records import Shard

    for row in shards.to_pylist():
        for batch in read_batches(Shard(row["id"], Path(row["path"])), batch_size):
            yield to_table(batch)


def _extract(batch: pa.Table, config: Config) -> pa.Table:
    return to_table(extract_rows(batch.to_pylist(), config))


class QuoteActor:
    """Holds one spaCy model for its lifetime (an actor of the pool); analyzes a batch,
    stages its Parquet files and returns the staged parts."""

    def __init__(self, config: Config, root: str, run: str) -> None:
        from pathlib import Path

        from .output import BackfillDir
        from .stages import analyzer

        self.analyzer = analyzer(config.quotes) if config.quotes.enabled else None
        self.folder = BackfillDir(Path(root))
        self.run = run

    def __call__(self, batch: pa.Table) -> pa.Table:
        import pyarrow as pa

        parts = self.folder.stage_rows(quote_rows(batch.to_pylist(), self.analyzer), self.run)
        return pa.Table.from_pylist([p.to_row() for p in parts], schema=_part_schema())


def _part_schema() -> pa.Schema:
    import pyarrow as pa

    return pa.schema(
        [("shard", pa.string()), ("first", pa.int64()), ("records", pa.int64())]
        + [("articles", pa.int64()), ("errors", pa.int64()), ("files", pa.string())]
    )


def _bands(files: pa.Table, rank: dict[str, int], config: Config) -> pa.Table:
    """Band rows of the articles in some files of the articles dataset (a task)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows: list[dict[str, Any]] = []
    for path in files.column("path").to_pylist():
        table = pq.read_table(path, columns=["shard", "ordinal", "signature", "fingerprint"])
        rows.extend(
            {"seq": seq_of(rank[r["shard"]], r["ordinal"])} | r
            for r in table.to_pylist()
            if r["shard"] in rank
        )
    schema = pa.schema(
        [("band", pa.int64()), ("seq", pa.int64()), ("exact", pa.bool_())]
        + [("signature", pa.binary())]
    )
    return pa.Table.from_pylist(band_rows(rows, config.dedupe), schema=schema)


def _verify(group: pa.Table, config: Config) -> pa.Table:
    import pyarrow as pa

    pairs = group_pairs(group.to_pylist(), config.dedupe)
    return pa.table(
        {
            "later": pa.array([p[0] for p in pairs], pa.int64()),
            "earlier": pa.array([p[1] for p in pairs], pa.int64()),
            "score": pa.array([p[2] for p in pairs], pa.float64()),
        }
    )


class RayEngine:
    def __init__(self, config: Config, cpus: float | None = None, address: str | None = None):
        ray = _ray()
        self.config = config
        self._started = False
        if not ray.is_initialized():
            if address:
                ray.init(address=address)
            else:
                # "local": always a new cluster of our own, never one left running here
                ray.init(address="local", num_cpus=cpus or None, include_dashboard=False)
            self._started = True
        from ray.data import DataContext

        context = DataContext.get_current()
        context.execution_options.preserve_order = True
        context.enable_progress_bars = False  # the command draws its own (rich) bars
        context.print_on_execution_start = False
        self.cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))

    def records(
        self, shards: Sequence[Shard], batch_size: int, out: BackfillDir, run: str
    ) -> Iterator[list[Part]]:
        ray = _ray()
        from .output import Part

        items = [{"id": s.id, "path": str(s.path)} for s in shards]
        ds = ray.data.from_items(items, override_num_blocks=len(items))
        # read and extract ask for the same resources, so Ray Data fuses them into one
        # task per shard (no hop through the object store between them); extract takes
        # the read's batches as they come (batch_size None): a fused task bundles as many
        # input rows as its largest batch_size asks, and 64 would put 64 shards in a task
        ds = ds.map_batches(
            _read,
            fn_kwargs={"batch_size": batch_size},
            batch_size=1,
            batch_format="pyarrow",
            num_cpus=TASK_CPUS,
            max_retries=RETRIES,
        )
        ds = ds.map_batches(
            _extract,
            fn_kwargs={"config": self.config},
            batch_size=None,
            batch_format="pyarrow",
            num_cpus=TASK_CPUS,
            max_retries=RETRIES,
        )
        ds = ds.map_batches(
            QuoteActor,
            fn_constructor_kwargs={"config": self.config, "root": str(out.root), "run": run},
            batch_size=batch_size,
            batch_format="pyarrow",
            concurrency=max(1, self.cpus),
            num_cpus=TASK_CPUS,
            max_restarts=-1,
            max_task_retries=RETRIES,
        )
        for batch in ds.iter_batches(batch_size=None, batch_format="pyarrow"):
            if batch.num_rows:
                yield [Part.from_row(row) for row in batch.to_pylist()]

    def pairs(self, out: BackfillDir, rank: dict[str, int]) -> Iterable[Pair]:
        ray = _ray()
        from ray.data.context import DataContext, ShuffleStrategy

        files = [{"path": str(f)} for f in out.dataset("articles").files]
        if not files:
            return []
        # a task-based sort shuffle: no aggregator actors holding CPUs of a small cluster
        DataContext.get_current().shuffle_strategy = ShuffleStrategy.SORT_SHUFFLE_PULL_BASED
        # a task reads BAND_FILES files (each one batch of articles) and a shuffle partition
        # holds about BAND_ROWS_PER_PARTITION band rows: both bounded, whatever the archive
        articles = sum(s.articles for s in (out.read_manifest() or Manifest("")).shards)
        partitions = max(2 * self.cpus, -(-articles * 22 // BAND_ROWS_PER_PARTITION))
        ds = ray.data.from_items(files, override_num_blocks=-(-len(files) // BAND_FILES))
        ds = ds.map_batches(
            _bands,
            fn_kwargs={"rank": rank, "config": self.config},
            batch_size=None,
            batch_format="pyarrow",
            num_cpus=TASK_CPUS,
            max_retries=RETRIES,
        )
        grouped = ds.groupby("band", num_partitions=partitions)
        pairs = grouped.map_groups(
            _verify, fn_kwargs={"config": self.config}, batch_format="pyarrow", num_cpus=TASK_CPUS
        )
        found: list[Pair] = []
        for batch in pairs.iter_batches(batch_size=None, batch_format="pyarrow"):
            for row in batch.to_pylist():
                found.append((row["later"], row["earlier"], row["score"]))
        return found

    def windows(self, out: BackfillDir, tasks: Sequence[WindowTask]) -> list[WindowResult]:
        ray = _ray()
        remote = ray.remote(run_window).options(num_cpus=TASK_CPUS, max_retries=RETRIES)
        config_ref = ray.put(self.config)
        refs = [remote.remote(out.root, task, config_ref) for task in tasks]
        return list(ray.get(refs))

    def close(self) -> None:
        if self._started:
            _ray().shutdown()
            self._started = False
