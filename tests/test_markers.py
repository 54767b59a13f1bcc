"""The ``quality`` and ``browser`` markers sit where they belong (a fast subset exists)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent


def _tests(path: Path) -> list[ast.FunctionDef]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]


def _marks(fn: ast.FunctionDef) -> set[str]:
    return {ast.unparse(d).split("(")[0].removeprefix("pytest.mark.") for d in fn.decorator_list}


def test_every_browser_test_is_marked() -> None:
    unmarked = [
        f"{path.name}::{fn.name}"
        for path in sorted(TESTS.glob("test_*.py"))
        if path.name != Path(__file__).name
        for fn in _tests(path)
        if fn.name.startswith("test_")
        and any(call in ast.unparse(fn) for call in ("chromium(", "sync_playwright("))
        and "browser" not in _marks(fn)
    ]
    assert not unmarked, f"tests starting a browser without @pytest.mark.browser: {unmarked}"


def test_shared_data_tests_are_quality_gates(request: pytest.FixtureRequest) -> None:
    items = request.session.items
    gated = [i for i in items if "shared_data" in getattr(i, "fixturenames", ())]
    if not gated:
        pytest.skip("no quality gate collected in this run")
    assert all(i.get_closest_marker("quality") for i in gated)
