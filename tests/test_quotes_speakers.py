"""Speakers are people or organisations the article names, resolved from the mention the
text attributes a quote to; a mention that names nobody gives ``speaker: None``."""

from __future__ import annotations

import pytest

from manysides.config import QuotesConfig
from manysides.quotes import QuoteAnalyzer
from manysides.quotes.records import Entity
from manysides.quotes.speakers import SpeakerResolver


@pytest.fixture(scope="module")
def analyzer() -> QuoteAnalyzer:
    return QuoteAnalyzer(QuotesConfig())


def _resolver(text: str, spans: list[tuple[str, str, str]]) -> SpeakerResolver:
    """Entities given as (label, text, canonical), located at their first occurrence."""
    entities = []
    for label, name, canonical in spans:
        at = text.index(name)
        entities.append(Entity(label, name, canonical, at, at + len(name)))
    return SpeakerResolver(text, entities)


def _resolve(resolver: SpeakerResolver, phrase: str, occurrence: int = -1) -> str | None:
    text = resolver.text
    at = text.rindex(phrase) if occurrence < 0 else text.index(phrase)
    return resolver.resolve(at, at + len(phrase)).speaker


def test_places_dates_and_bare_pronouns_are_never_speakers() -> None:
    text = "Mitch McConnell spoke in Kentucky on Monday. Kentucky said no. They said his was."
    r = _resolver(
        text, [("PERSON", "Mitch McConnell", "Mitch McConnell"), ("GPE", "Kentucky", "Kentucky")]
    )
    assert _resolve(r, "Kentucky") is None
    assert _resolve(r, "Monday") is None
    assert _resolve(r, "They") is None
    assert _resolve(r, "his") is None


def test_pronouns_resolve_by_gender_from_titles_and_following_pronouns() -> None:
    text = "Ms. Ana Ruiz met Tom Lee. Lee said his plan works. Then she spoke."
    r = _resolver(text, [("PERSON", "Ana Ruiz", "Ana Ruiz"), ("PERSON", "Tom Lee", "Tom Lee")])
    assert _resolve(r, "she") == "Ana Ruiz"  # Tom Lee is nearer but male


def test_role_nouns_resolve_to_the_person_introduced_with_them() -> None:
    text = (
        "Sen. Ron Johnson and Gov. Gretchen Whitmer spoke. The senator and the spokesman said no."
    )
    r = _resolver(
        text,
        [
            ("PERSON", "Ron Johnson", "Ron Johnson"),
            ("PERSON", "Gretchen Whitmer", "Gretchen Whitmer"),
        ],
    )
    assert _resolve(r, "The senator") == "Ron Johnson"
    assert _resolve(r, "the spokesman") is None  # nobody was introduced as one


def test_possessives_institutions_and_spokespeople() -> None:
    text = (
        "George Floyd's brother said it. Trump's campaign wrote it. A spokesman for the"
        " Pentagon said it. A Clinton aide said it."
    )
    r = _resolver(
        text,
        [
            ("PERSON", "George Floyd", "George Floyd"),
            ("PERSON", "Trump", "Donald Trump"),
            ("ORG", "Pentagon", "Pentagon"),
            ("PERSON", "Clinton", "Hillary Clinton"),
        ],
    )
    assert _resolve(r, "George Floyd's brother") is None  # not George Floyd's own words
    assert _resolve(r, "Trump's campaign") == "Donald Trump"
    assert _resolve(r, "A spokesman for the Pentagon") == "Pentagon"
    assert _resolve(r, "A Clinton aide") is None


def test_a_document_keeps_its_authors() -> None:
    text = (
        "Senators Ron Johnson and Chuck Grassley sent a letter to Susan Rice on Friday."
        " The letter said the plan was flawed."
    )
    r = _resolver(
        text,
        [
            ("PERSON", "Ron Johnson", "Ron Johnson"),
            ("PERSON", "Chuck Grassley", "Chuck Grassley"),
            ("PERSON", "Susan Rice", "Susan Rice"),
        ],
    )
    assert _resolve(r, "The letter") == "Ron Johnson"


