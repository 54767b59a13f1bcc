"""Small hand-written stories shared by the perspectives and summary tests."""

from __future__ import annotations

from datetime import UTC, datetime

from manysides.perspectives import StoryArticle

QUAKE = [
    StoryArticle(
        id=1,
        title="Quake kills 12 in southern Peru",
        text=(
            "An earthquake killed 12 people in southern Peru on Monday, officials said. "
            "Rescue teams searched collapsed homes through the night in the city of Arequipa. "
            "President Dina Boluarte called the disaster a national tragedy."
        ),
        outlet="Left Daily",
        source_id="left-daily",
        leaning="left",
        ownership="private",
        published=datetime(2024, 5, 6, 8, 0, tzinfo=UTC),
        report_id=1,
    ),
    StoryArticle(
        id=2,
        title="Peru earthquake leaves 15 dead",
        text=(
            "A powerful earthquake killed 15 people in southern Peru on Tuesday, officials said. "
            "The quake had a magnitude of 6.1 and struck near Arequipa. "
            "Critics slammed the government's disgraceful and incompetent response."
        ),
        outlet="Right Post",
        source_id="right-post",
        leaning="right",
        ownership="private",
        published=datetime(2024, 5, 6, 9, 30, tzinfo=UTC),
        report_id=2,
    ),
    StoryArticle(
        id=3,
        title="Peru earthquake leaves 15 dead",
        text=(
            "A powerful earthquake killed 15 people in southern Peru on Tuesday, officials said. "
            "The quake had a magnitude of 6.1 and struck near Arequipa."
        ),
        outlet="Wire Copy",
        source_id="wire-copy",
        leaning="lean-right",
        ownership="nonprofit",
        published=datetime(2024, 5, 6, 10, 0, tzinfo=UTC),
        report_id=2,
    ),
    StoryArticle(
        id=4,
        title="Earthquake in Peru: what we know",
        text=(
            "An earthquake struck southern Peru near Arequipa, killing at least a dozen people, "
            "officials said. Rescue teams searched collapsed homes through the night. "
            "Scientists said the magnitude 6.1 quake was shallow."
        ),
        outlet="Center News",
        source_id="center-news",
        leaning="center",
        ownership="public-broadcaster",
        published=None,
        report_id=None,
    ),
]
