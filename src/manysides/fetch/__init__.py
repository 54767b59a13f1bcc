"""Network input: the safe asynchronous fetcher, robots.txt, feed and sitemap parsing."""

from __future__ import annotations

from .client import Fetcher, HTTPStatusError

__all__ = ["Fetcher", "HTTPStatusError"]
