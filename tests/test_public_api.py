"""The public API is small and pinned: changing it must be a deliberate edit here."""

from __future__ import annotations

import subprocess
import sys

import manysides

PUBLIC = {
    "Article",
    "BlockedURLError",
    "Config",
    "ConfigError",
    "DropItem",
    "ExtractionError",
    "FeedEntry",
    "FetchError",
    "FetchResult",
    "ItemError",
    "ManysidesError",
    "ParseError",
    "RawDocument",
    "Report",
    "RunContext",
    "STEPS",
    "Source",
    "Store",
    "StoreError",
    "UserError",
    "load_config",
    "run_steps",
    "__version__",
}


def test_public_names_are_pinned() -> None:
    assert set(manysides.__all__) == PUBLIC
    for name in PUBLIC:
        assert getattr(manysides, name) is not None


def test_steps_declare_requires_and_assigns() -> None:
    order = [
        "fetch",
        "ingest",
        "reprocess",
        "stories",
        "quotes",
        "perspectives",
        "briefing",
        "check",
    ]
    assert list(manysides.STEPS) == order
    for step in manysides.STEPS.values():
        assert step.assigns and step.doc


def test_import_is_light() -> None:
    """Importing the package and the CLI must not pull heavy libraries."""
    code = (
        "import sys, manysides, manysides.cli, manysides.store;"
        "heavy = [m for m in ('spacy', 'torch', 'sklearn', 'onnxruntime', 'fastapi', 'trafilatura')"
        " if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
