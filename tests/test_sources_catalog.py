"""The shipped catalog, user overrides, matching and add/remove."""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

import pytest

from manysides.config import SourcesConfig
from manysides.errors import ConfigError, UnknownSourceError
from manysides.records import Source
from manysides.sources import (
    OWNERSHIPS,
    add_source,
    builtin_catalog_text,
    load_catalog,
    remove_source,
    user_catalog_path,
)


def test_builtin_catalog_is_large_valid_and_balanced() -> None:
    catalog = load_catalog(SourcesConfig())
    sources = catalog.sources
    assert len(sources) >= 80
    ids = [s.id for s in sources]
    assert len(ids) == len(set(ids))
    domains = [d for s in sources for d in s.domains]
    assert len(domains) == len(set(domains))
    feeds = [u for s in sources for u in (*s.feeds, *s.sitemaps)]
    assert len(feeds) == len(set(feeds))
    leanings = Counter(s.leaning for s in sources)
    assert set(leanings) == {"left", "lean-left", "center", "lean-right", "right"}
    assert all(n >= 8 for n in leanings.values()), leanings
    assert {s.ownership for s in sources} == set(OWNERSHIPS) - {"unknown"}
    assert {"US", "GB"} <= {s.country for s in sources} and len({s.country for s in sources}) >= 10
    assert {"wire", "public-broadcaster", "newspaper", "magazine", "digital", "tv"} <= {
        s.kind for s in sources
    }
    for s in sources:
        assert s.name and s.domains and (s.feeds or s.sitemaps), s.id
        assert s.leaning_provenance.startswith("manysides editors' estimate"), s.id
        assert len(s.country) == 2 and s.country.isupper(), s.id
        assert all(u.startswith(("https://", "http://")) for u in (*s.feeds, *s.sitemaps)), s.id
        assert s.enabled
    assert len(tomllib.loads(builtin_catalog_text())["sources"]) == len(sources)


def test_match_by_domain_and_subdomain() -> None:
    catalog = load_catalog(SourcesConfig())
    assert catalog.match("https://www.bbc.co.uk/news/world-123").id == "bbc-news"  # type: ignore[union-attr]
    assert catalog.match("https://m.bbc.com/news").id == "bbc-news"  # type: ignore[union-attr]
    assert catalog.match("edition.cnn.com").id == "cnn"  # type: ignore[union-attr]
    assert catalog.match("https://amp.theguardian.com/x").id == "the-guardian"  # type: ignore[union-attr]
    assert catalog.match("HTTPS://WWW.FOXNEWS.COM:443/politics").id == "fox-news"  # type: ignore[union-attr]
    assert catalog.match("news.sky.com").id == "sky-news"  # type: ignore[union-attr]
    assert catalog.match("https://example.com/") is None
    assert catalog.match("co.uk") is None and catalog.match("") is None


def test_get_unknown_suggests() -> None:
    catalog = load_catalog(SourcesConfig())
    assert catalog.get("reuters").name == "Reuters"
    with pytest.raises(UnknownSourceError, match="did you mean bbc-news"):
        catalog.get("bbc-new")


def test_enabled_and_only() -> None:
    catalog = load_catalog(SourcesConfig())
    assert len(catalog.enabled(SourcesConfig())) == len(catalog)
    only = catalog.enabled(SourcesConfig(only=("npr", "reuters", "npr")))
    assert [s.id for s in only] == ["npr", "reuters"]
    with pytest.raises(UnknownSourceError):
        catalog.enabled(SourcesConfig(only=("no-such-outlet",)))


