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


# -- claims keep their sourcing; key facts are whole sentences --------------------------
TWEET = "Buffalo protester shoved by Police could be an ANTIFA provocateur."


def test_a_claim_whose_attribution_is_elsewhere_is_marked() -> None:
    from manysides.perspectives.clean import never_shown, quote_open, unattributed

    # the next sentence is only the attribution
    assert unattributed(TWEET, "the president tweeted Tuesday.", False)
    assert unattributed(TWEET, "Trump wrote on Twitter.", False)
    # inside a quotation opened in an earlier sentence
    opened = quote_open('Trump wrote: "The protest was a set up.', False)
    assert opened and unattributed(TWEET, "", opened) == "inside a quotation begun earlier"
    assert not quote_open('"It was a set up," he wrote.', False)
    # a claim that names its source, or a next sentence with content of its own, is kept
    assert unattributed(f"Trump tweeted that the {TWEET[0].lower()}{TWEET[1:]}", "", False) == ""
    assert unattributed(TWEET.replace("could", "was said to"), "", False) == ""
    assert unattributed(TWEET, "Officials said the toll rose to 12 on Monday.", False) == ""
    assert (
        unattributed("The Senate passed the bill on Friday.", "It now goes to the House.", False)
        == ""
    )
    # a quotation whose attribution comes in a later sentence is never shown
    assert never_shown(f'"{TWEET}') == "quotation without its attribution"


def test_a_post_with_its_credit_on_one_line_is_dropped() -> None:
    from manysides.perspectives.clean import strip_embeds

    text = (
        "The president's tweet came hours before the funeral.\n"
        f"{TWEET} Could be a set up? — Donald J. Trump (@realDonaldTrump) June 9, 2020\n"
        "Trump's outburst drew criticism from Republicans."
    )
    assert strip_embeds(text) == (
        "The president's tweet came hours before the funeral.\n"
        "Trump's outburst drew criticism from Republicans."
    )


def _tweet_story() -> list[StoryArticle]:
    lead = "President Trump on Tuesday suggested that a 75-year-old protester pushed by police in Buffalo was part of a set up."
    return [
        StoryArticle(
            1,
            "Trump targets Buffalo protester",
            f'{lead} Trump wrote: "{TWEET} 75 year old Martin Gugino was pushed away after '
            'appearing to scan police communications." Two officers have been charged with assault.',
            outlet="Wire",
            leaning="center",
        ),
        StoryArticle(
            2,
            "Trump pushes theory about Buffalo protester",
            f"{lead}\n{TWEET}\nThe president tweeted on Tuesday.\n"
            "Two officers have been charged with assault over the shove, prosecutors said Monday.",
            outlet="Left Daily",
            leaning="left",
        ),
        StoryArticle(
            3,
            "Trump says Buffalo protester could be a provocateur",
            f"{lead} 75 year old Martin Gugino was pushed away after appearing to scan police "
            "communications, the president claimed without evidence. Two officers have been "
            "charged with assault.",
            outlet="Right Post",
            leaning="right",
        ),
    ]


def test_summary_and_facts_never_state_a_tweet_as_fact() -> None:
    from manysides.perspectives.similarity import sentence_units

    cfg = PerspectivesConfig(summary_sentences=5, summary_words=200)
    arts = _tweet_story()
    marked = {(u.article_id, u.text[:20]): u.unattributed for u in sentence_units(arts)}
    assert marked[(2, TWEET[:20])] == "its attribution is the next sentence"
    assert marked[(1, "75 year old Martin G")] == "inside a quotation begun earlier"
    assert marked[(3, "75 year old Martin G")] == ""  # "..., the president claimed"
    shown = [s.text for s in summarize(arts, cfg, NO_LEXICON).sentences]
    shown += [f.text for f in facts(arts, cfg)]
    assert shown
    for text in shown:  # the tweet's words appear only with who claimed them
        if "provocateur" in text or "scan police" in text:
            assert any(w in text for w in ("wrote", "tweeted", "claimed")), text


def test_a_key_fact_is_a_whole_sentence() -> None:
    from manysides.nlp.text import split_sentences

    sentence = (
        "The move -- which follows the exits of Sens. Kamala Harris of California and Cory "
        "Booker of New Jersey -- comes as Biden gains ground in the primary polls."
    )
    assert split_sentences(sentence + " Next sentence here.") == [sentence, "Next sentence here."]
    arts = [
        StoryArticle(
            i,
            f"t{i}",
            f"{sentence} The campaign said the decision was final on Tuesday.",
            outlet=name,
            leaning=leaning,
        )
        for i, (name, leaning) in enumerate((("A", "left"), ("B", "right")), start=1)
    ]
    found = facts(arts, PerspectivesConfig())
    assert found and all(not f.text.startswith("Kamala") for f in found)
    assert any(f.text == sentence for f in found)
