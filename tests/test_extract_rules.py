"""Line cleaning: named rules, the crawler-dump structure, explainability."""

from __future__ import annotations

from pathlib import Path

import pytest

from manysides.extract import RULES, STRUCTURAL, clean_text, describe
from manysides.extract.text import classify_lines, clean_lines, normalize_line

FIXTURES = Path(__file__).parent / "fixtures" / "extract"
DUMP = (FIXTURES / "crawler-dump.txt").read_text(encoding="utf-8")
ARTICLE_LINES = [line for line in DUMP.splitlines()[:6] if line.strip()]
BOILERPLATE_START = "The Daily Round"


def test_crawler_dump_keeps_every_article_line_and_nothing_else() -> None:
    cleaned = clean_text(DUMP)
    assert cleaned.splitlines() == ARTICLE_LINES


def test_every_removed_line_is_traced_to_a_named_rule() -> None:
    kept, removed = clean_lines(DUMP.splitlines())
    names = set(RULES_BY_NAME) | set(STRUCTURAL)
    assert removed, "the dump has boilerplate"
    assert all(r.rule in names for r in removed)
    rules = {r.text: r.rule for r in removed}
    assert rules["Sign up for The Daily Round's Free Newsletters"] == "newsletter-promo"
    assert rules[BOILERPLATE_START] == "promo-context"
    assert rules["Ferry fares to rise for the third year"] == "tail-list"
    assert rules["Is the high street finished?"] == "tail-list"
    bio = next(t for t in rules if t.startswith("Sara has worked"))
    assert rules[bio] == "author-bio"
    # Everything after the article is removed, nothing before it.
    assert len(kept) + len(removed) == sum(1 for line in DUMP.splitlines() if line.strip())


RULES_BY_NAME = {r.name: r for r in RULES}


def test_rule_names_are_unique_and_described() -> None:
    names = [r.name for r in RULES] + list(STRUCTURAL)
    assert len(names) == len(set(names))
    for name in names:
        assert describe(name) and describe(name) != name


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("Advertisement", "advertisement"),
        ("Story continues below advertisement", "advertisement"),
        ("Sign up for our daily newsletter", "newsletter-promo"),
        ("Already a subscriber? Log in to continue reading.", "paywall"),
        ("We use cookies to improve your experience on our website.", "cookie-notice"),
        ("Share this article", "share-prompt"),
        ("Follow us on Twitter", "share-prompt"),
        ("(Photo: Jane Doe/Getty Images)", "photo-credit"),
        ("Reporting by John Smith; Editing by Mary Jones", "credit-line"),
        ("Jane Doe contributed to this report.", "credit-line"),
        ("Related: Storm floods market square", "related-link"),
        ("Most read", "related-heading"),
        ("Updated 5:45 PM EST, Tue November 19, 2019", "dateline"),
        ("© 2024 Example News. All rights reserved.", "copyright"),
        ("---", "no-words"),
        ("Follow Newsbeat on Instagram, Facebook, Twitter and YouTube.", "share-prompt"),
        (
            "Subscribe to WIRED and stay smart with more of your favorite writers.",
            "newsletter-promo",
        ),
        ("Write to Al Root at allen.root@example.com", "contact"),
        ("sexta-feira, 22 de outubro de 2010 às 20:13", "dateline"),
        ("More Great WIRED Stories", "related-heading"),
        ("Most read in world news", "related-heading"),
        ("Back to top", "navigation"),
        ("You cannot post new topics in this forum", "navigation"),
        ("“Congratulations on your award!…” read »", "read-more-link"),
        ("_________________", "no-words"),
    ],
)
def test_boilerplate_lines_match_their_rule(line: str, rule: str) -> None:
    body = (
        "The committee met on Monday to discuss the budget for next year, and members agreed"
        " that spending on roads and schools would rise while other departments saw cuts."
    )
    assert classify_lines([body, line, body]) == [None, rule, None]


