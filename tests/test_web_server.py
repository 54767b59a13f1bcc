"""Serving: worker processes on one port (``serve.workers``) and the search threads
(``serve.search_threads``) that keep CPU-bound searches off the event loop's GIL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from briefing_data import ALL_SOURCES, NOW, fill_store, perspective
from smtpinbox import free_port

from manysides.config import Config
from manysides.pipeline import RunContext
from manysides.pipeline.briefing import briefing_step
from manysides.store import Store
from manysides.web import create_app, data
from manysides.web.server import MAX_AUTO_WORKERS, worker_count

REPO = Path(__file__).resolve().parents[1]


def _store(tmp: Path) -> tuple[Config, Path]:
    db = tmp / "db.sqlite"
    cfg = Config().replace("store", path=str(db)).replace("briefing", output_dir=str(tmp / "out"))
    with Store(db) as store:
        fill_store(store, [perspective(1, ALL_SOURCES, first_id=1, headline="Budget deal passes")])
        briefing_step(RunContext(store=store, config=cfg, now=NOW))
    return cfg, db


def test_worker_count_is_one_per_core_up_to_four_unless_set() -> None:
    cfg = Config()
    assert worker_count(cfg, cpus=1) == 1
    assert worker_count(cfg, cpus=2) == 2
    assert worker_count(cfg, cpus=64) == MAX_AUTO_WORKERS
    assert worker_count(cfg.replace("serve", workers=3), cpus=64) == 3
    assert worker_count(cfg.replace("serve", workers=1), cpus=8) == 1


def test_searches_wait_for_a_search_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg, db = _store(tmp_path)
    app = create_app(cfg.replace("serve", search_threads=2), db)
    running, most = 0, 0
    lock = threading.Lock()
    real = data.search

    def slow_search(*args: object, **kwargs: object) -> dict:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05)
        try:
            return real(*args, **kwargs)  # type: ignore[arg-type]
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(data, "search", slow_search)
    import anyio

    codes: list[int] = []

    async def load() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:

            async def one(path: str) -> None:
                codes.append((await client.get(path)).status_code)

            async with anyio.create_task_group() as tg:
                for i in range(8):
                    tg.start_soon(one, "/api/search?q=budget" if i % 2 else "/search?q=budget")

    anyio.run(load)
    assert codes == [200] * 8
    assert most == 2  # never more than serve.search_threads at once, and they did overlap


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.slow
def test_serve_with_two_workers_answers_and_stops_on_interrupt(tmp_path: Path) -> None:
    cfg, db = _store(tmp_path)
    port = free_port()
    config = tmp_path / "config.toml"
    config.write_text(
        f'[store]\npath = "{db}"\n[briefing]\noutput_dir = "{tmp_path / "out"}"\n'
        f"[serve]\nport = {port}\nworkers = 2\n"
    )
    env = os.environ | {"PYTHONPATH": str(REPO / "src")}
    server = subprocess.Popen(
        [sys.executable, "-m", "manysides", "--config", str(config), "--quiet", "serve"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        deadline = time.monotonic() + 120
        answer = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/api/search?q=budget", timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.3)
        assert answer is not None and answer.status_code == 200, server.stderr
        assert answer.json()["stories"][0]["headline"] == "Budget deal passes"
        page = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
        assert page.status_code == 200 and "Budget deal passes" in page.text
        workers = [p for p in _children(server.pid) if "spawn_main" in _cmdline(p)]
        assert len(workers) == 2
    finally:
        server.send_signal(signal.SIGINT)
        try:
            code = server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            raise
    assert code == 0
    assert not [p for p in workers if Path(f"/proc/{p}").exists()]


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def test_a_repeated_search_is_kept_until_the_database_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastapi.testclient import TestClient

    from manysides.records import Article

    cfg, db = _store(tmp_path)
    app = create_app(cfg, db)
    calls = 0
    real = data.search

    def counted(*args: object, **kwargs: object) -> dict:
        nonlocal calls
        calls += 1
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(data, "search", counted)
    with TestClient(app) as client:
        first = client.get("/api/search?q=glacier")
        assert first.json()["articles"] == []
        again = client.get("/api/search?q=glacier")
        assert again.content == first.content and again.headers["etag"] == first.headers["etag"]
        assert calls == 1  # the second was a cache hit
        client.get("/search?q=glacier")
        client.get("/search?q=glacier")
        assert calls == 2  # the page and the API are kept apart
        with Store(db) as store:  # something new is stored: the next search sees it
            store.articles.save_article(
                Article(
                    url="https://center-wire.example/glacier",
                    canonical_url="https://center-wire.example/glacier",
                    title="Glacier retreat measured",
                    text="The glacier retreated forty metres this year, surveyors said.",
                    source_id="center-wire",
                    published=NOW,
                )
            )
        found = client.get("/api/search?q=glacier").json()["articles"]
        assert [a["title"] for a in found] == ["Glacier retreat measured"]
        assert "Glacier retreat measured" in client.get("/search?q=glacier").text
        assert calls == 4
