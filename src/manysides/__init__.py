"""manysides: an open news briefing engine.

fetch → extract → dedupe → stories → who-said-what → perspectives → briefing.

The public library API is the names in ``__all__`` (pinned by ``tests/test_public_api.py``);
they are imported lazily so ``import manysides`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    # configuration and store
    "Config": ".config",
    "load_config": ".config",
    "Store": ".store",
    # records
    "Source": ".records",
    "FeedEntry": ".records",
    "FetchResult": ".records",
    "RawDocument": ".records",
    "Article": ".records",
    # running the pipeline
    "RunContext": ".pipeline",
    "Report": ".pipeline",
    "run_steps": ".pipeline",
    "STEPS": ".registrations",
    # errors
    "ManysidesError": ".errors",
    "UserError": ".errors",
    "ConfigError": ".errors",
    "ItemError": ".errors",
    "FetchError": ".errors",
    "BlockedURLError": ".errors",
    "ParseError": ".errors",
    "ExtractionError": ".errors",
    "DropItem": ".errors",
    "StoreError": ".errors",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'manysides' has no attribute {name!r}")
    return getattr(importlib.import_module(module, __name__), name)
