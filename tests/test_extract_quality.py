"""Quality gates on the shared evaluation data (skipped when ../shared/data is absent).

Floors sit a little under what the benchmarks measure (docs/benchmarks.md), so that a
regression fails CI while run-to-run noise does not.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from benchmarks.bench_extract import score
from benchmarks.bench_lines import ours_noise, prf
from manysides.config import ExtractConfig
from manysides.errors import ExtractionError
from manysides.extract import extract
from manysides.extract.text import clean_lines
from manysides.records import RawDocument

ZYTE_F1_FLOOR = 0.97  # measured 0.981
ZYTE_PRECISION_FLOOR = 0.965  # measured 0.981
TURKU_DEV_F1_FLOOR = 0.67  # measured 0.704


def test_zyte_extraction_quality(shared_data: Path) -> None:
    folder = shared_data / "extraction-zyte"
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    config = ExtractConfig()
    preds: dict[str, str] = {}
    for key, item in truth.items():
        html = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())
        try:
            preds[key] = extract(RawDocument(url=item["url"], content=html), config).text
        except ExtractionError:
            preds[key] = ""
    result = score({k: v["articleBody"] for k, v in truth.items()}, preds)
    assert result["f1"] >= ZYTE_F1_FLOOR, result
    assert result["precision"] >= ZYTE_PRECISION_FLOOR, result


def test_turku_boilerplate_lines(shared_data: Path) -> None:
    docs = json.loads((shared_data / "lines-turku" / "en-dev.json").read_text(encoding="utf-8"))
    result = prf(docs, ours_noise)
    assert result["f1"] >= TURKU_DEV_F1_FLOOR, result


def test_example_page_keeps_the_article_and_nothing_else(shared_data: Path) -> None:
    lines = (shared_data / "examples" / "theweek-page.txt").read_text(encoding="utf-8").splitlines()
    kept, removed = clean_lines(lines, plain=True)
    article = [x.strip() for x in lines[:6] if x.strip()]
    assert kept == article
    assert {r.rule for r in removed} >= {"newsletter-promo", "author-bio", "tail-list"}
