"""Issue 14 item 7 benchmark: the web app under mixed load, reported per endpoint.

1. Build a store (or reuse one with ``--keep DIR``): the ``--articles`` most recent dated
   articles of the ``--outlets`` largest outlets of ``corpus-abp`` (``bench_e2e.load_day``),
   dates shifted into the last 20 hours (order kept), ingested as JSON Lines and run
   through ``stories``, ``perspectives`` and ``briefing`` (quotes off: they cost minutes
   and do not change what serving costs; pages are rendered from stored JSON).
2. Start ``manysides serve`` (``python -m manysides``, so it runs these sources).
3. Load it on 127.0.0.1 with one ``wrk`` per endpoint, all at once, 32 connections in
   all (``--duration`` s after a warm-up), every client sending ``Accept-Encoding: gzip``
   as browsers do: the briefing page, story pages (the same-run anchor), the search page,
   the search API, the briefing API and the story API. Searches rotate over words of the
   briefing's headlines and a few very common words (the worst case).
4. Report p50/p90/p99, requests/s and errors per endpoint, each p99 as a ratio to the
   story page's, the server's CPU seconds and the load average before and after; and,
   measured before the load with one client at a time, the server's CPU milliseconds
   per request of each endpoint (what a shared, loaded machine changes least).

    python -m benchmarks.bench_web [--data DIR] [--articles 20000] [--outlets 150]
        [--duration 60] [--keep DIR] [--workers N] [--search-cache N]

``--search-cache 0`` computes every search (the worst case: no query repeats); the
default keeps a repeated search until the database changes (``serve.search_cache``).

Target: p99 ≤ 100 ms for every endpoint under that mixed load.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .bench_e2e import WRK_SCRIPT, _ms, free_port, load_day, slug, write_config
from .common import REPO, data_dir, save, wait_port

# endpoint -> connections (32 in all)
CONNECTIONS = {
    "briefing page": 6,
    "story page": 6,
    "search page": 5,
    "search API": 5,
    "briefing API": 5,
    "story API": 5,
}
COMMON_WORDS = ("trump", "president", "said", "new", "coronavirus", "police")
_WORD = re.compile(r"[A-Za-z]{4,}")


def build_store(tmp: Path, data: Path, n_articles: int, n_outlets: int) -> Path:
    """Ingest the day into ``tmp/db.sqlite`` and build its briefing; returns the config."""
    from manysides.config import load_config
    from manysides.pipeline import RunContext, run_steps
    from manysides.store import Store

    records = load_day(data / "corpus-abp" / "articles.jsonl.gz", n_outlets, n_articles)
    now = datetime.now(UTC).replace(microsecond=0)
    span = timedelta(hours=20)
    outlets: dict[str, dict[str, Any]] = {}
    lines = []
    for r in records:
        sid = slug(r["source"])
        outlets.setdefault(sid, {"name": r["source"], "leaning": r.get("leaning") or "unrated"})
        when = now - timedelta(minutes=10) - span * (r["_order"] / max(len(records), 1))
        lines.append(
            {
                "url": f"https://{sid}.example/{r['id']}",
                "title": r["title"],
                "text": r["text"],
                "date": when.isoformat(),
                "authors": r.get("authors") or "",
            }
        )
    articles = tmp / "articles.jsonl.gz"
    with gzip.open(articles, "wt", encoding="utf-8") as fh:
        for line in lines:
            fh.write(json.dumps(line) + "\n")
    config_path = write_config(tmp, outlets, port=9, web_port=free_port(), quotes=False)
    config = load_config(config_path)
    started = time.perf_counter()
    with Store(tmp / "db.sqlite") as store:
        ctx = RunContext(store=store, config=config, paths=(articles,), now=now)
        ctx.report.show_progress = False
        steps = ("ingest", "stories", "quotes", "perspectives", "briefing")
        report = run_steps(ctx, steps, "bench-web")
    print(
        f"built the store: {len(lines)} articles in {time.perf_counter() - started:.0f} s,"
        f" {report.counts.get('briefing_stories', '?')} briefing stories",
        flush=True,
    )
    (tmp / "built").write_text(now.isoformat())
    return config_path


def _paths(db: Path) -> dict[str, list[str]]:
    """Each endpoint's request paths, from the stored briefing."""
    from manysides.store import Store

    with Store(db, read_only=True) as store:
        date = store.briefings.latest_date()
        data = store.briefings.briefing(date) if date else None
    if not data:
        raise SystemExit("the store has no briefing")
    items = [i for s in data["sections"] for i in s["items"]]
    ids = [i["perspective"]["story_id"] for i in items]
    words: list[str] = []
    for i in items:
        words.extend(w.lower() for w in _WORD.findall(i["perspective"]["headline"])[:2])
    queries = list(dict.fromkeys(words))[:40] + list(COMMON_WORDS)
    pairs = [f"{a} {b}" for a, b in zip(queries[::2], queries[1::2], strict=False)][:10]
    queries += pairs
    return {
        "briefing page": ["/", f"/briefing/{date}"],
        "story page": [f"/story/{i}" for i in ids],
        "search page": [f"/search?q={quote(q)}" for q in queries],
        "search API": [f"/api/search?q={quote(q)}" for q in queries],
        "briefing API": ["/api/briefings/latest", f"/api/briefings/{date}"],
        "story API": [f"/api/stories/{i}" for i in ids],
    }