def test_analyzed_speakers_are_entities_or_none(analyzer: QuoteAnalyzer) -> None:
    text = (
        "Stacey Abrams campaigned in Washington on Tuesday.\n\n"
        "“We will win,” a source said.\n\n"
        "“Usually we do,” Usually said.\n\n"
        "“It is time,” she said."
    )
    result = analyzer.analyze(text)
    named = {e.canonical for e in result.entities if e.label in ("PERSON", "ORG")}
    by_text = {q.text: q for q in result.quotes}
    assert by_text["“We will win,”"].speaker is None
    assert text[
        by_text["“We will win,”"].speaker_start : by_text["“We will win,”"].speaker_end
    ] == ("a source")
    assert by_text["“It is time,”"].speaker == "Stacey Abrams"
    assert all(q.speaker is None or q.speaker in named for q in result.quotes)
    assert all((q.speaker is None) == (q.confidence == 0) for q in result.quotes)


def _speaker_of(analyzer: QuoteAnalyzer, text: str, words: str) -> str | None:
    (quote,) = [q for q in analyzer.analyze(text).quotes if words in q.text]
    return quote.speaker


def test_reporting_clause_earlier_in_the_sentence_gives_the_speaker(
    analyzer: QuoteAnalyzer,
) -> None:
    text = (
        "Maria Lopez, a pollster in Ohio, studies turnout for a living.\n\n"
        "In contrast, Lopez said, there seem to be more voters "
        "“who think the race is already over and will simply stay home in November.”"
    )
    assert _speaker_of(analyzer, text, "stay home") == "Maria Lopez"


def test_participle_cue_takes_the_sentence_subject_not_its_object(
    analyzer: QuoteAnalyzer,
) -> None:
    text = (
        "Senator Ann Ward spoke in Denver on Sunday.\n\n"
        "At the debate, Ward compared herself to Tom Blake, saying, as the crowd cheered, "
        "“I have never taken a single dollar from the big banks in my whole life.”"
    )
    assert _speaker_of(analyzer, text, "big banks") == "Ann Ward"


def test_pronoun_before_an_earlier_cue_resolves_to_the_named_person(
    analyzer: QuoteAnalyzer,
) -> None:
    text = (
        "Governor Paul Grant left the stage for an hour.\n\n"
        "When he returned, he began by thanking the crowd and saying that the state was "
        "“stronger today than it has been at any point in the last twenty years.”"
    )
    assert _speaker_of(analyzer, text, "twenty years") == "Paul Grant"


def test_statement_issued_by_a_person_named_only_by_surname(analyzer: QuoteAnalyzer) -> None:
    text = (
        "Maria Lopez, a pollster in Ohio, studies turnout for a living.\n\n"
        "On Saturday, Lopez issued a statement saying that the result was "
        "“a remarkable turnaround and one of the best showings in decades.”"
    )
    assert _speaker_of(analyzer, text, "turnaround") == "Maria Lopez"


def test_pronoun_takes_the_subject_of_the_sentence_before_not_the_nearest_name(
    analyzer: QuoteAnalyzer,
) -> None:
    text = (
        "President Donald Trump threatened on Wednesday to hold up federal funds for Michigan.\n\n"
        "By Wednesday evening, Trump told reporters he had spoken with Democratic Michigan"
        " Gov. Gretchen Whitmer and did not think funding would have to be cut.\n\n"
        "“I don’t think it’s going to be necessary,” he said."
    )
    (q,) = [q for q in analyzer.analyze(text).quotes if "necessary" in q.text]
    assert q.speaker == "Donald Trump"  # not the nearer Gretchen Whitmer
    assert text[q.speaker_start : q.speaker_end] == "he"


def test_pronoun_after_a_title_subject_resolves_through_the_title(
    analyzer: QuoteAnalyzer,
) -> None:
    text = (
        "President Trump on Monday threatened to halt U.S. funding for the World Health"
        " Organization.\n\n"
        "The president, in a letter to WHO Director-General Tedros Adhanom Ghebreyesus,"
        " levied a series of allegations that the agency ignored warning signs.\n\n"
        '"We do not have time to waste," he wrote.'
    )
    (q,) = [q for q in analyzer.analyze(text).quotes if "waste" in q.text]
    assert q.speaker == "Trump"  # the letter's author, not its addressee Tedros


