"""Quotation-mark spans, sentence spans and quote keys: pure text, no model."""

from __future__ import annotations

import random

import pytest

from manysides.nlp.text import sentence_spans
from manysides.quotes.marks import quote_spans
from manysides.quotes.merge import quote_key, same_quote


def texts(text: str) -> list[str]:
    return [text[s:e] for s, e in quote_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He said “we will win” today.", ["“we will win”"]),
        ('He said "we will win" today.', ['"we will win"']),
        ("Il a dit « nous gagnerons » hier.", ["« nous gagnerons »"]),
        ("Er sagte „wir gewinnen“ gestern.", ["„wir gewinnen“"]),
        ("She called it ‘a total disaster’ on Monday.", ["‘a total disaster’"]),
    ],
)
def test_quote_styles(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_apostrophes_are_not_quotes() -> None:
    assert texts("Trump’s aides didn’t say. The players’ union and rock ’n’ roll.") == []


def test_nested_single_quotes_stay_inside() -> None:
    text = "“He told me ‘never again’ and left,” she said."
    assert texts(text) == ["“He told me ‘never again’ and left,”"]


def test_quote_running_across_paragraphs() -> None:
    text = "“First paragraph of the speech.\n\n“Second paragraph ends here.”\n\nAfter."
    assert texts(text) == ["“First paragraph of the speech.\n\n“Second paragraph ends here.”"]


def test_unclosed_quote_ends_with_its_paragraph() -> None:
    text = "“This never closes\n\nNew paragraph without marks."
    assert texts(text) == ["“This never closes"]


def test_curly_paragraph_ignores_stray_straight_quote() -> None:
    text = '"Trump tried to laugh it off, “Only Rosie.” But Kelly went on.'
    assert texts(text) == ["“Only Rosie.”"]


def test_spans_are_verbatim_and_ordered_on_random_text() -> None:
    rng = random.Random(7)
    pieces = ["“", "”", '"', "‘", "’", "«", "»", "„", " word", " said", ".", ",", "\n\n", "’s"]
    for _ in range(500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        spans = quote_spans(text)
        assert all(0 <= s < e <= len(text) for s, e in spans)
        assert spans == sorted(spans)


def test_sentences_respect_abbreviations_and_newlines() -> None:
    text = "Mr. Smith said no. Then he left.\nNew line here"
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "Mr. Smith said no.",
        "Then he left.",
        "New line here",
    ]


def test_quote_key_and_same_quote() -> None:
    assert quote_key("“We will WIN,” ") == quote_key('"we will win."')
    assert same_quote(
        "We will win this election, no matter what.",
        "we will win this election no matter what they say",
    )
    assert not same_quote("We will win this election.", "They lost the vote badly yesterday.")


def test_wrong_closing_mark_is_recovered() -> None:
    text = "Schumer tweeted: “Let’s go. We can win.’ She starred in “Trainwreck.”"
    assert texts(text) == ["“Let’s go. We can win.’", "“Trainwreck.”"]
    assert texts("He said: “We are done here.’") == ["“We are done here.’"]


def test_opening_mark_typed_as_closing_mark() -> None:
    text = "“That could create real problems for her here,“ said Jim Clyburn. “Yes.”"
    assert texts(text) == ["“That could create real problems for her here,“", "“Yes.”"]


def test_double_apostrophes_are_quotation_marks() -> None:
    text = "''It's not easy,'' said Mr. King. ''No doubt.'' He called it ''formal.'' Rock 'n' roll."
    assert texts(text) == ["''It's not easy,''", "''No doubt.''", "''formal.''"]
