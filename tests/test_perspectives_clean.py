"""What a displayed sentence may look like: datelines stripped, fragments flagged."""

from __future__ import annotations

import pytest

from manysides.config import PerspectivesConfig
from manysides.perspectives import StoryArticle, facts, summarize
from manysides.perspectives.clean import checkable, flaws, is_clean, needs_context, strip_dateline

NO_LEXICON = frozenset[str]()


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("WASHINGTON (Reuters) - The Senate passed the bill.", "The Senate passed the bill."),
        ("PHOENIX (AP) — A wildfire forced evacuations.", "A wildfire forced evacuations."),
        (
            "Washington (CNN) The Supreme Court ruled on Monday.",
            "The Supreme Court ruled on Monday.",
        ),
        ("(CNN)The House voted to impeach.", "The House voted to impeach."),
        ("LONDON, May 3 (Reuters) - Oil prices rose.", "Oil prices rose."),
        ("AKCAKALE, Turkey (AP) — Turkey launched an operation.", "Turkey launched an operation."),
        ("BEIRUT—Dozens of people were confirmed dead.", "Dozens of people were confirmed dead."),
        ("TUSCALOOSA, Ala. – Donors asked for a refund.", "Donors asked for a refund."),
        ("New York (CNN Business) -- Stocks fell sharply.", "Stocks fell sharply."),
        (
            "By Jane Doe, Associated Press WASHINGTON (AP) — The vote was close.",
            "The vote was close.",
        ),
        ("ADVERTISEMENT The party is divided.", "The party is divided."),
    ],
)
def test_datelines_and_bylines_are_stripped(sentence: str, expected: str) -> None:
    assert strip_dateline(sentence) == expected
    assert sentence.endswith(strip_dateline(sentence)), "still verbatim in the article"


def test_a_sentence_that_is_only_a_byline_becomes_empty() -> None:
    assert strip_dateline("By Jane Doe, Associated Press") == ""


@pytest.mark.parametrize(
    "sentence",
    [
        "Rep. Alexandria Ocasio-Cortez (D-N.Y.) tweeted a message on Thursday.",
        "By Monday, the House had passed the bill.",
        "By commuting the sentence, the president angered prosecutors.",
        "COVID-19 cases rose again in Texas.",
        "NATO - the alliance - met in Brussels.",
        "US-China talks resumed on Friday.",
        "Sen. Ted Cruz (R-TX) met with activists in Iowa.",
    ],
)
def test_ordinary_sentence_starts_are_kept(sentence: str) -> None:
    assert strip_dateline(sentence) == sentence


@pytest.mark.parametrize(
    ("sentence", "flaw"),
    [
        ('This is a first step; there is more to come."', "unbalanced quotes"),
        ("“We will not back down from this fight, not now and not ever.", "unbalanced quotes"),
        ("said the spokesman for the ministry in a statement on Friday.", "lower-case start"),
        (
            "But the governor vetoed the bill after a long debate in the chamber.",
            "conjunction start",
        ),
        ("And the vote was delayed again until next week, officials said.", "conjunction start"),
        (
            '"We are going to win this election and we will win it big," he said.',
            "mostly a quotation",
        ),
        ("The vote was close.", "too short"),
        (" ".join(["word"] * 60) + ".", "too long"),
        (
            "Hide Caption 3 of 21 Photos: The senator speaks to reporters in the Capitol.",
            "caption or credit",
        ),
        (
            "Protesters gather outside the court. Photo by Jane Doe/Getty Images.",
            "caption or credit",
        ),
        (
            "(Reporting by Jane Doe; Editing by John Smith in the Washington bureau.)",
            "caption or credit",
        ),
        ("Will the Senate pass the bill before the August recess this year?", "question"),
        ("Here is a look at all of the executive orders he signed so far:", "lead-in"),
        ("The Supreme Court's newest justice was back in action over the", "no final punctuation"),
    ],
)
def test_fragments_are_flagged(sentence: str, flaw: str) -> None:
    assert flaw in flaws(sentence)
    assert not is_clean(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "An earthquake killed 12 people in southern Peru on Monday, officials said.",
        'The senator called the plan "a betrayal of voters" in a floor speech on Tuesday.',
        "iPhone sales fell 9 percent in the quarter, Apple said on Thursday.",
        "Then-President Trump diverted billions in defense funds toward the wall.",
        "“The bill is dead,” the majority leader told reporters after the vote on Friday.",
    ],
)
def test_complete_claims_are_clean(sentence: str) -> None:
    assert flaws(sentence) == []
    assert is_clean(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "He said the talks would resume next week in Geneva.",
        "It was the largest protest in the city since 2019.",
        "This marks the third time the court has ruled on the law.",
        "However, the state's investigation has entered a criminal phase.",
        "They decided that the changes were needed after the first debate.",
    ],
)
def test_sentences_that_need_context(sentence: str) -> None:
    assert needs_context(sentence)
    assert not is_clean(sentence)


