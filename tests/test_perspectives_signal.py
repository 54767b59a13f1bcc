"""Panels with signal only: claims keep their sourcing, captions, embeds and fact-check labels
never summarise a story, key facts do not repeat the summary, discrepancies are substantive,
framing terms come from prose."""

from __future__ import annotations

from datetime import UTC, datetime

from manysides.config import PerspectivesConfig
from manysides.perspectives import StoryArticle, StoryBundle, analyze_story
from manysides.perspectives.clean import never_shown, prose, strip_embeds
from manysides.perspectives.facts import discrepancies, same_name

TWEET = (
    "Buffalo protester shoved by Police could be an ANTIFA provocateur. 75 year old Martin "
    "Gugino was pushed away after appearing to scan police communications.\n"
    "— Donald J. Trump (@realDonaldTrump) June 9, 2020"
)


def art(aid: int, outlet: str, leaning: str, text: str, title: str = "") -> StoryArticle:
    return StoryArticle(
        id=aid,
        title=title or f"Buffalo police shove protester, {outlet} reports",
        text=text,
        url=f"https://{outlet.lower()}.example/{aid}",
        outlet=outlet,
        source_id=outlet.lower(),
        leaning=leaning,
        published=datetime(2020, 6, 9, tzinfo=UTC),
        report_id=aid,
    )


def test_never_shown_sentences() -> None:
    assert never_shown("CLAIM: It is legal for Michigan to send unsolicited applications.")
    assert never_shown("THE FACTS: The state sent applications, not ballots, to voters.")
    assert never_shown("In this June 3, 2020, photo, protesters rally in downtown Buffalo.")
    assert never_shown("Martin Gugino is seen in this image taken from video on Thursday.")
    assert never_shown("Watch the video pic.twitter.com/abc123 shared by the mayor on Friday.")
    assert not never_shown("Two Buffalo police officers were suspended without pay on Friday.")
    assert not never_shown("The claim was false, the state's attorney general said on Thursday.")


def test_embedded_post_is_never_summary_material() -> None:
    body = (
        "President Donald Trump on Tuesday suggested without evidence that a 75-year-old "
        "protester shoved by Buffalo police was an antifa provocateur.\n"
    )
    arts = [
        art(
            1,
            "Wire",
            "center",
            body + TWEET + "\nTwo officers were charged with assault on Saturday.",
        ),
        art(2, "Left", "left", body + "Two officers were charged with second-degree assault."),
        art(3, "Right", "right", TWEET + "\n" + body),
    ]
    assert "ANTIFA provocateur" not in strip_embeds(arts[0].text)
    assert "Two officers were charged" in strip_embeds(arts[0].text)
    p = analyze_story(StoryBundle(1, "Buffalo", arts), PerspectivesConfig())
    shown = [s.text for s in p.summary.sentences] + [f.text for f in p.facts]
    assert shown and all("provocateur. 75" not in t and "@realDonaldTrump" not in t for t in shown)
    # What Trump claimed is there only with its attribution.
    assert any("Trump" in t and "suggested" in t for t in shown if "provocateur" in t)


def test_key_facts_do_not_repeat_the_summary() -> None:
    same = (
        "The city council voted 7 to 2 on Tuesday to approve a 4.5 billion dollar light rail "
        "line linking the airport with downtown."
    )
    arts = [
        art(1, "A", "left", same + " Construction starts next spring, the mayor said on Tuesday."),
        art(
            2, "B", "center", same + " Twelve stations are planned along the route, officials said."
        ),
        art(3, "C", "right", same + " Critics said the rail line would raise property taxes."),
    ]
    p = analyze_story(StoryBundle(2, "Rail", arts), PerspectivesConfig())
    summary = {s.text for s in p.summary.sentences}
    assert all(f.text not in summary for f in p.facts)


def test_same_name_spellings_are_not_discrepancies() -> None:
    for x, y in (
        ("Apple's", "Apple’s"),
        ("Dems", "Democrats"),
        ("Qaeda", "Qaida"),
        ("NASA", "Nasa"),
    ):
        assert same_name(x, y), (x, y)
    for x, y in (("Joe Biden", "Bernie Sanders"), ("Kentucky", "Ohio"), ("Pelosi", "McConnell")):
        assert not same_name(x, y), (x, y)
    arts = [
        art(
            1,
            "AP",
            "center",
            "The FBI said on Monday the shooter had links to al Qaida in Yemen, officials said in December.",
        ),
        art(
            2,
            "CNN",
            "left",
            "The FBI said on Monday the shooter had links to al Qaeda in Yemen, officials said on Monday.",
        ),
    ]
    found = discrepancies(arts, PerspectivesConfig())
    assert not [d for d in found if d.kind in ("name", "date")], found


def test_framing_terms_never_come_from_link_lists() -> None:
    text = (
        "The Senate voted on the relief bill after a long debate on Tuesday, aides said.\n"
        "Biden Burisma probe\nBurisma probe latest\nMore from the Hill\n"
        "Senators said the relief bill would help families who lost work this spring."
    )
    assert "Burisma" not in prose(text) and "relief bill would help" in prose(text)
