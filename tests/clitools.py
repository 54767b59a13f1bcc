"""Run the ``manysides`` entry point in-process, as the CLI tests do."""

from __future__ import annotations

import pytest

from manysides.cli import main


def run_cli(args: list[str]) -> int:
    """Run ``manysides ARGS`` and return its exit code."""
    try:
        main(args)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run ``manysides ARGS``; returns (exit code, stdout, stderr)."""
    code = run_cli(args)
    out, err = capsys.readouterr()
    return code, out, err