def test_a_name_inside_the_quotation_is_not_the_pronoun_antecedent(
    analyzer: QuoteAnalyzer,
) -> None:
    text = (
        "Hillary Clinton spoke in Philadelphia on Monday night.\n\n"
        "Joel Bradshaw, 39, bused down from New York on Friday, eager to lend his voice to the"
        ' demonstration. "If Hillary wants to be queen, we\'ll bring the guillotine," he said.'
    )
    (q,) = [q for q in analyzer.analyze(text).quotes if "guillotine" in q.text]
    assert q.speaker == "Joel Bradshaw"


def test_pronoun_never_resolves_to_an_organisation() -> None:
    text = "The Pentagon issued new rules on Monday. Then he said it was over."
    r = _resolver(text, [("ORG", "The Pentagon", "Pentagon")])
    assert _resolve(r, "he") is None


def test_pronoun_subject_of_incompatible_gender_falls_back_to_the_nearest_person() -> None:
    text = "Ms. Ana Ruiz met Tom Lee on Monday. Ruiz praised Lee. Later he said no."
    r = _resolver(text, [("PERSON", "Ana Ruiz", "Ana Ruiz"), ("PERSON", "Tom Lee", "Tom Lee")])
    assert _resolve(r, "he") == "Tom Lee"


def test_a_brother_introduced_by_first_name_is_not_the_famous_person(
    analyzer: QuoteAnalyzer,
) -> None:
    text = (
        "WASHINGTON — George Floyd’s brother Philonise pleaded with members of Congress on"
        " Wednesday to pass police reforms.\n\n"
        "Philonise said in his opening statement that he was testifying to make sure his older"
        " brother's death will not be in vain.\n\n"
        "A day earlier, a funeral service was held in Houston for George Floyd, who died last"
        " month after a Minneapolis police officer knelt on his neck.\n\n"
        "The hearing lasted four hours and ended with a vote on the agenda.\n\n"
        '"He pleaded for his life. He said he couldn\'t breathe," Floyd said.'
    )
    result = analyzer.analyze(text)
    speakers = {q.text[:20]: q for q in result.quotes}
    assert speakers["that he was testifyi"].speaker == "Philonise Floyd"
    (pleaded,) = [q for q in result.quotes if "pleaded for his life" in q.text]
    assert pleaded.speaker != "George Floyd"  # which Floyd is not guessed
    assert pleaded.basis.endswith("/surname") and pleaded.confidence < 0.9


def test_surname_near_a_full_name_takes_it() -> None:
    from manysides.quotes.entities import canonical_names

    # unambiguous surname: merged; shared by two people: kept apart
    names = [("PERSON", "George Floyd"), ("PERSON", "Floyd")]
    assert canonical_names(names)[("PERSON", "Floyd")] == "George Floyd"
    names.append(("PERSON", "Philonise Floyd"))
    assert canonical_names(names)[("PERSON", "Floyd")] == "Floyd"


def test_a_statement_whose_author_the_sentence_does_not_name_stays_unattributed() -> None:
    text = (
        "Barack Obama was briefed by James Comey, the spokesperson continued in a statement."
        " Rice also called for the release of the transcripts. The statement read: no."
    )
    r = _resolver(
        text,
        [("PERSON", "Barack Obama", "Barack Obama"), ("PERSON", "James Comey", "James Comey")],
    )
    assert _resolve(r, "The statement") is None  # not Obama, whom the sentence mentions


def test_a_statement_keeps_the_organisation_or_person_that_issued_it() -> None:
    text = (
        "The Saudi Embassy issued a statement on Monday after President Donald Trump spoke."
        " The statement said the two countries were allies. Maria Lopez, a senator, released a"
        " letter to Donald Trump on Friday. The letter said no. A report from the Government"
        " Accountability Office about Trump came out. The report said yes."
    )
    r = _resolver(
        text,
        [
            ("ORG", "The Saudi Embassy", "Saudi Embassy"),
            ("PERSON", "Donald Trump", "Donald Trump"),
            ("PERSON", "Maria Lopez", "Maria Lopez"),
            ("ORG", "Government Accountability Office", "Government Accountability Office"),
        ],
    )
    assert _resolve(r, "The statement") == "Saudi Embassy"
    assert _resolve(r, "The report") == "Government Accountability Office"
