"""The shared tokenizer, stop words, stemmer and sentence splitter (``manysides.nlp.text``)."""

from __future__ import annotations

import pytest

from manysides.nlp.text import (
    STOPWORDS,
    content_stems,
    sentence_spans,
    split_sentences,
    stem,
    tokens,
    words,
    wordset,
)


def test_words_are_lower_case_letters_and_digits_of_any_script() -> None:
    assert words("Macrón’s 2,500 U.S. snake_case!") == [
        "macrón",
        "s",
        "2",
        "500",
        "u",
        "s",
        "snake",
        "case",
    ]
    assert words("") == [] and words(None) == []  # type: ignore[arg-type]


def test_tokens_keep_case_and_inner_apostrophes() -> None:
    assert tokens("Don't panic, O’Brien said 'hi'.") == ["Don't", "panic", "O’Brien", "said", "hi"]


def test_stems_fold_inflections_and_content_stems_drop_stop_words() -> None:
    assert stem("ruled") == stem("rules") == "rule" and stem("running") == "run"
    assert stem("earthquakes") == stem("earthquake")
    assert content_stems("The senators said they were voting on the bills") == [
        "senator",
        "vote",
        "bill",
    ]
    assert content_stems("5 a b cd", min_len=2) == ["cd"]
    assert content_stems("one two three four", limit=3) == ["three"]
    assert {"the", "said", "according", "mr"} <= STOPWORDS


def test_stems_are_dictionary_forms_not_derivations() -> None:
    assert stem("slammed") == "slam" and stem("said") == "say" and stem("people") == "people"
    assert stem("protests") == "protest" and stem("protestant") == "protestant"
    assert stem("democrats") != stem("democratic")


def test_wordset() -> None:
    assert wordset(" a  b\nc ") == frozenset({"a", "b", "c"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sen. Sanders spoke. Then he left.", ["Sen. Sanders spoke.", "Then he left."]),
        ("U.S. troops left. Officials said so.", ["U.S. troops left.", "Officials said so."]),
        ("John F. Kennedy won. It was 1960.", ["John F. Kennedy won.", "It was 1960."]),
        ("He said no. Then he left.", ["He said no.", "Then he left."]),
        ("It is No. 1 in the poll. Good.", ["It is No. 1 in the poll.", "Good."]),
        ('"We won," she said. "Now we govern."', ['"We won," she said.', '"Now we govern."']),
        ("“It is over.” The crowd left.", ["“It is over.”", "The crowd left."]),
        (
            "Wait… Then it fell!  Why? Nobody knows",
            ["Wait…", "Then it fell!", "Why?", "Nobody knows"],
        ),
        (
            "prices rose 3.5 percent. in lower case it goes on",
            ["prices rose 3.5 percent. in lower case it goes on"],
        ),
        ("(Sen. Warren) spoke. Yes.", ["(Sen. Warren) spoke.", "Yes."]),
        ("", []),
        ("   ", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_split_sentences_folds_newlines_but_spans_stop_at_them() -> None:
    text = "Mr. Smith said no. Then he left.\nNew line here"
    assert split_sentences(text) == ["Mr. Smith said no.", "Then he left.", "New line here"]
    assert [text[a:b] for a, b in sentence_spans(text)] == split_sentences(text)
    assert sentence_spans("  Title\n\n  Body text.  ") == [(2, 7), (11, 21)]
