"""Benchmark ``manysides backfill`` on corpus-abp split into shards.

One command runs every configuration on the same records, each in a fresh process,
in rounds whose order turns (the load drifts):

* ``single``: ``--engine local --workers 1`` (no pool: one process) — the anchor;
* ``local2``: ``--engine local --workers 2``;
* ``ray1`` / ``ray2``: ``--engine ray`` on a local Ray of 1 / 2 CPUs.

Per run: articles/s of the extract + dedupe + quotes phases (the issue's throughput; the
stories phase is timed apart), CPU seconds of the whole process tree (the children's
``getrusage`` after the run, which counts every reaped descendant, and the sum of the
last ticks sampled of each live one; the larger) and per article, the driver's CPU, peak
memory of the tree (sum of RSS, and of PSS, which counts pages shared between processes
once: Ray's object store, libraries), the 1-minute load average at the start, end and its
mean while running. Ratios are to the ``single`` run of the same round. Peak memory is
sampled every 0.2 s; Ray's workers are children of its raylet, so they count.

    python -m benchmarks.bench_backfill --records 2000              # all four, one round
    python -m benchmarks.bench_backfill --memory 10000,20000,37554 --memory-modes single,local2,ray2 --no-quotes
    python -m benchmarks.bench_backfill --stages 300                # CPU ms per article per stage

Prints one JSON object per run and a summary table; writes ``benchmarks/out/backfill.json``
(each kind of run replaces its own section). ``docs/benchmarks.md`` has the results.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.common import OUT, machine

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "data" / "corpus-abp" / "articles.jsonl.gz"
RESULTS = OUT / "backfill.json"
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
        if name.exists() and len(lines) - start >= shard_size:
            continue  # a full shard written for a smaller prefix: the same lines
        with gzip.open(name, "wt", encoding="utf-8") as out:
            out.writelines(lines[start : start + shard_size])
    return len(lines)


def _pss(pid: int) -> int:
    """Proportional set size (bytes): shared pages split between the processes mapping them."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _tree(root: int) -> tuple[int, int, dict[int, int]]:
    """RSS and PSS (bytes) summed over ``root`` and its descendants, and each one's CPU
    ticks."""
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
    total, pss, stack, cpu = 0, 0, [root], {}
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        pss += _pss(pid)
        cpu[pid] = ticks.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total, pss, cpu


def run_mode(mode: str, shards: Path, out: Path, config: Path | None, fresh: bool = True) -> dict:
    """One run; a Ray that did not come up (its raylet has 30 s to register, which a
    loaded machine can miss) is started again, up to eight times."""
    for attempt in range(1, 9):
        try:
            return _run_mode(mode, shards, out, config, fresh) | {"attempt": attempt}
        except RuntimeError as exc:
            if "timed out during startup" not in str(exc) or attempt == 8:
                raise SystemExit(str(exc)) from None
            print(json.dumps({"mode": mode, "retry": attempt}), file=sys.stderr, flush=True)
    raise AssertionError("unreachable")


