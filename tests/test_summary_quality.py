"""Quality gate: ROUGE-1 of the default extractive summary on NeuS val (needs ../shared)."""

from __future__ import annotations

import statistics
from pathlib import Path

from manysides.config import PerspectivesConfig
from manysides.perspectives import load_lexicon, summarize

N_STORIES = 50
R1_FLOOR = 0.39  # measured 0.410 on these 50 stories (see docs/benchmarks.md)


def test_rouge1_floor_and_citations(shared_data: Path) -> None:
    from rouge_score import rouge_scorer

    from benchmarks.bench_summary import load_split

    data = load_split(shared_data, "val", N_STORIES)
    config = PerspectivesConfig()
    lexicon = load_lexicon(str(shared_data / "neus/lexicons/bias-lexicon/bias-lexicon.txt"))
    scorer = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)
    scores = []
    for articles, reference in data:
        summary = summarize(articles, config, lexicon)
        ids = {a.id for a in articles}
        assert summary.sentences
        assert all(s.articles and set(s.articles) <= ids for s in summary.sentences)
        scores.append(scorer.score(reference, summary.text)["rouge1"].fmeasure)
    assert statistics.mean(scores) >= R1_FLOOR
