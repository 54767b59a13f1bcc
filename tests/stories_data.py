"""Shared test data for the stories tests: three events, each reported three ways."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from manysides.stories import StoryInput
from manysides.stories.scorer import FEATURES, Model, Scorer

T0 = datetime(2024, 3, 1, 8, tzinfo=UTC)

EVENTS = {
    "quake": (
        "Earthquake of magnitude 7.1 strikes southern Turkey near Gaziantep",
        "A powerful earthquake struck southern Turkey near Gaziantep on Monday, toppling "
        "buildings and killing dozens, the Turkish disaster agency AFAD said. Rescue teams "
        "searched the rubble in Gaziantep and Kahramanmaras.",
    ),
    "fed": (
        "Federal Reserve raises interest rates by a quarter point, Powell signals pause",
        "The Federal Reserve raised its benchmark interest rate by a quarter percentage "
        "point on Wednesday, and Chair Jerome Powell said the central bank may pause "
        "further rate hikes as inflation cools.",
    ),
    "final": (
        "Real Madrid beat Liverpool to win Champions League final in Paris",
        "Real Madrid won the Champions League final against Liverpool in Paris on Saturday "
        "as Vinicius Junior scored the only goal and Thibaut Courtois made nine saves.",
    ),
}

VARIANTS = (
    lambda t, x: (t, x),
    lambda t, x: ("Update: " + t.lower(), x.replace("said", "reported")),
    lambda t, x: (t.split(",")[0], "Officials confirmed on the day. " + x),
)


def stream() -> list[tuple[StoryInput, str]]:
    items: list[tuple[StoryInput, str]] = []
    for v, variant in enumerate(VARIANTS):
        for e, (name, (title, text)) in enumerate(EVENTS.items()):
            t, x = variant(title, text)
            when = T0 + timedelta(hours=v * 3 + e)
            items.append((StoryInput(f"{name}-{v}", t, x, when, f"outlet{v}"), name))
    return items


def body_only(centre: float = 0.5, slope: float = 40.0) -> Scorer:
    """A scorer whose probability rises with the text cosine alone (0.5 at ``centre``),
    for tests of the clusterer's mechanics that must not depend on fitted weights."""
    weights = [0.0] * len(FEATURES)
    weights[FEATURES.index("body_cos")] = slope
    model = Model(tuple(weights), -slope * centre, 0.5, 0.99, 0.5)
    return Scorer(model, model)
