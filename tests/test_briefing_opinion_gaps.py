"""Opinion labelling, neutral headlines, absent-side remarks and front-page speakers."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from briefing_data import ALL_SOURCES, NOW, perspective

from manysides.briefing import Candidate, RankOptions, build_briefing
from manysides.briefing.render import render_markdown, render_text
from manysides.briefing.view import RenderOptions, absent_remark, display_quotes, story_view
from manysides.config import BriefingConfig, PerspectivesConfig
from manysides.perspectives import StoryArticle, StoryBundle, analyze_story
from manysides.perspectives.opinion import article_kind, story_kinds

NEWS_TEXT = (
    "Stacey Abrams is on the list of possible running mates for Joe Biden, campaign aides said "
    "on Monday. Biden has promised to pick a woman. The former Georgia lawmaker ran for "
    "governor in 2018 and lost narrowly to Brian Kemp. Aides said the search would end in July."
)
COLUMN_TEXT = (
    "Stacey Abrams would be the most preposterous vice presidential pick ever. She is among the "
    "most preposterous potential vice presidential candidates ever. Biden should look elsewhere, "
    "and Abrams is likely to be passed over — and she will conclude that she got robbed."
)


def art(
    aid: int, source: str, leaning: str, *, title: str, text: str, url: str = "", authors: str = ""
) -> StoryArticle:
    return StoryArticle(
        id=aid,
        title=title,
        text=text,
        url=url or f"https://{source}.example/2020/05/18/story-{aid}",
        outlet=source.replace("-", " ").title(),
        source_id=source,
        leaning=leaning,
        published=datetime(2020, 5, 18, tzinfo=UTC),
        report_id=aid,
        authors=authors,
    )


def test_article_kind_reads_url_title_byline_and_text_edges() -> None:
    def kind(**kw: str) -> str:
        base = {"title": "Senate passes bill", "text": NEWS_TEXT}
        return article_kind(art(1, "x", "center", **(base | kw))).kind  # type: ignore[arg-type]

    assert kind() == ""
    assert (
        kind(url="https://www.washingtonpost.com/opinions/2020/05/19/what-we-learned/") == "opinion"
    )
    assert kind(url="https://chicago.suntimes.com/columnists/2020/5/18/21262943/brown") == "opinion"
    assert kind(url="https://www.theatlantic.com/ideas/archive/2020/05/depression/") == "opinion"
    assert kind(title="Analysis: Trump stokes his base") == "analysis"
    assert kind(title="Opinion | Pompeo's disturbing actions") == "opinion"
    assert kind(authors="Jennifer Rubin, Opinion Writer") == "opinion"
    assert kind(authors="Analysis Maeve Reston") == "analysis"
    assert kind(text=NEWS_TEXT + "\n© 2020 by King Features Syndicate") == "opinion"
    assert kind(text=NEWS_TEXT + "\nFrida Ghitis is a world affairs columnist.") == "opinion"
    assert kind(text=NEWS_TEXT + "\nTwitter: @RichLowry") == "opinion"
    # A news story that mentions a columnist is still news.
    assert (
        kind(
            text="Jamal Khashoggi, a U.S.-based columnist for The Washington Post, was killed. "
            + NEWS_TEXT
        )
        == ""
    )


def test_article_kind_reads_the_declared_section_and_type_and_columnist_bylines() -> None:
    def kind(**kw: str) -> tuple[str, str]:
        base = {"title": "Senate passes bill", "text": NEWS_TEXT, "page_type": "article"}
        a = dataclasses.replace(art(1, "x", "center", title=base["title"], text=NEWS_TEXT), **kw)
        k = article_kind(a)
        return k.kind, k.reason

    assert kind() == ("", "")
    assert kind(page_type="article") == ("", "")
    assert kind(page_section="Politics") == ("", "")
    assert kind(page_section="Opinion") == ("opinion", "page section 'Opinion'")
    assert kind(page_section="Opinion / Columnists")[0] == "opinion"
    assert kind(page_section="Editorials and Op-Eds")[0] == "opinion"
    assert kind(page_section="Commentary")[0] == "opinion"
    assert kind(page_section="News Analysis")[0] == "analysis"
    assert kind(page_type="OpinionNewsArticle") == (
        "opinion",
        "page type 'OpinionNewsArticle'",
    )
    assert kind(page_type="AnalysisNewsArticle")[0] == "analysis"
    assert kind(page_type="opinion")[0] == "opinion"
    # Bylines that name a columnist's role.
    for byline in (
        "Ruth Marcus, Columnist",
        "Jane Roe, Guest Columnist",
        "John Doe, Op-Ed Contributor",
        "The Editorial Board",
        "Commentary by Jane Roe",
    ):
        assert kind(authors=byline)[0] == "opinion", byline
    assert kind(authors="Jane Roe, Staff Writer") == ("", "")


def test_page_metadata_flows_from_html_to_the_store_to_the_label(tmp_path) -> None:  # noqa: ANN001
    from manysides.config import ExtractConfig
    from manysides.extract import extract
    from manysides.pipeline.perspectives import build_bundle
    from manysides.records import RawDocument
    from manysides.store import Store

    body = "<p>" + " ".join([NEWS_TEXT] * 3) + "</p>"
    pages = {
        "https://paper.example/2020/05/18/abrams": (
            '<meta property="og:type" content="article">'
            '<meta property="article:section" content="Opinion">'
        ),
        "https://paper.example/2020/05/18/abrams-2": (
            '<script type="application/ld+json">{"@context": "https://schema.org",'
            ' "@type": "OpinionNewsArticle", "headline": "Abrams"}</script>'
        ),
        "https://paper.example/2020/05/18/abrams-news": (
            '<meta property="og:type" content="article">'
            '<meta property="article:section" content="Politics">'
        ),
    }
    with Store(tmp_path / "db.sqlite") as store:
        ids = []
        for url, head in pages.items():
            html = f"<html><head><title>Abrams</title>{head}</head><body><article><h1>Abrams</h1>{body}</article></body></html>"
            a = extract(RawDocument(url=url, content=html.encode()), ExtractConfig())
            saved = store.articles.save_article(a)
            ids.append(saved.id)
        rows = store.articles.get_many(ids)
        assert [(r["page_type"], r["page_section"]) for r in rows] == [
            ("article", "Opinion"),
            ("OpinionNewsArticle", ""),
            ("article", "Politics"),
        ]
        store.stories.create(1, "Abrams", "2020-05-18T00:00:00+00:00")
        for i in ids:
            store.stories.assign(i, 1)
        store.stories.refresh(1)
        bundle = build_bundle(store, {"id": 1, "headline": "Abrams"}, {})
    kinds = story_kinds(bundle.articles)
    assert [kinds[i].kind for i in ids] == ["opinion", "opinion", ""]


def _abrams_story() -> StoryBundle:
    return StoryBundle(
        story_id=7,
        headline="Stacey Abrams would be the most preposterous vice presidential pick ever",
        articles=[
            # The same column in two outlets: one says so at its end, the other does not.
            art(
                1,
                "national-review",
                "right",
                title="Biden's Most Ridiculous Veep Prospect",
                text=COLUMN_TEXT + "\nTwitter: @RichLowry",
                authors="Rich Lowry",
            ),
            art(
                2,
                "new-york-post",
                "right",
                title="Stacey Abrams would be the most preposterous vice presidential pick ever",
                text=COLUMN_TEXT,
                authors="Rich Lowry",
            ),
            art(
                3,
                "wire",
                "center",
                title="Abrams among women on Biden's running mate list",
                text=NEWS_TEXT,
                authors="Bill Barrow",
            ),
            art(
                4,
                "left-daily",
                "left",
                title="Stacey Abrams makes Joe Biden's list of possible running mates",
                text=NEWS_TEXT.replace("Monday", "Tuesday"),
                authors="Ann Smith",
            ),
        ],
    )


def test_a_column_in_two_outlets_is_one_opinion_piece_kept_out_of_news() -> None:
    bundle = _abrams_story()
    kinds = story_kinds(bundle.articles)
    assert [kinds[i].kind for i in (1, 2, 3, 4)] == ["opinion", "opinion", "", ""]
    p = analyze_story(bundle, PerspectivesConfig())
    assert p.coverage.n_outlets == 4
    assert p.coverage.n_reports == 2  # the two news reports
    assert p.coverage.n_opinion == 1  # one column, carried twice
    assert {a.id: a.kind for a in p.articles} == {1: "opinion", 2: "opinion", 3: "", 4: ""}
    # The neutral summary and the key facts come from the news reports only.
    for s in p.summary.sentences:
        assert set(s.articles) <= {3, 4}, s
        assert "preposterous" not in s.text
    assert all("preposterous" not in f.text for f in p.facts)
    # The headline is a news headline, not the column's.
    assert p.headline in {
        "Abrams among women on Biden's running mate list",
        "Stacey Abrams makes Joe Biden's list of possible running mates",
    }
    # Every output labels the column.
    b = build_briefing(
        "2020-05-18", "T", [Candidate(p)], NOW, RankOptions.from_config(BriefingConfig())
    )
    opts = RenderOptions.from_config(BriefingConfig())
    assert "[Opinion] Biden's Most Ridiculous Veep Prospect" in render_text(b, opts)
    assert "*Opinion:* [Biden's Most Ridiculous Veep Prospect]" in render_markdown(b, opts)
    assert "1 opinion piece" in render_text(b, opts)
    view = story_view(p, opts)
    assert [a.kind for a in view.articles if a.kind] == ["Opinion", "Opinion"]


def test_opinion_only_story_is_not_on_the_front_page() -> None:
    bundle = _abrams_story()
    bundle.articles = bundle.articles[:2]
    p = analyze_story(bundle, PerspectivesConfig())
    assert p.coverage.n_reports == 0 and p.coverage.n_opinion == 1
    assert p.summary.sentences == []
    b = build_briefing(
        "2020-05-18", "T", [Candidate(p)], NOW, RankOptions.from_config(BriefingConfig())
    )
    assert b.items == []


def test_loaded_headline_loses_to_a_neutral_one() -> None:
    text = (
        "California began paying $500 to immigrants without legal status who lost work in the "
        "pandemic, Governor Gavin Newsom said. The state fund covers 150,000 people."
    )
    bundle = StoryBundle(
        story_id=9,
        headline="California Begins Distributing COVID-19 Aid to Illegal Immigrants",
        articles=[
            art(
                1,
                "epoch",
                "right",
                title="California Begins Distributing COVID-19 Aid to Illegal Immigrants — a Disgraceful Scheme!",
                text=text,
            ),
            art(
                2,
                "insider",
                "center",
                title="California starts paying $500 to immigrants left out of federal aid",
                text=text,
            ),
            art(
                3,
                "guardian",
                "left",
                title="'Band-Aid on a chest wound': California's relief for undocumented workers",
                text=text,
            ),
        ],
    )
    p = analyze_story(bundle, PerspectivesConfig())
    assert p.headline == "California starts paying $500 to immigrants left out of federal aid"
    titles = {a.title for a in p.articles}
    assert (
        "California Begins Distributing COVID-19 Aid to Illegal Immigrants — a Disgraceful Scheme!"
        in titles
    )


def test_absent_side_remark() -> None:
    one_side = perspective(1, ALL_SOURCES[:2])  # left + lean-left only
    one_side.coverage.absent_sides = ["center", "right"]
    assert absent_remark(one_side) == "No center or right-leaning outlet covered this"
    p = perspective(2, ALL_SOURCES[:3])
    p.coverage.absent_sides = ["right"]
    assert absent_remark(p) == "No right-leaning outlet covered this"
    p.coverage.absent_sides = ["left", "right"]
    assert absent_remark(p) == "No left- or right-leaning outlet covered this"
    b = build_briefing(
        "2026-03-10", "T", [Candidate(one_side)], NOW, RankOptions.from_config(BriefingConfig())
    )
    assert "No center or right-leaning outlet covered this." in render_text(
        b, RenderOptions.from_config(BriefingConfig())
    )


def test_coverage_names_absent_sides_once_enough_rated_outlets_cover_it() -> None:
    from manysides.perspectives import coverage

    arts = [art(i, f"c{i}", "center", title="t", text=NEWS_TEXT) for i in (1, 2)]
    cov = coverage(arts, PerspectivesConfig())
    assert cov.absent_sides == ["left", "right"]
    assert coverage(arts[:1], PerspectivesConfig()).absent_sides == []
    mixed = [*arts, art(3, "l", "lean-left", title="t", text=NEWS_TEXT)]
    assert coverage(mixed, PerspectivesConfig()).absent_sides == ["right"]


def test_front_page_quotes_need_a_named_speaker() -> None:
    p = perspective(3, ALL_SOURCES, headline="Susan Rice email declassified")
    good = p.quotes[0]
    bad = [
        dataclasses.replace(good, text=f"quote number {i} with enough words here", speaker=s)
        for i, s in enumerate(
            ("Kentucky", "Usually", "his", "the spokesperson", "Glancing at his watch")
        )
    ]
    p.quotes = [good, *bad]
    unsure = dataclasses.replace(
        good, text="a quote of which the speaker is unsure", confidence=0.66
    )
    p.quotes = [*p.quotes, unsure]
    front = display_quotes(p.quotes, named_in="Jane Doe said", min_confidence=0.9)
    assert [q.speaker for q in front] == ["Jane Doe"]
    assert len(display_quotes(p.quotes)) == 7  # the story page keeps them all
