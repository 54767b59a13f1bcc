"""analyze / analyze_many: speakers, cues, split and indirect quotes, verbatim offsets."""

from __future__ import annotations

import random

import pytest

from manysides.config import QuotesConfig
from manysides.quotes import ArticleQuotes, QuoteAnalyzer, analyze
from manysides.quotes.records import verbatim
from manysides.workers import WorkerPool

CFG = QuotesConfig()


@pytest.fixture(scope="module")
def analyzer() -> QuoteAnalyzer:
    return QuoteAnalyzer(CFG)


def by_text(result: ArticleQuotes) -> dict[str, object]:
    return {q.text: q for q in result.quotes}


ARTICLE = (
    "Russian President Vladimir Putin met Donald Trump in Helsinki on Monday.\n\n"
    "“Don’t meddle in the election, president,” Trump said, turning to Putin with a smile.\n\n"
    "“We never did,” Putin said. “And we never will.”\n\n"
    "According to Kremlin spokesman Dmitry Peskov, the talks lasted four hours.\n\n"
    "Trump told reporters that the meeting had been very productive.\n\n"
    "Angela Merkel was not there. “It is a matter for them,” she said on Tuesday."
)


def test_direct_quotes_with_speakers_and_cues(analyzer: QuoteAnalyzer) -> None:
    quotes = by_text(analyzer.analyze(ARTICLE))
    q = quotes["“Don’t meddle in the election, president,”"]
    assert q.speaker == "Donald Trump" and q.cue == "said" and q.direct
    assert ARTICLE[q.speaker_start : q.speaker_end] == "Trump"
    split = quotes["“We never did,” … “And we never will.”"]
    assert split.speaker == "Vladimir Putin"  # "Putin" -> fullest name


def test_split_quote_is_one_attribution_of_verbatim_fragments(analyzer: QuoteAnalyzer) -> None:
    quotes = [q for q in analyzer.analyze(ARTICLE).quotes if "never" in q.text]
    assert len(quotes) == 1
    (q,) = quotes
    assert q.split and [f.text for f in q.fragments] == ["“We never did,”", "“And we never will.”"]
    assert all(ARTICLE[f.start : f.end] == f.text for f in q.fragments)
    assert (q.start, q.end) == (q.fragments[0].start, q.fragments[-1].end)
    assert ARTICLE[q.speaker_start : q.speaker_end] == "Putin" and q.confidence > 0.5
    assert q.to_dict()["fragments"][1] == {
        "text": "“And we never will.”",
        "start": q.fragments[1].start,
        "end": q.fragments[1].end,
    }


def test_pronoun_resolves_to_recent_person(analyzer: QuoteAnalyzer) -> None:
    q = by_text(analyzer.analyze(ARTICLE))["“It is a matter for them,”"]
    assert q.speaker == "Angela Merkel" and ARTICLE[q.speaker_start : q.speaker_end] == "she"


def test_indirect_attributions(analyzer: QuoteAnalyzer) -> None:
    result = analyzer.analyze(ARTICLE)
    indirect = [q for q in result.quotes if not q.direct]
    told = next(q for q in indirect if q.cue == "told")
    assert told.text == "that the meeting had been very productive"
    assert told.speaker == "Donald Trump"
    according = next(q for q in indirect if q.cue == "according to")
    assert according.text == "the talks lasted four hours"
    assert according.speaker == "Dmitry Peskov"


def test_title_resolves_to_named_person(analyzer: QuoteAnalyzer) -> None:
    text = (
        "President Barack Obama spoke in Chicago on Friday.\n\n"
        "“We are not done yet,” the president said."
    )
    q = analyzer.analyze(text).quotes[0]
    assert q.speaker == "Barack Obama" and text[q.speaker_start : q.speaker_end] == "the president"


def test_entities_are_merged_by_variant(analyzer: QuoteAnalyzer) -> None:
    result = analyzer.analyze(ARTICLE)
    putin = {e.canonical for e in result.entities if e.text in ("Putin", "Vladimir Putin")}
    assert putin == {"Vladimir Putin"}
    assert {e.label for e in result.entities} <= {"PERSON", "ORG", "GPE", "LOC", "NORP"}


def test_scare_quotes_without_speaker_are_dropped(analyzer: QuoteAnalyzer) -> None:
    text = "The so-called “deal” was signed in the “new” building on Monday."
    assert analyzer.analyze(text).quotes == []


def test_empty_and_odd_inputs_do_not_fail(analyzer: QuoteAnalyzer) -> None:
    for text in ["", " ", "\n\n", "“", "”", "said", "“”", "According to", "He said: “"]:
        assert isinstance(analyzer.analyze(text), ArticleQuotes)


