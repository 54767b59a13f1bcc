"""The first run on a machine without internet: `manysides brief` reaches no source, says so
in one line and builds the shipped sample briefing instead, labelled as a sample in every
output, in its own store and folder; `serve --sample` shows it (in Chromium when installed).

Set ``MANYSIDES_SCREENSHOT=docs/briefing.png`` to refresh the screenshot in the docs.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from clitools import run_cli
from smtpinbox import free_port

from manysides import sample


@dataclass
class OfflineRun:
    home: Path
    config: Path
    code: int
    out: str
    err: str


@pytest.fixture(scope="module")
def offline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OfflineRun]:
    tmp = tmp_path_factory.mktemp("offline")
    home = tmp / "home"
    closed = free_port()  # nothing listens here: every feed fails like an offline machine's
    (tmp / "sources.toml").write_text(
        "".join(
            f'[sources.{sid}]\nname = "{sid.title()}"\ndomains = ["{sid}.example"]\n'
            f'feeds = ["http://127.0.0.1:{closed}/{sid}/feed.xml"]\nleaning = "center"\n\n'
            for sid in ("one", "two")
        )
    )
    config = tmp / "config.toml"
    config.write_text(
        f'[sources]\ncatalog = "{tmp / "sources.toml"}"\nuse_builtin = false\n'
        '[fetch]\nallowed_hosts = ["127.0.0.1"]\nretries = 0\n'
    )
    previous = os.environ.get("MANYSIDES_HOME")
    os.environ["MANYSIDES_HOME"] = str(home)
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = run_cli(["--config", str(config), "brief"])
        yield OfflineRun(home, config, code, out.getvalue(), err.getvalue())
    finally:
        if previous is None:
            os.environ.pop("MANYSIDES_HOME", None)
        else:
            os.environ["MANYSIDES_HOME"] = previous


def test_offline_brief_says_so_and_builds_the_labelled_sample(offline: OfflineRun) -> None:
    assert offline.code == 1  # the feeds failed (recorded); the run still produced a briefing
    [line] = [ln for ln in offline.err.splitlines() if "no source could be reached" in ln]
    assert "building the sample briefing instead" in line
    day = offline.home / "sample" / "briefings" / sample.LAST_DAY
    data = json.loads((day / "briefing.json").read_text())
    items = [i for s in data["sections"] for i in s["items"]]
    assert len(items) >= 5, "the sample briefing is nearly empty"
    assert data["label"] == sample.LABEL
    outlets = {a["outlet"] for i in items for a in i["perspective"]["articles"]}
    assert len(outlets) >= 8 and "Associated Press" in json.dumps(data)
    for name in ("index.html", "email.html", "briefing.txt", "briefing.md"):
        assert "Sample: real news of 18 to 24 May 2020" in (day / name).read_text(), name
    root = day.parent
    assert "Sample: real news" in (root / "index.html").read_text()
    assert "Sample: real news" in (root / "feed.atom").read_text()
    # Where it is and how to get live news, in the summary.
    assert str(day / "index.html") in offline.out.replace("\n", "")
    assert "serve --sample" in offline.out and "sources check" in offline.out


def test_the_email_of_ten_real_stories_is_under_40_kb(offline: OfflineRun) -> None:
    from manysides.briefing import Briefing
    from manysides.briefing.render import render_email_html
    from manysides.briefing.view import RenderOptions
    from manysides.config import BriefingConfig

    day = offline.home / "sample" / "briefings" / sample.LAST_DAY
    briefing = Briefing.from_dict(json.loads((day / "briefing.json").read_text()))
    assert len(briefing.items) >= 10
    kept = 0
    for section in briefing.sections:  # the first ten stories, in display order
        section.items = section.items[: max(0, 10 - kept)]
        kept += len(section.items)
    briefing.sections = [s for s in briefing.sections if s.items]
    opts = RenderOptions.from_config(
        BriefingConfig(base_url="https://news.example.org", label=sample.LABEL)
    )
    opts = dataclasses.replace(opts, unsubscribe="https://news.example.org/unsubscribe?u=1")
    email = render_email_html(briefing, opts).encode("utf-8")
    assert len(briefing.items) == 10
    assert len(email) < 40_000, len(email)
    # Nothing required was dropped to get there.
    text = email.decode()
    assert "Sample: real news" in text and "Unsubscribe" in text
    assert text.count("<h3>") == 10 and "Sources" in text and "Who said what" in text
    # The shipped email carries every story of the briefing (more than ten since stories
    # hold together better): the same budget, 40 KB per ten stories.
    shipped = Briefing.from_dict(json.loads((day / "briefing.json").read_text()))
    assert (day / "email.html").stat().st_size < 4_000 * max(10, len(shipped.items))


def test_the_sample_never_mixes_with_live_data(offline: OfflineRun) -> None:
    import sqlite3

    live = sqlite3.connect(offline.home / "manysides.db")
    kept = sqlite3.connect(offline.home / "sample" / "manysides.db")
    try:
        assert live.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 0
        assert kept.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 163
    finally:
        live.close()
        kept.close()
    # The live briefing (empty) is in the live folder, the sample's in its own.
    assert not (offline.home / "briefings" / sample.LAST_DAY).exists()


def test_sample_rejects_replay_options(offline: OfflineRun) -> None:
    with contextlib.redirect_stderr(io.StringIO()) as err:
        code = run_cli(["--config", str(offline.config), "brief", "--sample", "--as-of", "2020"])
    assert code == 2 and "--sample" in err.getvalue()


@pytest.mark.browser
def test_serve_sample_in_chromium(offline: OfflineRun, tmp_path: Path) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("chromium is not installed (apt-get install chromium); browser part skipped")
    import threading
    import time

    import uvicorn
    from playwright.sync_api import sync_playwright

    from manysides.config import db_path, load_config
    from manysides.web import create_app

    previous = os.environ.get("MANYSIDES_HOME")
    os.environ["MANYSIDES_HOME"] = str(offline.home)
    try:
        cfg = sample.sample_config(load_config(offline.config))
        app = create_app(cfg, db_path(cfg))
    finally:
        if previous is None:
            os.environ.pop("MANYSIDES_HOME", None)
        else:
            os.environ["MANYSIDES_HOME"] = previous
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    shot = Path(os.environ.get("MANYSIDES_SCREENSHOT") or tmp_path / "sample.png")
    try:
        deadline = time.monotonic() + 15
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
            )
            try:
                page = browser.new_context(
                    java_script_enabled=False, viewport={"width": 1100, "height": 1500}
                ).new_page()
                response = page.goto(f"http://127.0.0.1:{port}/")
                assert response is not None and response.status == 200
                assert "Sample: real news" in page.locator("p.notice").inner_text()
                assert page.locator("article.story").count() >= 5
                page.screenshot(path=str(shot))
                page.locator("article.story h3 a").first.click()
                assert "Sample: real news" in page.locator("p.notice").inner_text()
            finally:
                browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    assert shot.stat().st_size > 20_000
