"""Issue 2 benchmark: ingest corpus-abp (37,554 text records) into a fresh store.

Measures `manysides ingest --no-stories` as a subprocess (wall time, peak RSS of the child),
then a re-run that must add nothing. Anchor in the same run: the floor of a bare loader that
reads the same file and inserts the texts into SQLite with no extraction or deduplication.
Also reports the full `manysides ingest` (with story clustering) for reference.

    .venv/bin/python -m benchmarks.bench_ingest [--data DIR] [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from .common import data_dir, save


def _child(cmd: list[str]) -> dict[str, Any]:
    timer = shutil.which("time") or ""
    wrapped = [timer, "-f", "%M %U %S", *cmd] if timer else cmd
    started = time.perf_counter()
    proc = subprocess.run(wrapped, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    cpu = None
    if timer:
        peak, user, system = proc.stderr.strip().splitlines()[-1].split()
        peak_kb, cpu = int(peak), round(float(user) + float(system), 1)
    else:  # max over all children so far: an upper bound for this one
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    try:
        summary = json.loads(proc.stdout)
    except json.JSONDecodeError:
        summary = {"stdout": proc.stdout[-2000:], "stderr": proc.stderr[-2000:]}
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": cpu,
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "exit": proc.returncode,
        "summary": summary,
    }


def bare_load(src: Path, db: Path, limit: int | None) -> dict[str, Any]:
    started = time.perf_counter()
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE a (url TEXT UNIQUE, title TEXT, text TEXT)")
    n = 0
    with gzip.open(src, "rt", encoding="utf-8") as fh, conn:
        for line in fh:
            rec = json.loads(line)
            conn.execute(
                "INSERT OR IGNORE INTO a VALUES (?, ?, ?)",
                (rec.get("url"), rec.get("title"), rec.get("text")),
            )
            n += 1
            if limit and n >= limit:
                break
    conn.close()
    return {"seconds": round(time.perf_counter() - started, 2), "records": n}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data")
    ap.add_argument("--limit", type=int, default=None, help="only the first N records")
    ap.add_argument("--with-stories", action="store_true", help="also time ingest + clustering")
    args = ap.parse_args()
    src = data_dir(args.data) / "corpus-abp" / "articles.jsonl.gz"
    exe = str(Path(sys.executable).with_name("manysides"))
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        if args.limit:
            sample = tmpdir / "sample.jsonl.gz"
            with gzip.open(src, "rt") as fin, gzip.open(sample, "wt") as fout:
                for i, line in enumerate(fin):
                    if i >= args.limit:
                        break
                    fout.write(line)
            src = sample
        anchor = bare_load(src, tmpdir / "bare.db", args.limit)
        db = tmpdir / "m.db"
        base = [exe, "--json", "--db", str(db), "ingest", "--no-stories", str(src)]
        first = _child(base)
        rerun = _child(base)
        result: dict[str, Any] = {
            "records": anchor["records"],
            "anchor_bare_sqlite_load": anchor,
            "ingest": first,
            "rerun": rerun,
        }
        if args.with_stories:
            db2 = tmpdir / "s.db"
            result["ingest_with_stories"] = _child(
                [exe, "--json", "--db", str(db2), "ingest", str(src)]
            )
        result["targets"] = {"ingest_seconds": 90, "peak_rss_mb": 1024, "rerun_seconds": 30}
        result["met"] = {
            "ingest_seconds": first["seconds"] <= 90,
            "peak_rss_mb": first["peak_rss_mb"] <= 1024,
            "rerun_seconds": rerun["seconds"] <= 30,
        }
    path = save("ingest", result)
    print(json.dumps(result, indent=2, default=str))
    print(f"saved {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