@pytest.mark.parametrize(
    "line",
    [
        "Residents who subscribe to the county's flood alerts received a warning at 2 a.m.,"
        " hours before the river burst its banks and water reached the first houses.",
        "The photo agency said it would appeal the ruling, which found that its staff had"
        " copied the images from a freelance photographer without permission.",
        "Share prices fell sharply after the announcement, wiping billions off the value of"
        " the company within minutes of the opening bell on Wednesday morning.",
    ],
)
def test_article_sentences_mentioning_trigger_words_are_kept(line: str) -> None:
    assert classify_lines([line]) == [None]


def test_tail_rules_do_not_fire_inside_the_article() -> None:
    body = (
        "Braun has worked with many of the biggest stars in music over the past decade, and"
        " his company now manages several artists who sold out stadium tours this year."
    )
    long = " ".join(["The label said the deal had been agreed months ago and was final."] * 4)
    assert classify_lines([body, long]) == [None, None]


def test_a_list_heading_inside_the_article_does_not_swallow_what_follows() -> None:
    short = "Officials said the repairs would take months to finish."
    lines = [
        " ".join([short] * 5),
        short,
        "Most read in world news",
        short,
        "How is the disease spread?",
        "It spreads through the bites of infected fleas.",
    ]
    assert classify_lines(lines) == [None, None, "related-heading", None, None, None]


def test_headlines_at_the_end_are_kept_without_a_promo_above() -> None:
    lines = [
        " ".join(["Officials said the repairs would take months to finish."] * 4),
        "Key dates",
        "June 9 – Opening ceremony",
        "June 10 – Final",
    ]
    assert classify_lines(lines) == [None, None, None, None]


def test_template_lines_are_removed() -> None:
    text = "A long enough article line that is kept as it is.\nRead The Ledger every day!"
    template = frozenset({normalize_line("READ the Ledger  every day!")})
    assert clean_text(text, template) == "A long enough article line that is kept as it is."


def test_title_repeated_at_the_top_is_removed() -> None:
    lines = ["Council approves barrier", "The council approved the barrier on Tuesday night."]
    assert classify_lines(lines, title="Council approves barrier | The Ledger") == ["title", None]


def test_menus_are_dropped_from_plain_text_only() -> None:
    body = (
        "The committee met on Monday to discuss the budget for next year, and members agreed"
        " that spending on roads and schools would rise while other departments saw cuts."
    )
    lines = ["World", "Politics", "", "Business", "Sport", body, "Key dates", body]
    assert classify_lines(lines, plain=True) == [
        "menu",
        "menu",
        "no-words",
        "menu",
        "menu",
        None,
        None,
        None,
    ]
    assert classify_lines(lines)[:2] == [None, None]  # trafilatura output has no menus


@pytest.mark.parametrize(
    "line",
    [
        "Loomer denied in an Instagram post that she ever violated the company's terms of"
        " service, and asked people to follow her on another site.",
        "Read the full statement below.",
    ],
)
def test_news_sentences_near_boilerplate_vocabulary_are_kept(line: str) -> None:
    after = " ".join(["The company said it would review the decision next week."] * 4)
    assert classify_lines([line, after]) == [None, None]


def test_pipe_tables_of_page_dumps_are_dropped() -> None:
    lines = ["|Adult: ||28.- CHF |", "|Children: ||20.- CHF |", "Prices include the lift pass."]
    assert classify_lines(lines, plain=True) == ["table-markup", "table-markup", None]
    assert classify_lines(lines) == [None, None, None]


def test_access_in_a_news_sentence_is_not_a_paywall() -> None:
    line = (
        "The rules make it harder for the Americans who need health insurance to get access"
        " to it, critics said."
    )
    after = " ".join(["The agency said it would publish the final rule next month."] * 4)
    assert classify_lines([line, after]) == [None, None]
    assert classify_lines(["Get unlimited access to all our stories for $1", after])[0] == "paywall"
