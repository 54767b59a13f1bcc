"""CLI behaviour: one-line user errors with exit code 2, JSON output, status."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from clitools import run


def test_unknown_config_key_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text("[fetch]\nbogus = 1\n")
    code, _, err = run(["--config", str(cfg), "status"], capsys)
    assert code == 2
    assert "unknown config key 'fetch.bogus'" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_missing_config_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["--config", str(tmp_path / "nope.toml"), "status"], capsys)
    assert code == 2 and "config file not found" in err


def test_ingest_bad_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        ["--db", str(tmp_path / "x.db"), "ingest", str(tmp_path / "missing")], capsys
    )
    assert code == 2 and "no such file" in err and "Traceback" not in err


def test_unknown_command_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run(["frobnicate"], capsys)
    assert code == 2


def test_status_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--db", str(tmp_path / "s.db"), "--json", "status"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["articles"] == 0 and data["db"].endswith("s.db")


def test_console_script_runs() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "manysides", "--help"], capture_output=True, text=True, check=False
    )
    assert out.returncode == 0 and "brief" in out.stdout


def test_brief_rejects_unknown_source_and_bad_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "b.db")
    code, _, err = run(["--db", db, "brief", "--sources", "nope", "--steps", "fetch"], capsys)
    assert code == 2 and "unknown source 'nope'" in err
    code, _, err = run(["--db", db, "brief", "--as-of", "yesterday-ish"], capsys)
    assert code == 2 and "--as-of" in err
    code, _, err = run(["--db", db, "brief", "--steps", "fetch,dance"], capsys)
    assert code == 2 and "unknown step" in err
