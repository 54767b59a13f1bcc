"""`manysides run`: interval parsing, daily build time, and the loop's step choice."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

import pytest
from clitools import run_cli

from manysides.briefing.schedule import (
    briefing_due,
    next_sleep,
    parse_clock,
    parse_interval,
    seconds_until,
)
from manysides.config import Config
from manysides.errors import UserError
from manysides.pipeline import Report
from manysides.pipeline.briefing import Schedule, run_schedule
from manysides.registrations import BRIEF_STEPS
from manysides.store import Store


def test_parse_interval() -> None:
    assert parse_interval("1h") == 3600
    assert parse_interval("30m") == 1800
    assert parse_interval("1h30m") == 5400
    assert parse_interval("90s") == 90
    assert parse_interval("120") == 120
    for bad in ("", "1x", "h", "5s", "1h and more", "-1h"):
        with pytest.raises(UserError):
            parse_interval(bad)


def test_parse_clock() -> None:
    assert parse_clock("06:00") == time(6, 0)
    assert parse_clock("7:05") == time(7, 5)
    for bad in ("24:00", "6", "06:60", "six"):
        with pytest.raises(UserError):
            parse_clock(bad)


def test_due_and_sleep() -> None:
    morning = datetime(2026, 3, 10, 5, 30)
    assert not briefing_due(morning, time(6, 0), None)
    assert briefing_due(morning.replace(hour=6), time(6, 0), None)
    assert not briefing_due(morning.replace(hour=7), time(6, 0), morning.date())
    assert seconds_until(morning, time(6, 0)) == 1800
    assert seconds_until(morning.replace(hour=7), time(6, 0)) == 22.5 * 3600
    assert next_sleep(morning, 3600, time(6, 0)) == 1800  # wake up for the build
    assert next_sleep(morning.replace(hour=7), 3600, time(6, 0)) == 3600


class InstantStop:
    """A stop event whose waits return at once (and record how long they would sleep)."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def is_set(self) -> bool:
        return False

    def wait(self, timeout: float) -> bool:
        self.waits.append(timeout)
        return False


def test_loop_builds_once_then_only_ingests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, ...]] = []

    def fake_run_steps(ctx, steps, command):  # noqa: ANN001, ANN202
        calls.append(tuple(steps))
        ctx.report.count("articles_new", 1)
        return ctx.report

    monkeypatch.setattr("manysides.pipeline.run_steps", fake_run_steps)
    lines: list[str] = []
    stop = InstantStop()
    cycles = run_schedule(
        lambda: Store(tmp_path / "db.sqlite"),
        Config(),
        Schedule(every=600, build_at=time(0, 0), iterations=3),
        Report,
        lines.append,
        stop,  # type: ignore[arg-type]
    )
    assert cycles == 3
    assert calls == [BRIEF_STEPS, ("fetch", "stories"), ("fetch", "stories")]
    assert len(stop.waits) == 2 and all(0 < w <= 600 for w in stop.waits)
    assert "articles_new 1" in lines[0]


def test_cli_rejects_bad_schedule_and_missing_db(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    db = ["--db", str(tmp_path / "none.db")]
    assert run_cli([*db, "run", "--every", "5x"]) == 2
    assert "bad interval" in capsys.readouterr().err
    assert run_cli([*db, "run", "--at", "25:00"]) == 2
    assert "bad time" in capsys.readouterr().err
    assert run_cli([*db, "serve"]) == 2
    assert "manysides brief" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()


def test_run_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time as clock

    catalog = tmp_path / "sources.toml"
    catalog.write_text(
        '[sources.dead-feed]\nname = "Dead"\ndomains = ["dead.example"]\n'
        'feeds = ["http://127.0.0.1:9/feed.xml"]\nleaning = "center"\n'
    )
    config = tmp_path / "config.toml"
    config.write_text(
        f'[store]\npath = "{tmp_path / "db.sqlite"}"\n'
        f'[sources]\ncatalog = "{catalog}"\nuse_builtin = false\n'
        '[fetch]\nallowed_hosts = ["127.0.0.1"]\nretries = 0\n'
        f'[briefing]\noutput_dir = "{tmp_path / "out"}"\n'
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "manysides",
            "--config",
            str(config),
            "run",
            "--every",
            "1h",
            "--at",
            "23:59",
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = proc.stderr.readline()  # the banner
        assert "Ctrl-C to stop" in first
        cycle = proc.stderr.readline()  # one fetch+stories cycle, then a long sleep
        assert "fetch+stories" in cycle or "briefing" in cycle, cycle
        clock.sleep(0.3)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
        assert "stopped" in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
