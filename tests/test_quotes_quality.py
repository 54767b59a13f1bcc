"""Quality gate on PolNeAR dev (needs ../shared/data; skips without it).

The subset is every 4th dev article (21 articles, all seven outlets, New York Times ''
quotation marks included). Floors sit a little under what it measures (direct F1 0.847,
direct speaker accuracy 0.906, all-attributions F1 0.636; docs/benchmarks.md has the full
split); the run takes about 10 s.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from manysides.config import QuotesConfig
from manysides.quotes import QuoteAnalyzer
from manysides.quotes.evaluate import read_polnear, score
from manysides.quotes.records import verbatim

EVERY = 4


@pytest.fixture(scope="module")
def scored(shared_data: Path) -> dict[str, object]:
    articles = read_polnear(shared_data / "polnear" / "dev")[::EVERY]
    results = list(QuoteAnalyzer(QuotesConfig()).analyze_many(a.text for a in articles))
    pairs = [(a, r.quotes) for a, r in zip(articles, results, strict=True)]
    return {
        "direct": score(pairs, direct_only=True),
        "all": score(pairs),
        "verbatim": all(verbatim(a.text, q) for a, qs in pairs for q in qs),
    }


def test_direct_quotes_floor(scored: dict) -> None:
    direct = scored["direct"]
    assert direct.f1 >= DIRECT_F1, direct.as_dict()
    assert direct.speaker_accuracy >= DIRECT_SPEAKER, direct.as_dict()


def test_all_attributions_floor(scored: dict) -> None:
    assert scored["all"].f1 >= ALL_F1, scored["all"].as_dict()


def test_quotes_are_verbatim_on_real_news(scored: dict) -> None:
    assert scored["verbatim"]


DIRECT_F1 = 0.80
DIRECT_SPEAKER = 0.86
ALL_F1 = 0.60
