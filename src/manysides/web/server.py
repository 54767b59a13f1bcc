"""Running the web app: in this process, or as ``serve.workers`` processes on one port
under uvicorn's supervisor (which restarts a worker that dies).

Worker processes are started fresh (uvicorn spawns them), so they rebuild the app from
an import string: ``app_from_env`` reads the validated config and the database path
that ``run`` put in the environment, as JSON. Each worker opens its own read-only
connections and keeps its own page cache.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Config, config_from_dict

if TYPE_CHECKING:
    from fastapi import FastAPI

ENV = "MANYSIDES_SERVE"
MAX_AUTO_WORKERS = 4  # serve.workers = 0: one per core, up to this many


def worker_count(config: Config, cpus: int | None = None) -> int:
    """Server processes for ``config``: ``serve.workers``, or one per core (at most 4)."""
    if config.serve.workers:
        return config.serve.workers
    return max(1, min(MAX_AUTO_WORKERS, cpus if cpus is not None else os.cpu_count() or 1))


def run(config: Config, db: str | Path, *, log_level: str, access_log: bool) -> None:
    """Serve ``db`` on ``serve.host:serve.port`` until interrupted."""
    import uvicorn

    from . import create_app

    common = {
        "host": config.serve.host,
        "port": config.serve.port,
        "log_level": log_level,
        "access_log": access_log,
    }
    workers = worker_count(config)
    if workers == 1:
        uvicorn.run(create_app(config, db), **common)
        return
    os.environ[ENV] = json.dumps({"config": dataclasses.asdict(config), "db": str(db)})
    uvicorn.run(f"{__name__}:app_from_env", factory=True, workers=workers, **common)


def app_from_env() -> FastAPI:
    """The app a worker process serves (see ``run``)."""
    from . import create_app

    spec = json.loads(os.environ[ENV])
    return create_app(config_from_dict(spec["config"]), spec["db"])