def _name(pid: int) -> str:
    """A process's kind: Ray's workers by their task or actor (``ray::QuoteActor``), the
    others by their program."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            argv = fh.read().split(b"\0")
    except OSError:
        return "?"
    first = argv[0].decode(errors="replace")
    if first.startswith("ray::"):
        return first.split("(")[0].split(".")[0][:40]
    program = Path(first.split()[0]).name if first else "?"
    if program.startswith("python") and b"-c" in argv:
        code = b" ".join(argv)
        return "pool worker" if b"spawn_main" in code else "python -c"
    if program.startswith("python") and len(argv) > 1:
        script = next((a.decode() for a in argv[1:] if a and not a.startswith(b"-")), "")
        return f"python {Path(script).name}"[:40]
    return program[:40]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run_mode(mode: str, shards: Path, out: Path, config: Path | None, fresh: bool) -> dict:
    if fresh:
        shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "manysides", "--json", "-q"]
    if config:
        cmd += ["--config", str(config)]
    cmd += ["backfill", str(shards), "--out", str(out), *MODES[mode]]
    env = os.environ | {"PYTHONPATH": str(REPO / "src"), "RAY_DEDUP_LOGS": "0"}
    load_before = os.getloadavg()[0]
    reaped_before = _children_cpu()
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = peak_pss = 0
    peak_at = [0.0]  # seconds after the start
    loads: list[float] = []
    cpu: dict[int, int] = {}  # the last CPU ticks seen of every process of the tree
    names: dict[int, str] = {}
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, peak_pss
        while not done.is_set():
            rss, pss, ticks = _tree(proc.pid)
            if rss > peak:
                peak_at[0] = time.perf_counter() - started
            peak, peak_pss = max(peak, rss), max(peak_pss, pss)
            loads.append(os.getloadavg()[0])
            for pid, t in ticks.items():
                cpu[pid] = max(cpu.get(pid, 0), t)
                if names.get(pid, "ray::IDLE") in ("ray::IDLE", "python default_worker.py"):
                    names[pid] = _name(pid)  # a Ray worker is named by its first task
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    done.set()
    sampler.join()
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"{mode} failed: {stderr.decode()[-2000:]}")
    tick = os.sysconf("SC_CLK_TCK")
    sampled = sum(cpu.values()) / tick
    reaped = _children_cpu() - reaped_before
    cpu_s = max(sampled, reaped)
    summary = json.loads(stdout)
    seconds = summary["seconds"]
    work = seconds.get("records", 0) + seconds.get("dedupe", 0)
    articles = summary["articles"]
    by_name: dict[str, float] = {}
    for pid, t in cpu.items():
        name = "driver" if pid == proc.pid else names.get(pid, "?")
        by_name[name] = round(by_name.get(name, 0.0) + t / tick, 1)
    # a grown run reads only the shards it adds: its CPU is per article it read
    done = summary["shards_done"] / max(1, summary["shards"])
    return {
        "mode": mode,
        "articles": articles,
        "shards_done": summary["shards_done"],
        "wall_s": round(wall, 1),
        "extract_dedupe_quotes_s": round(work, 1),
        "articles_per_s": round(articles / work, 3) if work else None,
        "records_s": round(seconds.get("records", 0), 1),
        "dedupe_s": round(seconds.get("dedupe", 0), 1),
        "stories_s": round(seconds.get("stories", 0), 1),
        "cpu_s": round(cpu_s, 1),
        "cpu_s_reaped": round(reaped, 1),
        "cpu_s_sampled": round(sampled, 1),
        "cpu_ms_per_article": round(1000 * cpu_s / (articles * done), 1) if articles else None,
        "driver_cpu_s": round(cpu.get(proc.pid, 0) / tick, 1),
        "peak_rss_mb": round(peak / 2**20),
        "peak_pss_mb": round(peak_pss / 2**20),
        "peak_rss_at_s": round(peak_at[0], 1),  # compare with records_s, dedupe_s, stories_s
        "load_1min": [round(load_before, 1), round(os.getloadavg()[0], 1)],  # start, end
        "load_1min_mean": round(statistics.fmean(loads), 1) if loads else None,
        "cpu_s_by_process": dict(sorted(by_name.items(), key=lambda kv: -kv[1])),
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


def ratios(rounds: list[dict[str, dict]]) -> dict[str, float]:
    """Medians over rounds of same-round ratios: throughput and CPU per article, each mode
    to the single-process anchor, and Ray to the local engine at equal CPUs."""
    pairs = [(m, "single") for m in ("local2", "ray1", "ray2")]
    pairs += [("ray1", "single"), ("ray2", "local2")]
    found: dict[str, list[float]] = {}
    for runs in rounds:
        for a, b in dict.fromkeys(pairs):
            if a in runs and b in runs and runs[b]["articles_per_s"]:
                found.setdefault(f"{a}/{b} articles_per_s", []).append(
                    runs[a]["articles_per_s"] / runs[b]["articles_per_s"]
                )
                found.setdefault(f"{a}/{b} cpu_per_article", []).append(
                    runs[a]["cpu_ms_per_article"] / runs[b]["cpu_ms_per_article"]
                )
    return {k: round(statistics.median(v), 3) for k, v in found.items()}


def table(rows: list[dict], anchor: dict[int, dict]) -> str:
    head = "round mode    articles  art/s  x single  CPU ms/art  x single  RSS MB  PSS MB  load"
    lines = [head]
    for r in rows:
        base = anchor.get(r.get("round", 0))
        speed = f"{r['articles_per_s'] / base['articles_per_s']:.2f}" if base else "-"
        cost = f"{r['cpu_ms_per_article'] / base['cpu_ms_per_article']:.2f}" if base else "-"
        lines.append(
            f"{r.get('round', 0):>5} {r['mode']:<7} {r['articles']:>8} {r['articles_per_s']:>6.2f}"
            f" {speed:>9} {r['cpu_ms_per_article']:>11.1f} {cost:>9} {r['peak_rss_mb']:>7}"
            f" {r['peak_pss_mb']:>7}  {r['load_1min'][0]}-{r['load_1min'][1]}"
            f" (mean {r['load_1min_mean']})"
        )
    return "\n".join(lines)


def save(section: str, value: object) -> None:
    """Replace one section of ``benchmarks/out/backfill.json``, keeping the others."""
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        found = json.loads(RESULTS.read_text())
    except (OSError, ValueError):
        found = {}
    found |= {"benchmark": "backfill", "machine": machine(), "cores": os.cpu_count()}
    found[section] = {"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())} | {
        "result": value
    }
    RESULTS.write_text(json.dumps(found, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=0, help="records of the throughput runs")
    parser.add_argument("--shard-size", type=int, default=100)
    parser.add_argument("--modes", default="single,local2,ray1,ray2")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--memory", default="", help="record counts for the memory runs")
    parser.add_argument("--memory-modes", default="single", help="modes of the memory runs")
    parser.add_argument(
        "--memory-grow",
        action="store_true",
        help="grow one backfill folder from size to size (each run resumes the last, reads"
        " only the added shards and rebuilds the archive-wide datasets over all)",
    )
    parser.add_argument("--no-quotes", action="store_true")
    parser.add_argument("--stages", type=int, default=0, help="sample size for stage rates")
    args = parser.parse_args()
    if not CORPUS.exists():
        raise SystemExit(f"{CORPUS} not found")
    for mode in args.modes.split(",") + args.memory_modes.split(","):
        if mode not in MODES:
            raise SystemExit(f"unknown mode {mode!r}: one of {', '.join(MODES)}")
    settings = {"shard_size": args.shard_size, "quotes": not args.no_quotes}
    with tempfile.TemporaryDirectory(prefix="bench-backfill-") as tmp:
        root = Path(tmp)
        config = None
        if args.no_quotes:
            config = root / "config.toml"
            config.write_text("[quotes]\nenabled = false\n")
        if args.stages:
            shards = root / "stage-shards"
            write_shards(args.stages, args.shard_size, shards)
            rates = stage_rates(args.stages, shards, not args.no_quotes)
            print(json.dumps({"stages": rates}), flush=True)
            save("stages", rates | {"load_1min": round(os.getloadavg()[0], 1)})
        if args.memory:
            memory: list[dict] = []
            sizes = [int(x) for x in args.memory.split(",")]
            for mode in args.memory_modes.split(","):
                shards, out = root / "mem-shards", root / f"mem-out-{mode}"
                shutil.rmtree(shards, ignore_errors=True)
                for n in sizes:
                    write_shards(n, args.shard_size, shards)
                    fresh = not args.memory_grow or n == sizes[0]
                    got = {"records": n, "grown": not fresh}
                    got |= run_mode(mode, shards, out, config, fresh=fresh)
                    memory.append(got)
                    print(json.dumps(got), flush=True)
                    save("memory", settings | {"grow": args.memory_grow, "runs": memory})
                shutil.rmtree(out, ignore_errors=True)
            print("records  mode    peak RSS MB  peak PSS MB  CPU ms/article  load(mean)")
            for r in memory:
                print(
                    f"{r['records']:>7}  {r['mode']:<7} {r['peak_rss_mb']:>11} {r['peak_pss_mb']:>12}"
                    f" {r['cpu_ms_per_article']:>15} {r['load_1min_mean']:>11}"
                )
        if args.records and args.modes:
            shards = root / "shards"
            write_shards(args.records, args.shard_size, shards)
            rounds: list[dict[str, dict]] = []
            rows: list[dict] = []
            modes = args.modes.split(",")
            for r in range(args.repeat):  # the order turns each round: load drifts
                rounds.append({})
                for mode in modes[r % len(modes) :] + modes[: r % len(modes)]:
                    got = {"round": r} | run_mode(mode, shards, root / f"out-{mode}-{r}", config)
                    rounds[r][mode] = got
                    rows.append(got)
                    print(json.dumps(got), flush=True)
                    shutil.rmtree(root / f"out-{mode}-{r}", ignore_errors=True)
                    save("throughput", settings | {"records": args.records, "runs": rows})
            medians = ratios(rounds)
            save("throughput", settings | {"records": args.records, "runs": rows} | medians)
            anchor = {r: runs["single"] for r, runs in enumerate(rounds) if "single" in runs}
            print(table(rows, anchor))
            print(json.dumps({"median_same_round_ratios": medians}))
            print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
