"""Benchmark ``manysides backfill`` on corpus-abp split into shards.

Runs (each in a fresh process, peak memory = the largest sum of RSS over the process
tree, sampled every 0.2 s; Ray's workers are children of its raylet, so they count):

* ``single``: ``--engine local --workers 1`` (no pool: one process);
* ``local2``: ``--engine local --workers 2``;
* ``ray1`` / ``ray2``: ``--engine ray`` on a local Ray of 1 / 2 CPUs.

Throughput is articles per second of the extract + quotes phase plus the dedupe (band
join) phase, as the issue asks; the stories phase is reported apart. CPU seconds are the
whole tree's (``cpu_s_sampled``) and the driver's alone (``driver_cpu_s``); the 1-minute
load average is noted at the start and end of each run. ``--memory`` runs
the single-process engine on growing prefixes of the corpus to show peak memory does not
grow with the input. ``--stages`` times each stage function on a sample in this process
(CPU seconds per article) for the cost model.

    python -m benchmarks.bench_backfill --records 600 --modes single,local2,ray1,ray2
    python -m benchmarks.bench_backfill --memory 10000,20000,37554 --no-quotes
    python -m benchmarks.bench_backfill --stages 300

Prints one JSON object per run; ``docs/benchmarks.md`` has the results.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "data" / "corpus-abp" / "articles.jsonl.gz"
MODES = {
    "single": ["--engine", "local", "--workers", "1"],
    "local2": ["--engine", "local", "--workers", "2"],
    "ray1": ["--engine", "ray", "--workers", "1"],
    "ray2": ["--engine", "ray", "--workers", "2"],
}


def write_shards(records: int, shard_size: int, folder: Path) -> int:
    """The first ``records`` lines of the corpus as gzipped JSONL shards."""
    folder.mkdir(parents=True, exist_ok=True)
    lines: list[str] = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        for line in fh:
            if len(lines) >= records:
                break
            lines.append(line)
    for start in range(0, len(lines), shard_size):
        name = folder / f"shard-{start // shard_size:05d}.jsonl.gz"
        with gzip.open(name, "wt", encoding="utf-8") as out:
            out.writelines(lines[start : start + shard_size])
    return len(lines)


def _tree(root: int) -> tuple[int, dict[int, int]]:
    """RSS (bytes) summed over ``root`` and its descendants, and each one's CPU ticks."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        pid = int(entry)
        try:
            with open(f"/proc/{entry}/status") as fh:
                ppid = vm = 0
                for line in fh:
                    if line.startswith("PPid:"):
                        ppid = int(line.split()[1])
                    elif line.startswith("VmRSS:"):
                        vm = int(line.split()[1]) * 1024
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(ppid, []).append(pid)
        rss[pid] = vm
        ticks[pid] = int(fields[11]) + int(fields[12])  # utime + stime
    total, stack, cpu = 0, [root], {}
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        cpu[pid] = ticks.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total, cpu


def run_mode(mode: str, shards: Path, out: Path, config: Path | None) -> dict:
    """One run; a Ray that did not come up (its raylet has 30 s to register, which a
    loaded machine can miss) is started again, up to eight times."""
    for attempt in range(1, 9):
        try:
            return _run_mode(mode, shards, out, config) | {"attempt": attempt}
        except RuntimeError as exc:
            if "timed out during startup" not in str(exc) or attempt == 8:
                raise SystemExit(str(exc)) from None
            print(json.dumps({"mode": mode, "retry": attempt}), file=sys.stderr, flush=True)
    raise AssertionError("unreachable")


def _run_mode(mode: str, shards: Path, out: Path, config: Path | None) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "manysides", "--json", "-q"]
    if config:
        cmd += ["--config", str(config)]
    cmd += ["backfill", str(shards), "--out", str(out), *MODES[mode]]
    env = os.environ | {"PYTHONPATH": str(REPO / "src"), "RAY_DEDUP_LOGS": "0"}
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = 0
    cpu: dict[int, int] = {}  # the last CPU ticks seen of every process of the tree
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            rss, ticks = _tree(proc.pid)
            peak = max(peak, rss)
            for pid, t in ticks.items():
                cpu[pid] = max(cpu.get(pid, 0), t)
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    done.set()
    sampler.join()
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"{mode} failed: {stderr.decode()[-2000:]}")
    summary = json.loads(stdout)
    seconds = summary["seconds"]
    work = seconds.get("records", 0) + seconds.get("dedupe", 0)
    return {
        "mode": mode,
        "articles": summary["articles"],
        "wall_s": round(wall, 1),
        "extract_dedupe_quotes_s": round(work, 1),
        "articles_per_s": round(summary["articles"] / work, 2) if work else None,
        "stories_s": round(seconds.get("stories", 0), 1),
        "cpu_s_sampled": round(sum(cpu.values()) / os.sysconf("SC_CLK_TCK"), 1),
        "driver_cpu_s": round(cpu.get(proc.pid, 0) / os.sysconf("SC_CLK_TCK"), 1),
        "peak_rss_mb": round(peak / 2**20),
        "load_1min": [round(load_before, 1), round(os.getloadavg()[0], 1)],  # start, end
    }