def test_checkable_counts_numbers_dates_and_names() -> None:
    assert checkable("The senate passed the bill 52 to 48 on Friday, Senator Jane Smith said.") >= 4
    assert checkable("The mood was tense and uncertain among the staff.") == 0


def _story() -> list[StoryArticle]:
    return [
        StoryArticle(
            1,
            "Senate passes budget",
            "WASHINGTON (Reuters) - The Senate passed a $1.2 trillion budget bill 52 to 48 on "
            "Friday after a week of debate. But critics said the vote was rushed. "
            '"This is a first step; there is more to come."',
            outlet="Wire",
            leaning="center",
        ),
        StoryArticle(
            2,
            "Budget bill clears Senate",
            "PHOENIX (AP) — The Senate passed a $1.2 trillion budget bill 52 to 48 on Friday "
            "after a week of debate. He said it was rushed. "
            '"This is a first step; there is more to come." said the leader.',
            outlet="Left Daily",
            leaning="left",
        ),
        StoryArticle(
            3,
            "Senate approves spending plan",
            "The Senate passed a $1.2 trillion budget bill 52 to 48 on Friday after a week of "
            "debate, the majority leader said. But critics said the vote was rushed.",
            outlet="Right Post",
            leaning="right",
        ),
    ]


def test_facts_show_clean_claims_without_datelines() -> None:
    found = facts(_story(), PerspectivesConfig())
    assert found
    for fact in found:
        assert is_clean(fact.text), fact.text
        assert "(Reuters)" not in fact.text and "(AP)" not in fact.text
        assert not fact.text.startswith("But")
    assert found[0].text.startswith("The Senate passed")


def test_summary_strips_datelines_and_avoids_fragments() -> None:
    cfg = PerspectivesConfig(summary_words=40, summary_sentences=2)
    s = summarize(_story(), cfg, NO_LEXICON)
    texts = [x.text for x in s.sentences]
    assert texts and texts[0].startswith("The Senate passed")
    assert all("(Reuters)" not in t and "(AP)" not in t for t in texts)
    assert all(not t.startswith(("But", "He said", '"This')) for t in texts)
    for x in s.sentences:  # still verbatim in an article it cites
        assert any(x.text in a.text for a in _story() if a.id in x.articles)


def test_facts_with_checkable_details_come_first() -> None:
    arts = [
        StoryArticle(
            1,
            "a",
            "The mood among the staff remained tense and uncertain all through the long day. "
            "The senate passed the spending bill 52 to 48 on Friday after a long debate.",
            outlet="A",
            leaning="left",
        ),
        StoryArticle(
            2,
            "b",
            "The mood among the staff remained tense and uncertain all through the long day. "
            "The senate passed the spending bill 52 to 48 on Friday after a long debate.",
            outlet="B",
            leaning="right",
        ),
    ]
    found = facts(arts, PerspectivesConfig())
    assert [f.text.split()[1] for f in found] == ["senate", "mood"]
