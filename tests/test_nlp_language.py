"""Language labels: articles are labelled, and non-English ones skip the English stages."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from manysides.config import Config
from manysides.extract import extract
from manysides.nlp.language import identify, is_english
from manysides.pipeline import RunContext
from manysides.pipeline import stories as stories_step_module
from manysides.pipeline.quotes import STAGE, VERSION, quotes_step
from manysides.records import Article, RawDocument
from manysides.store import Store

SPANISH = (
    "El Gobierno aprobó este martes una reforma de las pensiones que eleva la edad de"
    " jubilación, según informó la ministra en una rueda de prensa en Madrid. La oposición"
    " anunció que recurrirá la ley ante el Tribunal Constitucional."
)
ENGLISH = (
    "The government approved a pension reform on Tuesday that raises the retirement age,"
    " the minister told a news conference in Madrid. The opposition said it would challenge"
    " the law in the Constitutional Court."
)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (SPANISH, "es"),
        (ENGLISH, "en"),
        ("Le président a annoncé mardi une réforme des retraites, a-t-il déclaré.", "fr"),
        ("Der Bundestag hat am Donnerstag das neue Gesetz mit großer Mehrheit beschlossen.", "de"),
        ("Quake kills 12", ""),  # too short to tell
        ("", ""),
    ],
)
def test_identify(text: str, code: str) -> None:
    assert identify(text) == code


def test_is_english() -> None:
    assert is_english("en") and is_english("en-GB") and is_english("") and is_english(None)
    assert not is_english("es") and not is_english("fr-CA")


def _doc(text: str, **hints: str) -> RawDocument:
    doc = RawDocument(url="https://x.example/a", content=text.encode(), kind="text", hints=hints)
    doc.charset = "utf-8"
    return doc


def test_extract_labels_undeclared_text_and_keeps_a_declared_language() -> None:
    cfg = Config().extract
    assert extract(_doc(SPANISH * 2, title="Reforma de las pensiones"), cfg).language == "es"
    assert extract(_doc(ENGLISH * 2), cfg).language == "en"
    assert extract(_doc(SPANISH * 2, language="es-ES"), cfg).language == "es-ES"


def _save(store: Store, n: int, text: str, language: str, story: int | None = None) -> int:
    when = datetime(2024, 5, 6, 9, n, tzinfo=UTC)
    art = Article(
        url=f"https://o{n}.example/a",
        canonical_url=f"https://o{n}.example/a",
        title="Pension reform",
        text=text,
        published=when,
        site=f"Outlet {n}",
        language=language,
    )
    saved = store.articles.save_article(art).id
    if story is not None:
        store.stories.assign(saved, story)
        store.stories.refresh(story)
    return saved


def test_stories_leave_non_english_articles_unclustered(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        en = [_save(store, n, ENGLISH, "en") for n in range(2)]
        es = _save(store, 5, SPANISH, "es")
        ctx = RunContext(store=store, config=Config())
        stories_step_module.stories_step(ctx)
        assert all(store.articles.get(i)["story_id"] is not None for i in en)  # type: ignore[index]
        assert store.articles.get(es)["story_id"] is None  # type: ignore[index]
        assert not store.runs.pending(stories_step_module.STAGE, stories_step_module.VERSION)


def test_quotes_skip_non_english_articles(tmp_path: Path) -> None:
    with Store(tmp_path / "q.db") as store:
        store.stories.create(1, "Pension reform", "2024-05-06T08:00:00+00:00")
        en = _save(store, 1, ENGLISH + " “We will fight it,” the opposition leader said.", "en", 1)
        es = _save(store, 2, SPANISH + " «Lucharemos», dijo el líder de la oposición.", "es", 1)
        now = datetime(2024, 5, 6, 12, 0, tzinfo=UTC)
        quotes_step(RunContext(store=store, config=Config(), now=now))
        assert store.quotes.for_article(en) and store.quotes.for_article(es) == []
        assert store.runs.pending(STAGE, VERSION) == []