def stage_rates(sample: int, shards: Path, quotes: bool) -> dict:
    """CPU seconds per article of each stage function, in this process."""
    sys.path.insert(0, str(REPO / "src"))
    from manysides.backfill.groups import band_rows, group_pairs, seq_of
    from manysides.backfill.output import BackfillDir
    from manysides.backfill.run import list_shards
    from manysides.backfill.stages import analyzer, extract_rows, quote_rows, read_batches
    from manysides.backfill.windows import cluster
    from manysides.config import Config

    config = Config()
    rows: list[dict] = []
    clock = time.process_time
    t = clock()
    for shard in list_shards([shards]):
        for batch in read_batches(shard, 64):
            rows.extend(batch)
            if len(rows) >= sample:
                break
        if len(rows) >= sample:
            break
    rows = rows[:sample]
    read = clock() - t
    t = clock()
    done = extract_rows(rows, config)
    extract = clock() - t
    nlp = analyzer(config.quotes)
    t = clock()
    if quotes:
        done = quote_rows(done, nlp)
    quoting = clock() - t
    articles = [r for r in done if not r.get("error_stage")]
    t = clock()
    bands = band_rows([{"seq": seq_of(0, r["ordinal"])} | r for r in articles], config.dedupe)
    groups: dict[int, list[dict]] = {}
    for b in bands:
        groups.setdefault(b["band"], []).append(b)
    for members in groups.values():
        group_pairs(members, config.dedupe)
    dedupe = clock() - t
    t = clock()
    cluster([r | {"published": None, "fetched_at": None} for r in articles], config.stories)
    stories = clock() - t
    with tempfile.TemporaryDirectory() as tmp:
        folder = BackfillDir(Path(tmp))
        folder.open("bench")
        t = clock()
        parts = folder.stage_rows(done, "bench")
        write = clock() - t
        t = clock()
        for part in parts:
            folder.publish(part)
        publish = clock() - t
    n = len(articles)
    per = {"read": read, "extract": extract, "quotes": quoting, "dedupe": dedupe}
    per |= {"stories": stories, "worker_write": write, "driver_publish": publish}
    return {"sample": n} | {f"{k}_ms_per_article": round(1000 * v / n, 2) for k, v in per.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=600)
    parser.add_argument("--shard-size", type=int, default=100)
    parser.add_argument("--modes", default="single,local2,ray1,ray2")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--memory", default="", help="record counts for the memory runs")
    parser.add_argument("--memory-mode", default="single", choices=sorted(MODES))
    parser.add_argument("--no-quotes", action="store_true")
    parser.add_argument("--stages", type=int, default=0, help="sample size for stage rates")
    args = parser.parse_args()
    if not CORPUS.exists():
        raise SystemExit(f"{CORPUS} not found")
    with tempfile.TemporaryDirectory(prefix="bench-backfill-") as tmp:
        root = Path(tmp)
        config = None
        if args.no_quotes:
            config = root / "config.toml"
            config.write_text("[quotes]\nenabled = false\n")
        if args.stages:
            shards = root / "stage-shards"
            write_shards(args.stages, args.shard_size, shards)
            print(json.dumps({"stages": stage_rates(args.stages, shards, not args.no_quotes)}))
        if args.memory:
            for n in (int(x) for x in args.memory.split(",")):
                shards = root / f"mem-{n}"
                write_shards(n, args.shard_size, shards)
                got = run_mode(args.memory_mode, shards, root / f"mem-out-{n}", config)
                print(json.dumps({"memory": n} | got), flush=True)
        if args.records and args.modes:
            shards = root / "shards"
            write_shards(args.records, args.shard_size, shards)
            results: dict[str, list[dict]] = {}
            modes = args.modes.split(",")
            for r in range(args.repeat):  # the order turns each round: load drifts
                for mode in modes[r % len(modes) :] + modes[: r % len(modes)]:
                    got = run_mode(mode, shards, root / f"out-{mode}-{r}", config)
                    results.setdefault(mode, []).append(got)
                    print(json.dumps({"round": r} | got), flush=True)
            medians = {
                m: statistics.median(x["articles_per_s"] for x in runs)
                for m, runs in results.items()
            }
            print(json.dumps({"median_articles_per_s": medians}))
            ratios: dict[str, list[float]] = {"ray2/single": [], "ray1/single": []}
            ratios |= {"local2/single": [], "ray2/local2": [], "ray1/single_cpu": []}
            for r in range(args.repeat):
                rate = {m: results[m][r]["articles_per_s"] for m in results}
                for name in ratios:
                    a, b = name.split("/")
                    b = "single" if b == "single_cpu" else b
                    if a in rate and b in rate:
                        ratios[name].append(rate[a] / rate[b])
            print(
                json.dumps(
                    {
                        "median_same_round_ratios": {
                            k: round(statistics.median(v), 3) for k, v in ratios.items() if v
                        }
                    }
                )
            )


if __name__ == "__main__":
    main()