def test_user_catalog_extends_and_overrides(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        '[sources.bbc-news]\nfeeds = ["https://feeds.bbci.co.uk/news/uk/rss.xml"]\n\n'
        '[sources.local-paper]\nname = "Local Paper"\ndomains = ["www.localpaper.example"]\n'
        'feeds = ["https://localpaper.example/rss"]\nleaning = "center"\n'
        'leaning_provenance = "my estimate"\n'
    )
    catalog = load_catalog(SourcesConfig(catalog=str(path)))
    bbc = catalog.get("bbc-news")
    assert bbc.feeds == ("https://feeds.bbci.co.uk/news/uk/rss.xml",) and bbc.name == "BBC News"
    assert catalog.match("https://localpaper.example/a/b").id == "local-paper"  # type: ignore[union-attr]
    with pytest.raises(ConfigError, match="needs a name"):
        # without the shipped catalog, the partial bbc-news table is incomplete
        load_catalog(SourcesConfig(catalog=str(path), use_builtin=False))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[sources.x]\nname = "X"\ndomains = ["x.example"]\nleaning = "far-left"\n',
            "leaning 'far-left'",
        ),
        (
            '[sources.x]\nname = "X"\ndomains = ["x.example"]\ncolour = "red"\n',
            "unknown key 'colour'",
        ),
        ('[sources.X_Y]\nname = "X"\ndomains = ["x.example"]\n', "lower-case slug"),
        ('[sources.x]\nname = "X"\ndomains = ["not a domain"]\n', "invalid domain"),
        (
            '[sources.x]\nname = "X"\ndomains = ["x.example"]\nfeeds = ["ftp://x.example/f"]\n',
            "not an http",
        ),
        ('[sources.x]\nname = "X"\ndomains = ["bbc.co.uk"]\n', "belongs to both"),
        ("[sources.x\n", "not valid TOML"),
        ("[other]\na = 1\n", "unknown top-level"),
    ],
)
def test_bad_user_catalogs(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_catalog(SourcesConfig(catalog=str(path)))


def test_missing_explicit_catalog(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_catalog(SourcesConfig(catalog=str(tmp_path / "nope.toml")))


def test_default_user_path_uses_xdg_config_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert user_catalog_path(SourcesConfig()) == tmp_path / "manysides" / "sources.toml"


def test_add_and_remove_sources(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / "sources.toml"
    config = SourcesConfig(catalog=str(path))
    new = Source(
        id="my-blog",
        name='My "Blog"',
        domains=("blog.example",),
        feeds=("https://blog.example/feed",),
        country="US",
        ownership="private",
        leaning="lean-right",
        leaning_provenance="self-described",
    )
    add_source(path, new)
    catalog = load_catalog(config)
    assert catalog.get("my-blog") == new
    assert remove_source(path, "my-blog") == "removed"
    assert "my-blog" not in load_catalog(config)
    assert remove_source(path, "npr") == "disabled"
    catalog = load_catalog(config)
    assert not catalog.get("npr").enabled
    assert "npr" not in {s.id for s in catalog.enabled(SourcesConfig(catalog=str(path)))}
    assert catalog.match("https://www.npr.org/x").id == "npr"  # type: ignore[union-attr]
    with pytest.raises(UnknownSourceError):
        remove_source(path, "never-existed")
    with pytest.raises(ConfigError, match="leaning"):
        add_source(path, Source(id="bad", name="Bad", domains=("bad.example",), leaning="up"))  # type: ignore[arg-type]
    assert not list(path.parent.glob(".*.tmp"))  # no temporary file left behind


def test_add_and_remove_keep_the_users_comments(tmp_path: Path) -> None:
    from manysides.records import Source
    from manysides.sources import add_source, remove_source

    path = tmp_path / "sources.toml"
    path.write_text(
        "# my outlets, curated by hand\n"
        "\n"
        "[sources.local-paper]  # the town's paper\n"
        'name = "Local Paper"\n'
        "# they moved domains in 2023\n"
        'domains = ["www.localpaper.example"]\n'
        "\n"
        "# keep: a friend's blog\n"
        "[sources.blog]\n"
        'name = "Blog"\n'
        'domains = ["blog.example"]\n',
        encoding="utf-8",
    )
    path.chmod(0o600)
    paper = Source("local-paper", "Local Paper", ("www.localpaper.example",), leaning="center")
    add_source(path, paper)
    add_source(
        path, Source("new-one", "New One", ("new.example",), feeds=("https://new.example/rss",))
    )
    assert remove_source(path, "blog") == "removed"
    assert remove_source(path, "bbc-news") == "disabled"
    text = path.read_text(encoding="utf-8")
    for comment in ("# my outlets, curated by hand", "# the town's paper", "# they moved domains"):
        assert comment in text
    assert "Blog" not in text and 'leaning = "center"' in text
    assert (path.stat().st_mode & 0o777) == 0o600  # the user's file mode is kept
    tables = tomllib.loads(text)["sources"]
    assert tables["local-paper"]["leaning"] == "center" and tables["bbc-news"] == {"enabled": False}
    assert tables["new-one"]["feeds"] == ["https://new.example/rss"]
    assert set(tables) == {"local-paper", "new-one", "bbc-news"}


def test_a_new_user_file_gets_a_header(tmp_path: Path) -> None:
    from manysides.records import Source
    from manysides.sources import add_source

    path = tmp_path / "deep" / "sources.toml"
    add_source(path, Source("x-news", "X News", ("x.example",)))
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# manysides user sources catalog") and "[sources.x-news]" in text
    assert not [p for p in path.parent.iterdir() if p.name != "sources.toml"]  # no temp files
