"""Canonical URLs, exact fingerprints and near-duplicate (syndication) grouping."""

from __future__ import annotations

import pytest

from manysides.config import DedupeConfig
from manysides.dedupe import NearDuplicateIndex, canonical_url, estimate_jaccard, text_fingerprint


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "https://www.Example.com:443/news/story/amp/?utm_source=x&id=3#top",
            "https://example.com/news/story?id=3",
        ),
        ("https://amp.example.com/news/story", "https://example.com/news/story"),
        ("https://m.example.com/news/story/", "https://example.com/news/story"),
        ("https://mobile.example.co.uk/a?outputType=amp", "https://example.co.uk/a"),
        ("https://example.com/amp/news/story", "https://example.com/news/story"),
        ("https://example.com/news/story.amp.html", "https://example.com/news/story"),
        (
            "http://example.com:80/a?fbclid=1&gclid=2&ocid=3&cmpid=4&page=2",
            "http://example.com/a?page=2",
        ),
        ("https://example.com:8080/a", "https://example.com:8080/a"),
        ("https://example.com/search?q=a+b&b=1", "https://example.com/search?b=1&q=a+b"),
        ("https://m.com/a", "https://m.com/a"),
        # blank trackers, share links and doubled-up query marks (seen in corpus-abp)
        ("http://nytimes.com/2012/05/24/us/a.html?hp=", "http://nytimes.com/2012/05/24/us/a.html"),
        (
            "https://wsj.com/articles/a-1?reflink=article_email_share",
            "https://wsj.com/articles/a-1",
        ),
        ("https://dailywire.com/news/a?%3Futm_source=twitter", "https://dailywire.com/news/a"),
        ("", ""),
    ],
)
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


def test_fingerprint_ignores_layout_only() -> None:
    assert text_fingerprint("Hello,  World!\nSecond line.") == text_fingerprint(
        "hello world second line"
    )
    assert text_fingerprint("hello world") != text_fingerprint("hello there world")


WIRE = (
    "WASHINGTON (AP) — The Senate on Thursday passed a bill to fund the government through"
    " the end of the year, averting a shutdown hours before the deadline. The measure now goes"
    " to the House, where leaders said they expected a vote on Friday morning. Senators voted"
    " 71 to 28 after days of negotiations over disaster aid and border spending. The bill"
    " includes 12 billion dollars for communities hit by hurricanes and wildfires this year,"
    " and extends several health programs that were due to expire. Democrats had pushed for"
    " more money for food assistance, while Republicans sought cuts to foreign aid. The White"
    " House said the president would sign the bill once it reaches his desk. Congress must"
    " still agree on a full-year budget before the temporary measure runs out in December,"
    " and negotiators from both parties said talks would resume after the holiday recess."
)
OTHER = (
    "The House on Friday began debating a Senate bill to fund the government, with"
    " conservatives objecting to disaster aid they said was not offset by cuts. Speaker"
    " aides said the vote would be close. Several members of the Freedom Caucus said they"
    " would oppose the measure unless it included new border restrictions, while moderate"
    " Democrats praised the hurricane relief. Analysts said a short shutdown remained"
    " possible if the vote failed, though markets showed little concern on Friday. The"
    " Senate passed the bill on Thursday by 71 to 28 after days of negotiations."
)


def test_wire_copies_group_and_different_stories_do_not() -> None:
    index = NearDuplicateIndex(DedupeConfig())
    index.add(1, 1, index.signature(WIRE))
    copy = (
        "Local Paper Staff and Wire Reports\n"
        + WIRE.replace("WASHINGTON (AP) — ", "").replace("Friday morning", "Friday")
        + "\nCopyright 2024 The Associated Press."
        " Sign up for our newsletter."
    )
    assert estimate_jaccard(index.signature(WIRE), index.signature(copy)) >= 0.8
    assert index.find(index.signature(copy)) == 1
    assert index.find(index.signature(OTHER)) is None
    index.add(2, 1, index.signature(copy))
    index.add(2, 1, index.signature(copy))  # idempotent
    assert len(index) == 2


def test_signature_bytes_are_stable_and_sized() -> None:
    config = DedupeConfig(num_perm=32)
    sig = NearDuplicateIndex(config).signature(WIRE)
    assert sig == NearDuplicateIndex(config).signature(WIRE)
    assert len(sig) == 4 * (32 + 1)
    assert NearDuplicateIndex(config).find(sig) is None


def test_empty_text_is_never_a_duplicate() -> None:
    index = NearDuplicateIndex(DedupeConfig())
    index.add(1, 1, index.signature(""))
    assert len(index) == 0
    assert index.find(index.signature("")) is None
