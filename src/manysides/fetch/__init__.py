"""Network input: the safe asynchronous fetcher, robots.txt, feed and sitemap parsing.

``Fetcher`` is imported lazily so that light submodules (``charset``, ``feeds``) do not
pull in httpx.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .client import Fetcher, HTTPStatusError

__all__ = ["Fetcher", "HTTPStatusError"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import client

        return getattr(client, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
