"""Hand-made Perspective records (some hostile) for the briefing, web and mail tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from manysides.perspectives.records import (
    ArticleRef,
    Coverage,
    Discrepancy,
    Fact,
    Perspective,
    SideFraming,
    StoryQuoteRef,
    Summary,
    SummarySentence,
)

NOW = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)

XSS = "<script>alert(1)</script>"
ATTR = '" onmouseover="alert(2)'
JS_URL = "javascript:alert(3)"
CRLF = "Title\r\nBcc: victim@example.com"
MD = "[click](javascript:alert(4)) **bold** <img src=x onerror=alert(5)>"
HOSTILE_STRINGS = (XSS, ATTR, CRLF, MD)

LEANING_OF = {
    "left-news": "left",
    "leanleft-daily": "lean-left",
    "center-wire": "center",
    "leanright-post": "lean-right",
    "right-times": "right",
}


def _iso(dt: datetime) -> str:
    return dt.isoformat(timespec="seconds")


def article(
    aid: int,
    source_id: str,
    title: str = "",
    url: str = "",
    hours_ago: float = 2.0,
    now: datetime = NOW,
) -> ArticleRef:
    return ArticleRef(
        id=aid,
        title=title or f"Article {aid} from {source_id}",
        url=url or f"https://{source_id}.example/{aid}",
        outlet=source_id.replace("-", " ").title(),
        source_id=source_id,
        leaning=LEANING_OF.get(source_id, "unrated"),
        published=_iso(now - timedelta(hours=hours_ago)),
    )


def perspective(
    story_id: int,
    sources: list[str],
    *,
    headline: str = "",
    section: str = "US",
    first_id: int | None = None,
    hours_ago: float = 2.0,
    blindspot: str | None = None,
    n_reports: int | None = None,
    hostile: bool = False,
    now: datetime = NOW,
) -> Perspective:
    """A story covered once by each of ``sources`` (article ids from ``first_id``)."""
    first = first_id if first_id is not None else story_id * 100
    arts = [
        article(
            first + i,
            s,
            title=(f"{XSS} {ATTR} {CRLF} {MD}" if hostile and i == 0 else ""),
            url=(JS_URL if hostile and i == 0 else ""),
            hours_ago=hours_ago + i * 0.5,
            now=now,
        )
        for i, s in enumerate(sources)
    ]
    by_leaning: dict[str, dict] = {}
    for a in arts:
        entry = by_leaning.setdefault(a.leaning, {"outlets": [], "articles": 0})
        if a.outlet not in entry["outlets"]:
            entry["outlets"].append(a.outlet)
        entry["articles"] += 1
    by_side = {"left": 0, "center": 0, "right": 0}
    for a in arts:
        side = {"lean-left": "left", "lean-right": "right"}.get(a.leaning, a.leaning)
        if side in by_side:
            by_side[side] += 1
    text = f"{XSS} said {ATTR}." if hostile else f"Officials confirmed event {story_id} on Monday."
    framing = {
        "left": SideFraming(
            side="left",
            terms=[("crisis", 3.1), (XSS if hostile else "workers", 2.0)],
            headlines=[a for a in arts if a.leaning in ("left", "lean-left")][:2],
            quotes=[],
            loaded_language=1.5,
        ),
        "right": SideFraming(
            side="right",
            terms=[("border", 2.8), (ATTR if hostile else "taxpayers", 1.9)],
            headlines=[a for a in arts if a.leaning in ("right", "lean-right")][:2],
            quotes=[],
            loaded_language=2.5,
        ),
    }
    return Perspective(
        story_id=story_id,
        headline=headline or (f"{XSS}{ATTR}{CRLF}" if hostile else f"Story number {story_id}"),
        section=section,
        coverage=Coverage(
            n_articles=len(arts),
            n_reports=n_reports if n_reports is not None else len(arts),
            n_outlets=len({a.outlet for a in arts}),
            by_leaning=by_leaning,
            by_side=by_side,
            ownership={"private": len(arts)},
            first_report=arts[-1].published if arts else None,
            latest_report=arts[0].published if arts else None,
            blindspot=blindspot,
            dominant_side=("left" if blindspot == "right" else "right") if blindspot else None,
        ),
        summary=Summary(
            text=text,
            sentences=[
                SummarySentence(text=text, articles=[a.id for a in arts[:2]]),
                SummarySentence(
                    text=f"Second sentence about story {story_id}.", articles=[arts[-1].id]
                ),
            ],
        ),
        facts=[
            Fact(
                text=(MD if hostile else f"{story_id * 3} people attended"),
                articles=[arts[0].id],
                outlets=[arts[0].outlet],
                sides=["left"],
            )
        ],
        discrepancies=[
            Discrepancy(
                kind="number",
                context="people attended",
                values={"300": [arts[0].outlet], "350": [arts[-1].outlet]},
            )
        ],
        framing=framing,
        quotes=[
            StoryQuoteRef(
                text=(XSS if hostile else f"We will act on story {story_id}"),
                speaker=(ATTR if hostile else "Jane Doe"),
                cue="said",
                direct=True,
                confidence=0.98,
                carriers=[
                    {"article_id": a.id, "outlet": a.outlet, "leaning": a.leaning} for a in arts[:3]
                ],
            )
        ],
        articles=arts,
    )


ALL_SOURCES = ["left-news", "leanleft-daily", "center-wire", "leanright-post", "right-times"]


def source_records():  # noqa: ANN201 - list[Source]
    from manysides.records import Source

    return [
        Source(
            id=sid,
            name=sid.replace("-", " ").title(),
            domains=(f"{sid}.example",),
            leaning=leaning,  # type: ignore[arg-type]
            ownership="private",
            leaning_provenance="test fixture",
            kind="newspaper",
            country="US",
        )
        for sid, leaning in LEANING_OF.items()
    ]


def fill_store(store, perspectives: list[Perspective]) -> None:  # noqa: ANN001
    """Save sources, the perspectives' articles (ids must come in insertion order),
    their stories and the perspectives themselves, through store methods only."""
    from manysides.records import Article

    store.catalog.sync_sources(source_records())
    for p in perspectives:
        first_seen = min(a.published for a in p.articles)
        store.stories.create(p.story_id, p.headline, first_seen)
        for ref in p.articles:
            saved = store.articles.save_article(
                Article(
                    url=ref.url or f"https://x.example/{ref.id}",
                    canonical_url=ref.url or f"https://x.example/{ref.id}",
                    title=ref.title,
                    text=f"Body of article {ref.id}. {p.summary.text} Unique words here.",
                    published=datetime.fromisoformat(ref.published),
                    source_id=ref.source_id,
                    site=ref.outlet,
                )
            )
            assert saved.id == ref.id, (saved.id, ref.id)
            store.stories.assign(saved.id, p.story_id)
        store.stories.refresh(p.story_id)
        store.briefings.save_perspective(p.story_id, p.coverage.n_articles, p.to_dict())


def assert_safe_html(html: str) -> None:
    """No script/iframe/object tags, no event-handler attributes, only http(s)/local links."""
    from html.parser import HTMLParser

    problems: list[str] = []

    class Checker(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if (
                tag in ("script", "iframe", "object", "embed", "img", "svg", "base", "meta")
                and tag != "meta"
            ):
                problems.append(f"tag <{tag}>")
            for name, value in attrs:
                if name.startswith("on"):
                    problems.append(f"attribute {name} on <{tag}>")
                if name in ("href", "src", "action", "formaction") and value is not None:
                    v = value.strip().lower()
                    if not (
                        v.startswith(("http://", "https://", "/", "#", "../"))
                        or v.endswith(".html")
                        or v.endswith(".css")
                        or v == ""
                    ):
                        problems.append(f"{name}={value!r} on <{tag}>")

    Checker().feed(html)
    assert not problems, problems
    assert "<script" not in html.lower()
