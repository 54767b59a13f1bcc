"""Archive-scale backfill: the pipeline's stages over WARC/ARC/JSONL shards, into Parquet.

``manysides backfill PATH... --out DIR`` (``run.backfill``) reads the shards as a
stream and runs extract → dedupe → stories → who-said-what with the pipeline's own
stage functions (``stages.py``), on this machine's process pool (``local.py``) or on Ray
(``ray_engine.py``, the ``ray`` extra). ``manysides load DIR`` (``load.py``) imports the
result into the SQLite store. See ``docs/backfill.md``.
"""

from __future__ import annotations

from .run import Options, Summary, backfill, list_shards

__all__ = ["Options", "Summary", "backfill", "list_shards"]
