"""Quality gate: B-cubed F1 of the online clusterer on a NeuS dev subset (needs ../shared)."""

from __future__ import annotations

import json
from pathlib import Path

from manysides.config import StoriesConfig
from manysides.stories import StoryClusterer, StoryInput, bcubed

# Measured 0.804 (P 0.866, R 0.751) on this subset with the default config (2026-11-25).
F1_FLOOR = 0.77


def test_bcubed_f1_on_neus_dev_subset(shared_data: Path) -> None:
    rows = []
    with (shared_data / "stories" / "neus-train.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            # The tuning half of benchmarks/bench_stories.py: ~490 stories, ~1,470 articles.
            if int(row["story"].rsplit("-", 1)[1]) % 5 == 0:
                rows.append(row)
    assert len(rows) > 1000
    clusterer = StoryClusterer(StoriesConfig())
    predicted = {
        r["id"]: clusterer.add(StoryInput(r["id"], r["title"], r["text"])).story_id for r in rows
    }
    precision, recall, f1 = bcubed(predicted, {r["id"]: r["story"] for r in rows})
    assert f1 >= F1_FLOOR, f"B-cubed F1 {f1:.3f} (P {precision:.3f}, R {recall:.3f}) < {F1_FLOOR}"