SENTENCES = [
    "“We will fight on,” {name} said.",
    "{name} said: “The plan is dead and everyone knows it.”",
    "“It is over,” said {name}, “and we are going home now.”",
    "According to {name}, the vote was delayed until next week.",
    "{name} told reporters that taxes would rise next year.",
    "{pron} argued that the policy had failed completely.",
    "The “reform” was criticized by many.",
    "“An unattributed sentence that runs long enough to be kept as a quotation.”",
    "“Paragraph that does not close its quote",
    "Officials said on Monday the bridge would reopen.",
    "{name}’s aides didn’t comment on the players’ union.",
    "« Nous gagnerons », a dit {name}.",
    '"Straight quotes work too," {name} said.',
]
NAMES = ["Maria Lopez", "Lopez", "John Smith", "the senator", "Acme Corp"]


def test_quotes_are_verbatim_on_many_generated_articles(analyzer: QuoteAnalyzer) -> None:
    rng = random.Random(5)
    articles = []
    for _ in range(60):
        parts = []
        for _ in range(rng.randint(1, 8)):
            s = rng.choice(SENTENCES).format(name=rng.choice(NAMES), pron=rng.choice(["He", "She"]))
            parts.append(s)
        sep = rng.choice([" ", "\n\n", "\n"])
        articles.append(sep.join(parts))
    results = list(analyzer.analyze_many(articles))
    assert len(results) == len(articles)
    for text, result in zip(articles, results, strict=True):
        for q in result.quotes:
            assert verbatim(text, q) and q.text.strip() == q.text and q.text
            assert all(f.text.strip() == f.text and f.text for f in q.fragments)
            if q.speaker_start is not None:
                assert 0 <= q.speaker_start < q.speaker_end <= len(text)
                # the speaker stands outside every fragment of the quote
                assert not any(f.start <= q.speaker_start < f.end for f in q.fragments)
        for e in result.entities:
            assert text[e.start : e.end] == e.text


def test_batch_equals_single(analyzer: QuoteAnalyzer) -> None:
    texts = [ARTICLE, "“Fine,” she said.", "", ARTICLE.replace("Trump", "Biden")]
    batched = list(analyzer.analyze_many(texts))
    assert batched == [analyzer.analyze(t) for t in texts]


def test_module_function_accepts_a_loaded_pipeline(analyzer: QuoteAnalyzer) -> None:
    assert analyze(ARTICLE, CFG, analyzer.nlp) == analyzer.analyze(ARTICLE)


def test_worker_processes_give_the_same_results(analyzer: QuoteAnalyzer) -> None:
    texts = [ARTICLE, "“Fine,” she said.", "", ARTICLE.replace("Trump", "Biden"), "x"]
    parallel = QuoteAnalyzer(QuotesConfig(batch_size=2), analyzer.nlp)
    with WorkerPool(2) as pool:  # forkserver workers load the model themselves
        assert list(parallel.analyze_many(texts, pool)) == list(analyzer.analyze_many(texts))


def test_a_failing_text_yields_an_error_not_an_exception(
    analyzer: QuoteAnalyzer, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = QuoteAnalyzer._first_pass

    def flaky(self, text, doc):  # noqa: ANN001, ANN202
        if "BOOM" in text:
            raise RuntimeError("bad text")
        return real(self, text, doc)

    monkeypatch.setattr(QuoteAnalyzer, "_first_pass", flaky)
    results = list(analyzer.analyze_many([ARTICLE, "BOOM", "“Fine,” she said."]))
    assert [r.error for r in results] == [None, "RuntimeError: bad text", None]
    assert results[0].quotes and results[2].quotes and results[1].quotes == []


def test_cue_in_a_subordinate_clause_reports_its_own_clause(analyzer: QuoteAnalyzer) -> None:
    text = (
        "John Kasich is assuring voters he is tough after a woman in Worcester told him"
        " she worries he is too nice to fend off his rivals."
    )
    told = next(q for q in analyzer.analyze(text).quotes if q.cue == "told")
    assert told.text.startswith("she worries he is too nice")
    assert text[told.speaker_start : told.speaker_end].startswith("a woman")
    assert told.speaker is None and told.confidence == 0  # nobody named: no speaker


def test_parenthetical_attribution_gives_two_fragments(analyzer: QuoteAnalyzer) -> None:
    text = "Vice President Joe Biden, Rubio said, had been in the Senate for a long time."
    (quote,) = analyzer.analyze(text).quotes
    assert [f.text for f in quote.fragments] == [
        "Vice President Joe Biden",
        "had been in the Senate for a long time",
    ]
    assert (quote.speaker_start, quote.speaker_end, quote.cue, quote.direct) == (
        26,
        31,
        "said",
        False,
    )


def test_pronoun_skips_a_person_of_the_other_gender(analyzer: QuoteAnalyzer) -> None:
    text = (
        "Angela Merkel met reporters in Berlin. She spoke about trade. Later Donald Trump"
        " arrived with his aides. “It is a matter for them,” she said."
    )
    quote = analyzer.analyze(text).quotes[0]
    assert (
        quote.speaker == "Angela Merkel" and text[quote.speaker_start : quote.speaker_end] == "she"
    )