def _cpu_seconds(pid: int) -> float:
    """CPU seconds of process ``pid`` and its live descendants (the server's workers)."""
    stats: dict[int, tuple[int, float]] = {}  # pid -> (parent, CPU ticks)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        stats[int(stat.parent.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    tree, grown = {pid}, True
    while grown:
        more = {p for p, (parent, _) in stats.items() if parent in tree} - tree
        tree |= more
        grown = bool(more)
    return sum(stats[p][1] for p in tree if p in stats) / os.sysconf("SC_CLK_TCK")


def _parse(out: str) -> dict[str, Any]:
    pct = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", out, re.MULTILINE))
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "p50_ms": _ms(pct.get("50", "")),
        "p90_ms": _ms(pct.get("90", "")),
        "p99_ms": _ms(pct.get("99", "")),
        "requests": int(total.group(1)) if total else 0,
        "requests_per_s": float(rps.group(1)) if rps else None,
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": sum(int(x) for x in sock.groups()) if sock else 0,
    }


def load_test(
    config: Path,
    db: Path,
    port: int,
    duration: int,
    wrk: str,
    workers: int | None = None,
    cost_seconds: int = 5,
) -> dict[str, Any]:
    paths = _paths(db)
    env = os.environ | {"PYTHONPATH": str(REPO / "src")}
    serve = ["serve"] if workers is None else ["serve", "--workers", str(workers)]
    server = subprocess.Popen(
        [sys.executable, "-m", "manysides", "--config", str(config), "--quiet", *serve],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_port(port)
        scripts = {}
        for name, urls in paths.items():
            script = config.parent / f"{slug(name)}.lua"
            script.write_text(WRK_SCRIPT % ", ".join(json.dumps(u) for u in urls))
            scripts[name] = script

        def run_all(seconds: int, latency: bool) -> dict[str, str]:
            procs = {}
            for name, script in scripts.items():
                cmd = [wrk, "-t1", f"-c{CONNECTIONS[name]}", f"-d{seconds}s", "-s", str(script)]
                cmd += ["-H", "Accept-Encoding: gzip", "--timeout", "5s"]
                if latency:
                    cmd.append("--latency")
                procs[name] = subprocess.Popen(
                    [*cmd, base], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
                )
            return {name: p.communicate()[0] for name, p in procs.items()}

        run_all(5, latency=False)  # warm-up: every page rendered and cached once
        # What one request costs the server, endpoint by endpoint (one client at a time):
        # CPU time is what a loaded, shared machine changes least.
        costs = {}
        for name, script in scripts.items():
            cpu0 = _cpu_seconds(server.pid)
            cmd = [wrk, "-t1", "-c1", f"-d{cost_seconds}s", "-s", str(script)]
            cmd += ["-H", "Accept-Encoding: gzip", base]
            out = subprocess.run(cmd, capture_output=True, text=True, check=False).stdout
            n = _parse(out)["requests"]
            used = _cpu_seconds(server.pid) - cpu0
            costs[name] = round(1000 * used / n, 2) if n else None
        load_before = os.getloadavg()
        cpu_before = _cpu_seconds(server.pid)
        outputs = run_all(duration, latency=True)
        cpu = _cpu_seconds(server.pid) - cpu_before
        load_after = os.getloadavg()
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    endpoints = {
        name: _parse(out) | {"paths": len(paths[name]), "cpu_ms_per_request": costs[name]}
        for name, out in outputs.items()
    }
    anchor = endpoints["story page"]["p99_ms"]
    for e in endpoints.values():
        e["p99_vs_story_page"] = round(e["p99_ms"] / anchor, 2) if anchor else None
    return {
        "connections": sum(CONNECTIONS.values()),
        "duration_s": duration,
        "endpoints": endpoints,
        "server_cpu_s": round(cpu, 1),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "wrk_outputs": {k: v[-1200:] for k, v in outputs.items()},
    }


def _serving(config: Path, workers: int | None) -> dict[str, int]:
    """The server processes and search cache size this run served with."""
    from manysides.config import load_config
    from manysides.web.server import worker_count

    cfg = load_config(config)
    return {"workers": workers or worker_count(cfg), "search_cache": cfg.serve.search_cache}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data")
    ap.add_argument("--articles", type=int, default=20000)
    ap.add_argument("--outlets", type=int, default=150)
    ap.add_argument("--duration", type=int, default=60)
    ap.add_argument(
        "--workers", type=int, help="server processes (default: serve.workers, one per core)"
    )
    ap.add_argument(
        "--search-cache",
        type=int,
        help="serve.search_cache for this run (0: every search is computed, the worst case)",
    )
    ap.add_argument("--keep", help="build the store in this folder and reuse it next time")
    ap.add_argument("--label", default="", help="a name for this run in the results file")
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is not installed (apt-get install -y wrk)")
    tmp = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-web-"))
    tmp.mkdir(parents=True, exist_ok=True)
    config = tmp / "config.toml"
    if not (tmp / "built").exists():
        config = build_store(tmp, data_dir(args.data), args.articles, args.outlets)
    port = int(re.search(r"port = (\d+)", config.read_text().split("[serve]")[1]).group(1))  # type: ignore[union-attr]
    if args.search_cache is not None:
        run_config = tmp / "config-run.toml"
        text = config.read_text().replace(
            "[serve]\n", f"[serve]\nsearch_cache = {args.search_cache}\n"
        )
        run_config.write_text(text)
        config = run_config
    result = load_test(config, tmp / "db.sqlite", port, args.duration, wrk, args.workers)
    result |= _serving(config, args.workers)
    print(f"load average {result['load_average_before']} -> {result['load_average_after']}")
    print(
        f"{'endpoint':14} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'req/s':>8} {'errors':>6}  p99/story"
    )
    for name, e in result["endpoints"].items():
        errors = e["non_2xx"] + e["socket_errors"]
        print(
            f"{name:14} {e['p50_ms']:8.1f} {e['p90_ms']:8.1f} {e['p99_ms']:8.1f}"
            f" {e['requests_per_s'] or 0:8.0f} {errors:6d}  {e['p99_vs_story_page']}"
        )
    result |= {"label": args.label, "articles": args.articles, "target_p99_ms": 100}
    path = save(f"web{'-' + args.label if args.label else ''}", result)
    print(f"saved {path.relative_to(REPO)}")
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
