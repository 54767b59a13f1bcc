"""Shared fixtures. No test reaches the internet; quality gates need ../shared/data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest_plugins = ["httpserver"]  # the local HTTP server fixture (tests/httpserver.py)

REPO = Path(__file__).resolve().parent.parent


def shared_data_dir() -> Path:
    return Path(os.environ.get("MANYSIDES_SHARED_DATA", REPO.parent / "shared" / "data"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that needs ``shared_data`` (directly or through another fixture) is a
    quality gate, so ``pytest -m "not quality"`` is the fast subset without remembering
    the marker; browser tests carry ``@pytest.mark.browser`` themselves."""
    for item in items:
        if "shared_data" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.quality)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The evaluation data folder; quality-gate tests skip cleanly without it."""
    path = shared_data_dir()
    if not path.is_dir():
        pytest.skip(f"quality gate: {path} not present")
    return path


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep every test's data and config out of the real user directories."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("MANYSIDES_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "share"))
    monkeypatch.delenv("MANYSIDES_CONFIG", raising=False)
