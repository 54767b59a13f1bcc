"""Helpers shared by the benchmarks: data path, machine description, result files."""

from __future__ import annotations

import json
import os
import platform
import resource
import socket
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "benchmarks" / "out"


def data_dir(override: str | None = None) -> Path:
    path = Path(
        override or os.environ.get("MANYSIDES_SHARED_DATA") or REPO.parent / "shared" / "data"
    )
    if not path.is_dir():
        raise SystemExit(
            f"benchmark data not found at {path} (use --data or MANYSIDES_SHARED_DATA)"
        )
    return path


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def save(name: str, result: dict[str, Any]) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    result = {
        "benchmark": name,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
    } | result
    path = OUT / f"{name}.json"
    path.write_text(json.dumps(result, indent=2, default=str))
    return path


class Timer:
    def __enter__(self) -> Timer:
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.start


def wait_port(port: int, seconds: float = 60) -> None:
    """Wait until a server listens on 127.0.0.1:``port``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not listen on port {port}")
