"""Kagi's maintained list: the bundled snapshot, mapping it onto a catalog, the import
command, and the shipped catalog's standing against it."""

from __future__ import annotations

import dataclasses
import gzip
import json
from pathlib import Path

import pytest
from clitools import run

from manysides import kite
from manysides.config import SourcesConfig
from manysides.errors import UserError
from manysides.records import Source
from manysides.sources import builtin_catalog_text, load_catalog, parse_catalog

FEEDS = {
    "UK": {
        "category_type": "topic",
        "source_language": "en",
        "feeds": [
            "https://feeds.paper.example/uk/rss.xml",
            "https://www.listed.example/feed/",
            "https://feeds.feedburner.com/someone-else",
        ],
    },
    "Climate Change": {
        "category_type": "topic",
        "source_language": "en",
        "feeds": ["https://www.pattern.example/climate/rss", "https://www.listed.example/feed/"],
    },
    "USA | Texas": {
        "category_type": "region",
        "source_language": "en",
        "feeds": [
            "https://www.texaspaper.example/feed",
            "https://news.google.com/rss/search?q=texas",
            "https://www.listed.example/texas/feed",
            "https://www.reddit.com/r/texas/.rss",
        ],
    },
    "Germany": {
        "category_type": "topic",
        "source_language": "de",
        "feeds": ["https://www.zeitung.example/rss", "not a url", 7],
    },
    "Broken": {"feeds": "nope"},
}
MEDIA = [
    {
        "country": "United Kingdom",
        "organization": "The Paper",
        "domains": ["paper.example"],
        "description": "long text",
        "owner": "Paper Holdings plc",
        "typology": "Private Media",
    },
    {
        "country": "Germany",
        "organization": "Die Zeitung",
        "domains": ["zeitung.example"],
        "owner": "A foundation",
        "typology": "Non-Profit",
    },
    {"organization": "bad", "domains": "zeitung.example"},
]


def _sources() -> list[Source]:
    return [
        Source(  # its UK feed is not listed, but the list has one of its host in "UK"
            id="paper",
            name="The Paper",
            domains=("paper.example",),
            feeds=("https://feeds.paper.example/front/latest.rss",),
            country="GB",
            leaning="lean-left",
            leaning_provenance="manysides editors' estimate",
            language="en",
        ),
        Source(  # listed, spelled differently (http, no trailing slash)
            id="listed",
            name="Listed",
            domains=("listed.example",),
            feeds=("http://listed.example/feed",),
            country="US",
            leaning="center",
            leaning_provenance="manysides editors' estimate",
        ),
        Source(  # a feed of the same form as a listed one: kept, with that reason
            id="pattern",
            name="Pattern",
            domains=("pattern.example",),
            feeds=("https://www.pattern.example/world/rss",),
            country="US",
        ),
        Source(  # unknown to the list
            id="absent",
            name="Absent",
            domains=("absent.example",),
            feeds=("https://absent.example/rss",),
            country="US",
            ownership="private",
        ),
        Source(  # feedburner says nothing about this outlet
            id="burner",
            name="Burner",
            domains=("burner.example",),
            feeds=("https://feeds.feedburner.com/burner",),
            country="US",
        ),
    ]


@pytest.fixture
def kite_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "kite"
    folder.mkdir()
    (folder / "kite_feeds.json").write_text(json.dumps(FEEDS))
    (folder / "media_data.json.gz").write_bytes(gzip.compress(json.dumps(MEDIA).encode()))
    return folder


def test_bundled_snapshot_is_dated_credited_and_complete() -> None:
    info = kite.snapshot_info()
    assert info["repository"] == "https://github.com/kagisearch/kite-public"
    assert len(info["commit"]) == 40 and info["commit_date"] == "2026-05-12"
    assert info["license"] == "MIT" and info["taken"] == "2026-12-02"
    data = kite.bundled()
    assert len(data.categories) == info["categories"] == 197
    assert sum(len(c.feeds) for c in data.categories) <= info["feed_urls"]
    # one listed "feed" has no scheme (opencv.org/feed): skipped, and said so
    assert len({u for c in data.categories for u in c.feeds}) == info["unique_feed_urls"] - 1
    assert data.problems == (
        "bundled kite_feeds.json: category 'Photonics': 1 feed(s) that are not URLs skipped",
    )
    assert len(data.outlets) == info["outlets"] == 528
    assert data.category("USA | Texas").kind == "region"
    assert data.origin == f"kite-public {info['commit'][:7]} of 2026-05-12"
    from importlib import resources

    notice = resources.files("manysides").joinpath("data/kite/NOTICE").read_text()
    assert "MIT License" in notice and "Copyright (c) 2024 Kagi Search" in notice
    assert info["commit"] in notice and "2026-12-02" in notice


