"""Site templates: recurring lines learned per site, bounded, serializable."""

from __future__ import annotations

import pytest

from manysides.config import ExtractConfig
from manysides.errors import ParseError
from manysides.extract.templates import (
    MAX_LINES_PER_SITE,
    TemplateLearner,
    site_key,
    strip_template,
)

PROMO = "Get The Ledger's morning briefing, free every weekday"


def _page(i: int) -> str:
    return f"Story number {i} about the harbour and line {i * 7}.\n{PROMO}\nMore text {i}."


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://www.bbc.co.uk/news/world-1", "bbc.co.uk"),
        ("https://edition.cnn.com/2024/a", "cnn.com"),
        ("http://abc.net.au/news", "abc.net.au"),
        ("https://Example.COM:8443/x", "example.com"),
        ("nytimes.com/section", "nytimes.com"),
        ("", ""),
    ],
)
def test_site_key(url: str, key: str) -> None:
    assert site_key(url) == key


def test_lines_recurring_on_enough_pages_become_the_template() -> None:
    learner = TemplateLearner(ExtractConfig(template_min_pages=3, template_min_share=0.5))
    for i in range(2):
        learner.observe("ledger.example", _page(i))
    assert learner.template("ledger.example") == frozenset()  # too few pages yet
    for i in range(2, 6):
        learner.observe("ledger.example", _page(i))
    template = learner.template("ledger.example")
    assert template == {"get the ledger's morning briefing, free every weekday"}
    assert learner.template("other.example") == frozenset()
    assert (
        strip_template(_page(9), template)
        == "Story number 9 about the harbour and line 63.\nMore text 9."
    )


def test_share_threshold() -> None:
    learner = TemplateLearner(ExtractConfig(template_min_pages=2, template_min_share=0.5))
    for i in range(10):
        learner.observe("s.example", _page(i) if i < 4 else f"unique page {i}")
    assert learner.template("s.example") == frozenset()  # 4 of 10 pages < 50 %


def test_round_trip_and_bad_state() -> None:
    config = ExtractConfig(template_min_pages=2, template_min_share=0.1)
    learner = TemplateLearner(config)
    for i in range(4):
        learner.observe("a.example", _page(i))
    again = TemplateLearner.from_bytes(learner.to_bytes(), config)
    assert again.template("a.example") == learner.template("a.example") != frozenset()
    with pytest.raises(ParseError):
        TemplateLearner.from_bytes(b"not a template state", config)


def test_memory_is_bounded() -> None:
    learner = TemplateLearner(ExtractConfig(template_min_pages=2, template_min_share=0.01))
    for i in range(300):
        learner.observe("big.example", "\n".join(f"line {i} {j}" for j in range(50)) + "\n" + PROMO)
    assert len(learner._sites["big.example"].lines) <= MAX_LINES_PER_SITE
    assert "get the ledger's morning briefing, free every weekday" in learner.template(
        "big.example"
    )
