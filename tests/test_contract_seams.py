"""Seam tests: a real ``analyze_story`` output through the briefing, and the JSON schema.

The briefing's own tests use hand-made ``Perspective``s; here the perspectives stage
produces them from articles, so a change on either side of the contract shows up.
``docs/briefing-schema.md`` is checked against ``Briefing.to_dict`` both ways.
"""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from perspectives_data import QUAKE

from manysides.briefing import (
    Briefing,
    Candidate,
    PreviousAppearance,
    RankOptions,
    build_briefing,
)
from manysides.briefing.render import render_files
from manysides.briefing.view import RenderOptions
from manysides.config import BriefingConfig, PerspectivesConfig, StoriesConfig
from manysides.perspectives import Perspective, StoryBundle, analyze_story
from manysides.perspectives.records import StoryArticle
from manysides.pipeline.perspectives import quote_refs
from manysides.stories import StoryInput
from manysides.stories.explain import explain_story

SCHEMA = Path(__file__).resolve().parent.parent / "docs" / "briefing-schema.md"
NOW = datetime(2024, 5, 6, 12, 0, tzinfo=UTC)
CFG = BriefingConfig(base_url="https://news.example.org")
# object-valued fields whose keys are data (leanings, sides, values), not schema keys
DATA_KEYED = {"by_leaning", "by_side", "ownership", "framing", "values"}

QUOTE = "“We are doing everything we can,”"
SPEAKER = "Dina Boluarte"


def _articles() -> list[StoryArticle]:
    """The quake story, with one quote two outlets carried (a real merge, below)."""
    said = f" {QUOTE} {SPEAKER} said on Tuesday."
    return [
        StoryArticle(**{**a.__dict__, "text": a.text + said}) if a.id in (1, 2) else a
        for a in QUAKE
    ]


def _quote_rows(articles: list[StoryArticle]) -> list[dict[str, Any]]:
    rows = []
    for a in articles:
        start = a.text.find(QUOTE)
        if start < 0:
            continue
        who = a.text.index(SPEAKER)
        rows.append(
            {
                "article_id": a.id,
                "text": QUOTE,
                "start": start,
                "end": start + len(QUOTE),
                "speaker": SPEAKER,
                "speaker_start": who,
                "speaker_end": who + len(SPEAKER),
                "cue": "said",
                "direct": 1,
            }
        )
    return rows


def _real_perspective() -> Perspective:
    articles = _articles()
    by_id = {a.id: a for a in articles}
    bundle = StoryBundle(
        story_id=7,
        headline=articles[0].title,
        articles=articles,
        quotes=quote_refs(_quote_rows(articles), by_id),
    )
    return analyze_story(bundle, PerspectivesConfig())


def _briefing(previous: PreviousAppearance | None = None) -> Briefing:
    candidate = Candidate(_real_perspective(), previous)
    return build_briefing("2024-05-06", "Morning", [candidate], NOW, RankOptions.from_config(CFG))


def test_a_real_perspective_renders_in_every_format() -> None:
    p = _real_perspective()
    assert p.summary.sentences and p.coverage.n_outlets == 4 and p.quotes
    assert Perspective.from_dict(json.loads(json.dumps(p.to_dict()))) == p
    briefing = _briefing()
    [item] = briefing.items
    assert item.perspective == p
    files = render_files(briefing, [], RenderOptions.from_config(CFG))
    page, text = files["2024-05-06/index.html"], files["2024-05-06/briefing.txt"]
    md, email = files["2024-05-06/briefing.md"], files["2024-05-06/email.html"]
    for outlet in ("Left Daily", "Right Post", "Wire Copy", "Center News"):
        assert outlet in html.unescape(page) and outlet in text
    for sentence in p.summary.sentences:
        assert sentence.text in text and html.escape(sentence.text, quote=False) in page
    assert html.escape(p.headline, quote=False) in page and p.headline in text
    assert SPEAKER in text and SPEAKER in html.unescape(email) and "Dina" in md
    assert "https://news.example.org/story/7" in email
    # the JSON file is the same document as Briefing.to_dict, and reads back equal
    data = json.loads(files["2024-05-06/briefing.json"])
    assert data == json.loads(json.dumps(briefing.to_dict(), default=str))
    assert Briefing.from_dict(data) == briefing


def _keys(value: Any, found: set[str], parent: str = "") -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            if parent not in DATA_KEYED:
                found.add(key)
            _keys(inner, found, "" if parent in DATA_KEYED and isinstance(inner, dict) else key)
    elif isinstance(value, list):
        for inner in value:
            _keys(inner, found, parent)


def _documented(text: str | None = None) -> tuple[set[str], set[str]]:
    """(every name in backticks, the names in the tables' key column) of ``text``; by
    default the briefing's part, before the example."""
    if text is None:
        text = SCHEMA.read_text(encoding="utf-8").split("## Example")[0]
    spans = re.findall(r"`([^`]+)`", text)
    names = {w for s in spans for w in re.findall(r"[a-z_]+", s)}
    column = {
        w
        for line in text.splitlines()
        if line.startswith("| `")
        for w in re.findall(r"`([a-z_]+)`", line.split("|")[1])
    }
    return names, column


def test_briefing_schema_doc_matches_to_dict() -> None:
    found: set[str] = set()
    returning = _briefing(PreviousAppearance("2024-05-05", frozenset({1, 2})))
    assert returning.items[0].whats_new is not None  # so WhatsNew's keys are there too
    _keys(json.loads(json.dumps(returning.to_dict(), default=str)), found)
    names, column = _documented()
    undocumented = sorted(found - names)
    assert not undocumented, f"keys in Briefing.to_dict missing from the schema: {undocumented}"
    stale = sorted(column - found)
    assert not stale, f"docs/briefing-schema.md documents keys to_dict does not have: {stale}"


def test_why_schema_doc_matches_to_dict() -> None:
    """The StoryWhy section of the schema (``why`` in ``/api/stories/{id}``) against a real
    explanation's ``to_dict``, both ways."""
    members = [StoryInput(a.id, a.title, a.text) for a in _articles()]
    why = explain_story(members, max_body_tokens=StoriesConfig().max_body_tokens)
    assert why.entities and why.terms and all(m.similarity is not None for m in why.members)
    found: set[str] = set()
    _keys(json.loads(json.dumps(why.to_dict())), found)
    section = SCHEMA.read_text(encoding="utf-8").split("## StoryWhy")[1]
    names, column = _documented(section)
    undocumented = sorted(found - names)
    assert not undocumented, f"keys in StoryWhy.to_dict missing from the schema: {undocumented}"
    stale = sorted(column - found)
    assert not stale, f"the StoryWhy schema documents keys to_dict does not have: {stale}"
