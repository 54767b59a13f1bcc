"""The hostile-input campaign of issue 14 at scale: inputs tried, crashes, good items lost.

``python -m benchmarks.bench_reliability [--seeds N] [--mutants M] [--feeds F]
[--resume-seeds K] [--no-memory]``

* local files: ``tests/fuzzcampaign.py`` (seeded) writes good JSONL records, HTML pages
  and WARC records next to mutants (truncated, bad charsets, lone surrogates, deep
  nesting, missing WARC headers, binary, flipped bytes, overlong fields), ingested by the
  real runner in-process. A crash is an exception out of the run or an E999 error; a
  good item is lost when its URL has no article; a mutant is silent when it left neither a
  document nor a recorded error.
* feeds: mutated RSS through ``parse_entries``; anything but ``ParseError`` is a crash,
  a charset-only mutant must keep its 4 items.
* SSRF: the address-form table of ``tests/test_ssrf_table.py``, pre-flight and at connect.
* kill -9: the resume scenario of ``tests/test_resume_equivalence.py`` per seed.
* memory: peak RSS of one ``manysides ingest`` subprocess per input at the size limits.
Needs no shared data.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from .common import REPO, machine, save

sys.path.insert(0, str(REPO / "tests"))

import fuzzcampaign  # noqa: E402


def local_campaign(seeds: int, mutants: int) -> dict[str, Any]:
    from manysides.config import Config
    from manysides.pipeline import Report, RunContext, run_steps
    from manysides.store import Store

    totals = {"inputs": 0, "good": 0, "mutants": 0, "crashes": 0, "lost": 0, "silent": 0}
    errors = 0
    kinds: dict[str, int] = {}
    started = time.perf_counter()
    for seed in range(seeds):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "in"
            camp = fuzzcampaign.build(folder, 1000 + seed, mutants)
            db = Path(tmp) / "m.db"
            try:
                with Store(db) as store:
                    ctx = RunContext(
                        store=store, config=Config(), paths=[folder], report=Report(False)
                    )
                    run_steps(ctx, ("ingest",), "ingest")
            except Exception as exc:  # noqa: BLE001 - counted: that is what is measured
                totals["crashes"] += 1
                print(f"seed {seed}: run died: {type(exc).__name__}: {exc}", file=sys.stderr)
            outcome = fuzzcampaign.check(db, camp)
            with Store(db) as store:
                internal = [e for e in store.runs.errors(limit=100_000) if e["code"] == "E999"]
            totals["crashes"] += len(internal)
            totals["inputs"] += camp.inputs
            totals["good"] += len(camp.good_urls)
            totals["mutants"] += len(camp.mutant_files)
            totals["lost"] += len(outcome.lost)
            totals["silent"] += len(outcome.silent)
            errors += outcome.errors
            for kind, n in camp.kinds.items():
                kinds[kind] = kinds.get(kind, 0) + n
    return totals | {
        "errors_recorded": errors,
        "mutants_by_kind": kinds,
        "seconds": round(time.perf_counter() - started, 1),
    }


def feed_campaign(n: int) -> dict[str, Any]:
    from manysides.errors import ParseError
    from manysides.pipeline.fetch import parse_entries

    crashes = lost = refused = 0
    started = time.perf_counter()
    for mutation, data, survivors in fuzzcampaign.feeds(seed=77, n=n):
        try:
            entries, _ = parse_entries(data, "https://f.example.com/feed")
        except ParseError:
            refused += 1
            lost += max(0, survivors)
            continue
        except Exception as exc:  # noqa: BLE001 - counted: that is what is measured
            crashes += 1
            print(f"feed {mutation}: {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        if survivors >= 0:
            lost += max(0, survivors - len(entries))
    seconds = round(time.perf_counter() - started, 1)
    return {
        "inputs": n,
        "crashes": crashes,
        "refused": refused,
        "items_lost": lost,
        "seconds": seconds,
    }


def ssrf_table() -> dict[str, Any]:
    import httpcore
    import test_ssrf_table as table

    from manysides.config import FetchConfig
    from manysides.errors import BlockedURLError
    from manysides.fetch import guard
    from manysides.fetch.safety import check_url

    refused_pre = refused_connect = connected = 0
    original = guard.resolve
    try:
        for address, _what in table.REFUSED:
            try:
                asyncio.run(check_url(f"http://{table._url_host(address)}/", FetchConfig()))
            except BlockedURLError:
                refused_pre += 1

            async def rebinding(host: str, port: int, address: str = address) -> list[Any]:
                return [ipaddress.ip_address(address)]

            guard.resolve = rebinding  # type: ignore[assignment]
            inner = table.RecordingBackend()
            try:
                asyncio.run(guard.GuardedBackend(inner, FetchConfig()).connect_tcp("r.example", 80))
            except BlockedURLError:
                refused_connect += 1
            except httpcore.ConnectError:
                pass
            connected += bool(inner.attempts)
    finally:
        guard.resolve = original  # type: ignore[assignment]
    numeric = 0
    for host in table.NUMERIC_HOSTS:
        try:
            asyncio.run(check_url(f"http://{host}/", FetchConfig()))
        except BlockedURLError:
            numeric += 1
    return {
        "forms": len(table.REFUSED),
        "refused_before_request": refused_pre,
        "refused_at_connect": refused_connect,
        "connection_attempts": connected,
        "numeric_hosts": len(table.NUMERIC_HOSTS),
        "numeric_refused": numeric,
    }


def resume(seeds: int) -> dict[str, Any]:
    import test_resume_equivalence as scenario

    runs: list[dict[str, Any]] = []
    for seed in range(seeds):
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            killed, differing, stories = scenario.scenario(Path(tmp), 100 + seed)
            runs.append(
                {
                    "seed": 100 + seed,
                    "kills": killed,
                    "articles_differing": len(differing),
                    "stories_differing": stories,
                    "seconds": round(time.perf_counter() - started, 1),
                }
            )
    return {"articles": scenario.N, "runs": runs}


def memory() -> dict[str, Any]:
    import test_memory_bound as limits

    from manysides.inputs import MAX_FILE_BYTES, MAX_RECORD_BYTES

    measure = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True)\n"
        "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        inputs = {
            "html_nested_at_file_limit": (
                "a.html",
                limits._page(MAX_FILE_BYTES - 1000, limits.NESTED).encode(),
            ),
            "html_paragraphs_at_file_limit": (
                "b.html",
                limits._page(MAX_FILE_BYTES - 1000, limits.PARAGRAPH).encode(),
            ),
            "jsonl_record_at_record_limit": (
                "c.jsonl",
                (
                    json.dumps(
                        {
                            "url": "https://j.example.com/big",
                            "html": limits._page(MAX_RECORD_BYTES * 95 // 100, limits.NESTED),
                        }
                    )
                    + "\n"
                ).encode(),
            ),
            "warc_record_at_record_limit": (
                "d.warc",
                limits._warc(limits._page(MAX_RECORD_BYTES - 1000, limits.NESTED).encode()),
            ),
        }
        for name, (filename, data) in inputs.items():
            path = Path(tmp) / filename
            path.write_bytes(data)
            db = Path(tmp) / f"{name}.db"
            cmd = [
                sys.executable,
                "-m",
                "manysides",
                "-q",
                "--db",
                str(db),
                "ingest",
                "--no-stories",
            ]
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-c", measure, *cmd, str(path)],
                capture_output=True,
                text=True,
                check=True,
                env=os.environ,
            )
            code, peak = map(int, done.stdout.split())
            out[name] = {
                "bytes": len(data),
                "exit": code,
                "peak_rss_mb": round(peak / 1024),
                "seconds": round(time.perf_counter() - started, 1),
            }
            path.unlink()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=8)
    parser.add_argument("--mutants", type=int, default=300)
    parser.add_argument("--feeds", type=int, default=1200)
    parser.add_argument("--resume-seeds", type=int, default=3)
    parser.add_argument("--no-memory", action="store_true")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    result: dict[str, Any] = {"load_average_at_start": round(load, 1)}
    result["local_files"] = local_campaign(args.seeds, args.mutants)
    print(json.dumps(result["local_files"]), flush=True)
    result["feeds"] = feed_campaign(args.feeds)
    print(json.dumps(result["feeds"]), flush=True)
    result["ssrf"] = ssrf_table()
    print(json.dumps(result["ssrf"]), flush=True)
    if not args.no_memory:
        result["memory"] = memory()
        print(json.dumps(result["memory"]), flush=True)
    result["resume"] = resume(args.resume_seeds)
    print(json.dumps(result["resume"]), flush=True)
    path = save("reliability", result)
    print(f"{machine()}; written {path}")


if __name__ == "__main__":
    main()
