"""The sample week shipped with the package: a real briefing on any machine, offline.

``data/sample/`` holds 163 real articles from 53 outlets dated 2020-05-18 to 2020-05-24, a
slice of the Article-Bias-Prediction dataset (Baly et al., EMNLP 2020; Apache-2.0; see
``data/sample/NOTICE``), with their outlets and AllSides leanings in ``sources.toml``. It is
built by ``benchmarks/build_sample.py``.

``manysides brief --sample`` (and a live ``brief`` that reaches no source at all) runs the
ordinary pipeline on it with ``sample_config``: its own store and output folder under
``<data dir>/sample/`` (never the live ones), the shipped sample catalog only, the clock set
to the end of the sample week, a window covering the whole week, and ``briefing.label`` set
so that every page and output says it is a sample.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from .config import Config, data_dir

FIRST_DAY = "2020-05-18"
LAST_DAY = "2020-05-24"
AS_OF = datetime(2020, 5, 24, 23, 59, 59, tzinfo=UTC)
WINDOW_HOURS = 7 * 24
# ``ingest`` reads the articles; the rest is the ordinary briefing pipeline.
STEPS = ("ingest", "stories", "quotes", "perspectives", "briefing")
TITLE = "manysides sample briefing"
LABEL = (
    "Sample: real news of 18 to 24 May 2020 from the Article-Bias-Prediction dataset"
    " (Baly et al., EMNLP 2020; Apache-2.0), not today's news."
)
LIVE_HINT = (
    "for live news: connect this machine to the internet and run `manysides brief` again;"
    " `manysides sources check` tests every feed, and your own outlets go in the sources"
    " catalog (`manysides sources add`, docs/sources.md)"
)


@dataclass(frozen=True)
class SampleFiles:
    articles: Path
    sources: Path
    notice: Path


def files() -> SampleFiles:
    """The packaged sample files (a regular install keeps package data on disk)."""
    root = Path(str(resources.files("manysides").joinpath("data", "sample")))
    return SampleFiles(root / "articles.jsonl.gz", root / "sources.toml", root / "NOTICE")


def home() -> Path:
    """Where the sample's store and briefings live: ``<data dir>/sample``."""
    return data_dir() / "sample"


def output_dir() -> Path:
    return home() / "briefings"


def sample_config(config: Config) -> Config:
    """The user's config with the sample's own store, outputs, catalog, window and label."""
    cfg = config.replace("store", path=str(home() / "manysides.db"))
    cfg = cfg.replace("sources", catalog=str(files().sources), use_builtin=False, only=())
    return cfg.replace(
        "briefing",
        output_dir=str(output_dir()),
        hours=WINDOW_HOURS,
        previous_hours=0,  # one briefing of the whole week: no previous briefing
        title=TITLE,
        label=LABEL,
        timezone="",
    )
