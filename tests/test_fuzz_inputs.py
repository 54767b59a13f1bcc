"""The hostile-input campaign as a permanent, bounded test (seeded; see ``fuzzcampaign``).

Mutated feeds, pages, JSONL, WARC and text files: the run never dies, every good item is
stored, and every mutant either yields a stored document or a recorded error.
"""

from __future__ import annotations

from pathlib import Path

import fuzzcampaign
import pytest

from manysides.config import Config
from manysides.errors import ParseError
from manysides.pipeline import Report, RunContext, run_steps
from manysides.pipeline.fetch import parse_entries
from manysides.store import Store


@pytest.mark.parametrize("seed", [1, 2])
def test_mutated_local_inputs(tmp_path: Path, seed: int) -> None:
    camp = fuzzcampaign.build(tmp_path / "in", seed, mutants=96, good=40)
    db = tmp_path / "m.db"
    with Store(db) as store:
        ctx = RunContext(
            store=store, config=Config(), paths=[tmp_path / "in"], report=Report(False)
        )
        report = run_steps(ctx, ("ingest",), "ingest")  # raises if anything escapes
    outcome = fuzzcampaign.check(db, camp)
    assert outcome.lost == [], f"{len(outcome.lost)} good items lost"
    assert outcome.silent == [], f"{len(outcome.silent)} mutants vanished without an error"
    assert report.errors and outcome.errors == sum(report.errors.values())
    with Store(db) as store:
        crashed = [e for e in store.runs.errors(limit=10_000) if e["code"] == "E999"]
    assert crashed == []


def test_mutated_feeds() -> None:
    for mutation, data, survivors in fuzzcampaign.feeds(seed=3, n=120):
        try:
            entries, _children = parse_entries(data, "https://f.example.com/feed")
        except ParseError:
            assert survivors == -1, f"{mutation}: a feed that must parse was refused"
            continue
        if survivors >= 0:
            assert len(entries) == survivors, mutation