def test_plan_maps_feeds_owners_categories_and_never_leanings(kite_dir: Path) -> None:
    data = kite.load_kite([kite_dir], origin="test list")
    assert any("'Broken'" in p for p in data.problems)
    assert any("'Germany': 2 feed(s)" in p for p in data.problems)
    assert any("entry 2 has no list of domains" in p for p in data.problems)
    plan = kite.plan_import(_sources(), data)
    decisions = {d.source_id: d for d in plan.decisions}
    paper = decisions["paper"]
    assert paper.url == "https://feeds.paper.example/uk/rss.xml" and paper.in_list
    assert paper.previous == "https://feeds.paper.example/front/latest.rss"
    assert "replaces https://feeds.paper.example/front/latest.rss, which is not in it" in (
        paper.provenance
    )
    listed = decisions["listed"]
    assert (
        listed.url == "https://www.listed.example/feed/" and "(the same feed)" in listed.provenance
    )
    assert (
        not decisions["pattern"].in_list and "of the same form" in decisions["pattern"].provenance
    )
    assert "no feed on absent.example" in decisions["absent"].provenance
    assert "hosts feeds of many outlets" in decisions["burner"].provenance
    changes = plan.changes
    assert changes["paper"]["feeds"] == ["https://feeds.paper.example/uk/rss.xml"]
    assert changes["paper"]["categories"] == ["UK"]
    assert changes["paper"]["owner"] == "Paper Holdings plc"
    assert changes["paper"]["ownership_type"] == "Private Media"
    assert changes["paper"]["ownership"] == "private"  # was unknown
    assert changes["paper"]["ownership_provenance"] == "Kagi media_data.json (test list): The Paper"
    assert "language" not in changes["paper"]  # it had one
    assert changes["listed"]["categories"] == ["UK", "Climate Change"]
    assert changes["listed"]["language"] == "en"
    assert "ownership" not in changes.get("absent", {})  # ours stays
    for keys in changes.values():
        assert not {"leaning", "leaning_provenance"} & set(keys)
    every = {u for keys in changes.values() for u in keys.get("feed_provenance", {})}
    assert len(every) == 5  # every feed has its provenance
    assert plan.counts()["feeds_replaced"] == 2 and plan.counts()["sources_with_owner"] == 1


def test_a_category_adds_unrated_outlets_and_feeds(kite_dir: Path) -> None:
    data = kite.load_kite([kite_dir / "kite_feeds.json", kite_dir / "media_data.json.gz"])
    assert data.origin.startswith(f"kite_feeds.json, media_data.json.gz read from {kite_dir} on ")
    plan = kite.plan_import(_sources(), data, categories=["USA | Texas", "Germany"])
    new = {s.id: s for s in plan.new_sources}
    assert set(new) == {"texaspaper-example", "zeitung-example"}
    texas = new["texaspaper-example"]
    assert texas.leaning == "unrated" and texas.leaning_provenance == ""
    assert texas.categories == ("USA | Texas",) and texas.country == "US"
    assert texas.domains == ("texaspaper.example",) and texas.name == "texaspaper.example"
    assert dict(texas.feed_provenance)["https://www.texaspaper.example/feed"].startswith(
        "Kagi's maintained list"
    )
    zeitung = new["zeitung-example"]
    assert zeitung.language == "de" and zeitung.name == "Die Zeitung"
    assert zeitung.ownership == "nonprofit" and zeitung.owner == "A foundation"
    assert zeitung.country == "DE"
    # an existing outlet gets the category's feed; aggregators are not outlets
    assert "https://www.listed.example/texas/feed" in plan.changes["listed"]["feeds"]
    assert "USA | Texas" in plan.changes["listed"]["categories"]
    assert plan.skipped_hosts == {"news.google.com": 1, "reddit.com": 1}
    with pytest.raises(UserError, match="did you mean 'USA | Texas'"):
        kite.plan_import(_sources(), data, categories=["USA | Texsa"])


