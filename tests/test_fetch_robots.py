"""robots.txt rules as RFC 9309 reads them (Protego): the longest matching rule wins."""

from __future__ import annotations

import pytest

from manysides.fetch.robots import parse_robots

ROBOTS = b"""User-agent: *
Disallow: /news/
Allow: /news/public/
Disallow: /*.pdf$
Allow: /shop
Disallow: /shop/cart
Crawl-delay: 2

User-agent: manysides
Disallow: /private
"""


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/", True),
        ("/news/today", False),
        ("/news/public/story", True),  # Allow is longer than Disallow: /news/ (first-match says no)
        ("/report.pdf", False),
        ("/report.pdf?page=2", True),  # "$" anchors the end of the path and query
        ("/shop/shoes", True),
        ("/shop/cart/1", False),  # Disallow is longer than Allow: /shop
    ],
)
def test_longest_match_wins(path: str, allowed: bool) -> None:
    rules = parse_robots(ROBOTS)
    assert rules.allowed("somebot", f"https://example.org{path}") is allowed


def test_a_named_group_replaces_the_star_group() -> None:
    rules = parse_robots(ROBOTS)
    assert not rules.allowed("manysides", "https://example.org/private/x")
    assert rules.allowed("manysides", "https://example.org/news/today")  # only its own group
    assert rules.crawl_delay("somebot") == 2.0 and rules.crawl_delay("manysides") == 0.0


def test_huge_and_garbage_bodies() -> None:
    assert parse_robots(b"\xff\xfe garbage \x00\n" * 10).allowed("a", "https://x.org/")
    big = b"User-agent: *\nCrawl-delay: 999\n" + b"Disallow: /x\n" * 100_000
    rules = parse_robots(big)
    assert not rules.allowed("a", "https://x.org/x") and rules.crawl_delay("a") == 10.0
