"""Issue 7 benchmark: an end-to-end day, then the web app's story page under load.

1. From ``corpus-abp/articles.jsonl.gz`` take the 100 largest outlets and their 5,000 most
   recent dated articles; shift their dates (order kept) into the last 20 hours so they
   count as one day's news.
2. Serve, from a separate process on 127.0.0.1, one RSS feed per outlet and one HTML page
   per article wrapped in realistic site boilerplate (navigation, promos, author bio,
   related links, footer).
3. Run ``manysides --json brief`` as a subprocess against a user catalog of those outlets
   (``sources.use_builtin = false``, ``fetch.allowed_hosts = ["127.0.0.1"]``) and report
   the wall time and the time per stage (``report.stage_seconds``).
4. Start ``manysides serve`` and load ``/story/{id}`` of the briefing's stories with
   ``wrk`` (32 connections, 2 threads; p50/p90/p99 latency and requests/s).

    .venv/bin/python -m benchmarks.bench_e2e [--data DIR] [--articles 5000] [--outlets 100]
        [--duration 20] [--keep DIR]

Targets: ≤ 120 s for the brief on 2 cores; story page p99 ≤ 50 ms under 32 clients.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import multiprocessing
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from manysides import times

from .common import REPO, data_dir, save, wait_port

BIN = Path(sys.executable).parent / "manysides"
NAV = " ".join(
    f'<a href="/section/{s}">{s.title()}</a>'
    for s in (
        "politics",
        "world",
        "business",
        "tech",
        "science",
        "health",
        "sports",
        "opinion",
        "video",
        "podcasts",
        "newsletters",
        "subscribe",
    )
)
PROMO = (
    '<div class="promo"><h3>Get the morning briefing</h3><p>Sign up for our free newsletter '
    "and get the day's most important stories delivered to your inbox every morning.</p>"
    '<form><input type="email" placeholder="Email address"><button>Sign up</button></form></div>'
)
BIO = (
    '<aside class="bio"><h4>About the author</h4><p>{author} is a staff writer at {outlet} '
    "covering politics and policy. Previously, {author} reported for several regional papers. "
    "Follow on social media for updates.</p></aside>"
)


def slug(name: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return s[:40] or "outlet"


def load_day(src: Path, n_outlets: int, n_articles: int) -> list[dict[str, Any]]:
    """The ``n_articles`` most recent dated articles of the ``n_outlets`` largest outlets."""
    records: list[dict[str, Any]] = []
    with gzip.open(src, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec.get("text") and rec.get("title") and "2000" <= rec.get("date", "")[:4] <= "2021":
                records.append(rec)
    sizes = Counter(r["source"] for r in records)
    top = {name for name, _ in sizes.most_common(n_outlets)}
    dated = [(d, r) for r in records if r["source"] in top and (d := times.parse(r.get("date")))]
    dated.sort(key=lambda t: (t[0], t[1]["id"]), reverse=True)
    return [r | {"_order": i} for i, (_d, r) in enumerate(dated[:n_articles])]


def build_site(records: list[dict[str, Any]], now: datetime) -> tuple[dict, dict]:
    """Pages and feeds by path, and the outlets (slug -> record info)."""
    span = timedelta(hours=20)
    outlets: dict[str, dict[str, Any]] = {}
    by_outlet: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        sid = slug(r["source"])
        outlets.setdefault(sid, {"name": r["source"], "leaning": r.get("leaning") or "unrated"})
        when = now - timedelta(minutes=10) - span * (r["_order"] / max(len(records), 1))
        by_outlet.setdefault(sid, []).append(r | {"_when": when, "_path": f"/{sid}/{r['id']}.html"})
    routes: dict[str, tuple[bytes, str]] = {}
    for sid, items in by_outlet.items():
        name = html.escape(outlets[sid]["name"])
        for k, r in enumerate(items):
            related = "".join(
                f'<li><a href="{o["_path"]}">{html.escape(o["title"])}</a></li>'
                for o in items[k + 1 : k + 6]
            )
            author = html.escape(r.get("authors") or "Staff Reporter").split(",")[0]
            paragraphs = "".join(
                f"<p>{html.escape(p.strip())}</p>" for p in r["text"].split("\n") if p.strip()
            )
            page = (
                f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
                f"<title>{html.escape(r['title'])} | {name}</title>"
                f'<meta property="og:site_name" content="{name}">'
                f'<meta property="article:published_time" content="{r["_when"].isoformat()}">'
                f'</head><body><header><div class="logo">{name}</div><nav>{NAV}</nav></header>'
                f"{PROMO}<main><article><h1>{html.escape(r['title'])}</h1>"
                f'<p class="byline">By {author} | {r["_when"]:%B %d, %Y}</p>{paragraphs}</article>'
                f"{BIO.format(author=author, outlet=name)}"
                f'<section class="related"><h3>Related stories</h3><ul>{related}</ul></section>'
                f"{PROMO}</main><footer><p>© {name}. All rights reserved.</p><nav>{NAV}</nav>"
                f"</footer></body></html>"
            )
            routes[r["_path"]] = (page.encode("utf-8"), "text/html; charset=utf-8")
        entries = "".join(
            f"<item><title>{html.escape(r['title'])}</title>"
            f"<link>http://HOST{r['_path']}</link><guid>http://HOST{r['_path']}</guid>"
            f"<pubDate>{format_datetime(r['_when'])}</pubDate></item>"
            for r in items
        )
        feed = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{name}</title><link>http://HOST/{sid}/</link><description>news</description>"
            f"{entries}</channel></rss>"
        )
        routes[f"/{sid}/feed.xml"] = (feed.encode("utf-8"), "application/rss+xml")
    for sid, items in by_outlet.items():
        outlets[sid]["articles"] = len(items)
    return routes, outlets


def _serve(routes: dict[str, tuple[bytes, str]], port: int, ready: Any) -> None:
    host = f"127.0.0.1:{port}".encode()
    fixed = {
        path: (body.replace(b"http://HOST", b"http://" + host), ctype)
        for path, (body, ctype) in routes.items()
    }

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            found = fixed.get(self.path.split("?", 1)[0])
            body, ctype = found if found else (b"not found", "text/plain")
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    ready.set()
    server.serve_forever(poll_interval=0.2)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def write_config(
    tmp: Path, outlets: dict[str, dict[str, Any]], port: int, web_port: int, quotes: bool = True
) -> Path:
    leaning = {"left": "left", "center": "center", "right": "right"}
    catalog = "".join(
        f'[sources.{sid}]\nname = {json.dumps(o["name"])}\ndomains = ["{sid}.example"]\n'
        f'feeds = ["http://127.0.0.1:{port}/{sid}/feed.xml"]\ncountry = "US"\n'
        f'ownership = "private"\nkind = "newspaper"\n'
        f'leaning = "{leaning.get(o["leaning"], "unrated")}"\n'
        'leaning_provenance = "AllSides rating in corpus-abp"\n\n'
        for sid, o in outlets.items()
    )
    (tmp / "sources.toml").write_text(catalog)
    config = tmp / "config.toml"
    config.write_text(
        f'[store]\npath = "{tmp / "db.sqlite"}"\n'
        f'[sources]\ncatalog = "{tmp / "sources.toml"}"\nuse_builtin = false\n'
        '[fetch]\nallowed_hosts = ["127.0.0.1"]\nper_host_delay = 0.0\n'
        "per_host_concurrency = 16\nconcurrency = 16\nretries = 0\n"
        "max_articles_per_feed = 5000\n"
        f'[briefing]\noutput_dir = "{tmp / "out"}"\nbase_url = "http://127.0.0.1:{web_port}"\n'
        f"[serve]\nport = {web_port}\n"
        f"[quotes]\nenabled = {'true' if quotes else 'false'}\n"
    )
    return config


def run_brief(config: Path) -> dict[str, Any]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(
        [str(BIN), "--config", str(config), "--json", "brief"],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    try:
        summary = json.loads(proc.stdout)
    except json.JSONDecodeError:
        summary = {"stdout": proc.stdout[-3000:], "stderr": proc.stderr[-3000:]}
    return {
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu, 1),
        "exit": proc.returncode,
        "summary": summary,
    }


WRK_SCRIPT = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


def _ms(value: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s)", value)
    if not m:
        return float("nan")
    n, unit = float(m.group(1)), m.group(2)
    return n / 1000 if unit == "us" else n * 1000 if unit == "s" else n


def load_test(config: Path, web_port: int, story_ids: list[int], duration: int) -> dict[str, Any]:
    if not story_ids:
        return {"skipped": "no stories in the briefing"}
    wrk = shutil.which("wrk")
    if wrk is None:
        return {"skipped": "wrk not installed (apt-get install wrk)"}
    server = subprocess.Popen(
        [str(BIN), "--config", str(config), "--quiet", "serve"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{web_port}"
        wait_port(web_port, 30)
        script = Path(config.parent / "paths.lua")
        script.write_text(WRK_SCRIPT % ", ".join(f'"/story/{i}"' for i in story_ids))
        warm = [wrk, "-t2", "-c32", "-d3s", "-s", str(script), base]
        subprocess.run(warm, capture_output=True, text=True, check=False)
        cmd = [wrk, "-t2", "-c32", f"-d{duration}s", "--latency", "-s", str(script), base]
        out = subprocess.run(cmd, capture_output=True, text=True, check=False).stdout
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    pct = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", out, re.MULTILINE))
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "connections": 32,
        "threads": 2,
        "duration_s": duration,
        "stories": len(story_ids),
        "p50_ms": _ms(pct.get("50", "")),
        "p90_ms": _ms(pct.get("90", "")),
        "p99_ms": _ms(pct.get("99", "")),
        "requests_per_s": float(rps.group(1)) if rps else None,
        "non_2xx": int(errors.group(1)) if errors else 0,
        "wrk_output": out[-1500:],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data")
    ap.add_argument("--articles", type=int, default=5000)
    ap.add_argument("--outlets", type=int, default=100)
    ap.add_argument("--duration", type=int, default=20)
    ap.add_argument("--keep", help="work in this folder and keep it")
    ap.add_argument("--no-quotes", action="store_true", help="run with quotes.enabled = false")
    args = ap.parse_args()
    # A SIGTERM (timeout, kill) still stops the feed server and cleans up.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    src = data_dir(args.data) / "corpus-abp" / "articles.jsonl.gz"
    t0 = time.perf_counter()
    records = load_day(src, args.outlets, args.articles)
    now = datetime.now(UTC).replace(microsecond=0)
    routes, outlets = build_site(records, now)
    prep = time.perf_counter() - t0
    print(f"prepared {len(records)} articles of {len(outlets)} outlets in {prep:.1f}s", flush=True)

    tmp = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-e2e-"))
    tmp.mkdir(parents=True, exist_ok=True)
    port, web_port = free_port(), free_port()
    ctx = multiprocessing.get_context("fork")
    ready = ctx.Event()
    site = ctx.Process(target=_serve, args=(routes, port, ready), daemon=True)
    site.start()
    ready.wait(30)
    try:
        config = write_config(tmp, outlets, port, web_port, quotes=not args.no_quotes)
        brief = run_brief(config)
    finally:
        site.terminate()
        site.join(10)
    print(
        f"brief: {brief['seconds']} s wall, {brief['cpu_seconds']} s CPU, exit {brief['exit']}",
        flush=True,
    )
    summary = brief.get("summary", {})
    print(json.dumps({k: summary.get(k) for k in ("stage_seconds", "counts", "errors")}, indent=1))

    day = now.date().isoformat()
    story_ids: list[int] = []
    bj = tmp / "out" / day / "briefing.json"
    if bj.exists():
        data = json.loads(bj.read_text())
        story_ids = [i["perspective"]["story_id"] for s in data["sections"] for i in s["items"]]
    web = load_test(config, web_port, story_ids, args.duration)
    print(
        f"story page: p50 {web.get('p50_ms')} ms, p99 {web.get('p99_ms')} ms, "
        f"{web.get('requests_per_s')} req/s",
        flush=True,
    )

    result = {
        "articles_served": len(records),
        "outlets": len(outlets),
        "quotes_enabled": not args.no_quotes,
        "brief_seconds": brief["seconds"],
        "brief_cpu_seconds": brief["cpu_seconds"],
        "brief_exit": brief["exit"],
        "stage_seconds": summary.get("stage_seconds"),
        "counts": summary.get("counts"),
        "errors": summary.get("errors"),
        "briefing_stories": len(story_ids),
        "story_page": web,
        "targets": {"brief_seconds": 120, "story_page_p99_ms": 50},
    }
    path = save("e2e" if not args.no_quotes else "e2e-no-quotes", result)
    print(f"saved {path.relative_to(REPO)}")
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
