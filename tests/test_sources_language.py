"""Each source records its language: articles nobody could label take it (so they stay
out of the English stages), and a language makes an edition."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clitools import run

from manysides.config import SourcesConfig, config_from_dict
from manysides.editions import resolve_edition
from manysides.errors import ConfigError
from manysides.pipeline.ingest import attach_source
from manysides.records import Article, RawDocument, Source
from manysides.sources import Catalog, load_catalog, parse_catalog

GERMAN = Source(id="zeitung", name="Die Zeitung", domains=("zeitung.example",), language="de")
ENGLISH = Source(id="paper", name="The Paper", domains=("paper.example",), language="en")


def _article(url: str, language: str = "") -> Article:
    return Article(url=url, canonical_url=url, title="Kurz", text="Kurz.", language=language)


def test_an_unlabelled_article_takes_its_sources_language() -> None:
    catalog = Catalog((GERMAN, ENGLISH))
    doc = RawDocument(url="https://zeitung.example/a", content=b"")
    short = _article("https://zeitung.example/a")
    attach_source(catalog, short, doc, None)  # found by its canonical URL
    assert (short.source_id, short.language) == ("zeitung", "de")
    declared = _article("https://zeitung.example/b", language="en")
    attach_source(catalog, declared, doc, GERMAN)
    assert declared.language == "en"  # what the page says (or the model found) wins
    unknown_source = Source(id="x", name="X", domains=("x.example",))
    other = _article("https://x.example/c")
    attach_source(catalog, other, doc, unknown_source)
    assert other.language == ""


def test_the_shipped_catalog_records_a_language_for_every_source() -> None:
    catalog = load_catalog(SourcesConfig())
    assert {s.language for s in catalog.sources} == {"en"}


def test_bad_language_and_categories_are_rejected() -> None:
    with pytest.raises(ConfigError, match="has language 'German'"):
        parse_catalog(
            '[sources.z]\nname = "Z"\ndomains = ["z.example"]\nlanguage = "German"\n', "mine"
        )
    [z] = parse_catalog(
        '[sources.z]\nname = "Z"\ndomains = ["z.example"]\ncategories = [" ", " UK "]\n', "mine"
    )
    assert z.categories == ("UK",)  # blanks dropped, spaces trimmed
    with pytest.raises(ConfigError, match="'z.feed_provenance' must be a table"):
        parse_catalog(
            '[sources.z]\nname = "Z"\ndomains = ["z.example"]\nfeed_provenance = ["a"]\n',
            "mine",
        )


def test_a_language_edition_and_the_language_filter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = config_from_dict({"editions": {"deutsch": {"languages": ["de"]}}})
    swiss = Source(id="nzz", name="NZZ", domains=("nzz.example",), language="de-CH")
    edition = resolve_edition("deutsch", cfg, Catalog((GERMAN, ENGLISH, swiss)))
    assert edition.sources == ("zeitung", "nzz")
    catalog = tmp_path / "mine.toml"
    catalog.write_text(
        '[sources.zeitung]\nname = "Die Zeitung"\ndomains = ["zeitung.example"]\n'
        'feeds = ["https://zeitung.example/rss"]\nlanguage = "de"\n'
    )
    config = tmp_path / "config.toml"
    config.write_text(f'[sources]\ncatalog = "{catalog}"\n')
    code, out, err = run(
        ["--config", str(config), "--json", "sources", "list", "--language", "de"], capsys
    )
    assert code == 0, err
    assert [s["id"] for s in json.loads(out)] == ["zeitung"]
    code, out, err = run(
        [
            "--config",
            str(config),
            "sources",
            "add",
            "blatt",
            "--name",
            "Blatt",
            "--domain",
            "blatt.example",
            "--feed",
            "https://blatt.example/rss",
            "--language",
            "DE",
            "--category",
            "Germany",
        ],
        capsys,
    )
    assert code == 0, err
    code, out, _ = run(
        ["--config", str(config), "--json", "sources", "list", "--category", "Germany"], capsys
    )
    [blatt] = json.loads(out)
    assert blatt["language"] == "de" and blatt["categories"] == ["Germany"]
    assert blatt["feed_provenance"]["https://blatt.example/rss"].startswith(
        "added with 'manysides sources add' on "
    )