def test_import_command_writes_the_user_file_and_is_idempotent(
    kite_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = tmp_path / "mine.toml"
    catalog.write_text(
        "# my own outlets\n[sources.listed]\n"
        'name = "Listed"\ndomains = ["listed.example"]\nfeeds = ["http://listed.example/feed"]\n'
        'leaning = "center"  # my rating\nleaning_provenance = "mine"\n'
    )
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[sources]\ncatalog = "{catalog}"\nuse_builtin = false\n')
    base = ["--config", str(cfg)]
    before = catalog.read_text()
    code, out, err = run(
        [*base, "--json", "sources", "import", "kite", str(kite_dir), "--dry-run"], capsys
    )
    assert code == 0, err and catalog.read_text() == before
    assert json.loads(out)["written"] == 0
    code, out, err = run(
        [*base, "--json", "sources", "import", "kite", str(kite_dir), "-c", "USA | Texas"], capsys
    )
    assert code == 0, err
    result = json.loads(out)
    assert result["written"] == 2 and result["added"] == ["texaspaper-example"]
    assert result["replaced"] == [
        {
            "source": "listed",
            "from": "http://listed.example/feed",
            "to": "https://www.listed.example/feed/",
        }
    ]
    text = catalog.read_text()
    assert text.startswith("# my own outlets") and 'leaning = "center"  # my rating' in text
    mine = load_catalog(SourcesConfig(catalog=str(catalog), use_builtin=False))
    listed = mine.get("listed")
    assert listed.leaning == "center" and listed.leaning_provenance == "mine"
    assert listed.categories == ("UK", "Climate Change", "USA | Texas")
    assert mine.get("texaspaper-example").leaning == "unrated"
    code, out, _ = run(
        [*base, "--json", "sources", "import", "kite", str(kite_dir), "-c", "USA | Texas"], capsys
    )
    assert json.loads(out)["written"] == 0  # nothing left to change
    code, out, _ = run([*base, "--json", "sources", "list", "--category", "USA | Texas"], capsys)
    assert {s["id"] for s in json.loads(out)} == {"listed", "texaspaper-example"}
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2")
    code, _, err = run([*base, "sources", "import", "kite", str(bad)], capsys)
    assert code == 2 and "is not a JSON file" in err and len(err.strip().splitlines()) == 1
    code, _, err = run([*base, "sources", "import", "kite", str(tmp_path / "none")], capsys)
    assert code == 2 and "no such file or folder" in err


def test_shipped_catalog_stands_against_the_snapshot() -> None:
    """The shipped catalog is the snapshot's import (nothing left to change) and every
    US feed is either in the maintained list or carries its recorded reason."""
    shipped = parse_catalog(builtin_catalog_text(), "built-in catalog")
    plan = kite.plan_import(shipped, kite.bundled())
    assert plan.changes == {}
    numbers = kite.coverage(shipped, kite.bundled())
    assert numbers["feeds_with_provenance"] == numbers["feeds"]
    assert numbers["country_feeds_unaccounted"] == []
    assert (
        numbers["country_feeds_in_list"] + numbers["country_feeds_with_reason"]
        == numbers["country_feeds"]
    )
    assert numbers["outlets_with_owner"] >= 50 and numbers["outlets_with_language"] == len(shipped)
    for s in shipped:  # leanings stay ours
        assert s.leaning_provenance.startswith("manysides editors' estimate")
    stripped = [dataclasses.replace(s, feed_provenance=()) for s in shipped if s.country == "US"]
    assert kite.coverage(stripped, kite.bundled())["country_feeds_with_reason"] == 0


def test_coverage_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["--json", "sources", "coverage"], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["country"] == "US" and data["country_feeds_unaccounted"] == []
    code, out, _ = run(["sources", "coverage", "--country", "GB"], capsys)
    assert code == 0 and "GB feeds:" in out
