"""Headless Debian chromium through Playwright, and axe-core checks on loaded pages.

Both skip the calling test cleanly when their tool is absent (``apt-get install
chromium``; ``pip install axe-playwright-python``).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SERIOUS = ("serious", "critical")


@contextmanager
def chromium() -> Iterator[Any]:
    """A launched headless chromium (Playwright ``Browser``), or the test is skipped."""
    path = shutil.which("chromium")
    if path is None:
        pytest.skip("chromium is not installed (apt-get install chromium); browser part skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def axe_runner() -> Any:
    """axe-core (``axe_playwright_python``) or skip. Pages need JavaScript on for axe."""
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        pytest.skip("axe-playwright-python is not installed; accessibility check skipped")
    return Axe()


def serious_violations(axe: Any, page: Any) -> list[str]:
    """axe's serious and critical violations on ``page``: "rule (n nodes): target, ..."."""
    found = axe.run(page).response["violations"]
    return [
        f"{v['id']} ({len(v['nodes'])}): " + ", ".join(str(n["target"]) for n in v["nodes"][:3])
        for v in found
        if v.get("impact") in SERIOUS
    ]
