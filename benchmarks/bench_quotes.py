"""Who-said-what benchmark on PolNeAR (brat attribution annotations).

    .venv/bin/python -m benchmarks.bench_quotes [--data DIR] [--split dev] [--limit N]
                                                [--workers N] [--fit-confidence]

Scores, on one annotator per article (see ``manysides.quotes.evaluate``): span
precision/recall/F1 (a match is character overlap/union >= 0.5) and speaker accuracy
(matched quotes whose speaker mention overlaps the gold Source), for direct quotes (gold
Content beginning or ending with a quotation mark; predictions likewise) and for all
attributions. The baseline, run on the same articles: every quotation-mark span is a
quote, its speaker the name or pronoun of an adjacent "X said" / "said X".
A split quote is one prediction (its fragments together), as the annotation marks it;
"direct" predictions are those the system marks direct. Also reported: the share of
predicted speakers that are not a PERSON/ORG entity of the article (target 0), and the
calibration table: matched attributions by confidence bucket, with the share whose
speaker is right. Speed is articles per second of ``analyze_many`` (NER on all text,
parser on cue sentences), in one process and with a ``--workers`` process pool
(``manysides.workers``): cold (workers started and their models loaded inside the timing)
and warm (the same workers again); with CPU milliseconds per article and, as the same-run
anchor, spaCy's bare NER pass over the same texts.

``--fit-confidence`` scores the train split instead and prints the confidence table of
``manysides/quotes/confidence.py`` (share of right speakers per rule and mention kind).
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import re
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.common import Timer, data_dir, peak_rss_mb, save
from manysides.config import QuotesConfig
from manysides.quotes import ArticleQuotes, Quote, QuoteAnalyzer
from manysides.quotes.evaluate import GoldArticle, match, read_polnear, score
from manysides.quotes.marks import quote_spans
from manysides.quotes.records import verbatim
from manysides.quotes.speakers import SPEAKER_LABELS
from manysides.quotes.split import join_split_quotes
from manysides.workers import WorkerPool

_BASE_AFTER = re.compile(
    r"[\s,]*(?:(?P<a>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}|he|she|they)\s+(?:said|says)"
    r"|(?:said|says)\s+(?P<b>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}|he|she))",
)

TARGETS = {
    "direct_f1": 0.90,
    "direct_speaker": 0.95,
    "all_f1": 0.72,
    "non_entity_speakers": 0.0,
    "articles_per_s": 20.0,
}
BUCKETS = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.01)


def baseline(text: str) -> list[Quote]:
    """Every quotation-mark span, with the speaker of an adjacent "X said"."""
    out = []
    for start, end in quote_spans(text):
        m = _BASE_AFTER.match(text, end, min(len(text), end + 60))
        speaker = None
        if m:
            group = "a" if m.group("a") else "b"
            speaker = (m.start(group), m.end(group))
        out.append(
            Quote(
                text[start:end],
                start,
                end,
                text[speaker[0] : speaker[1]] if speaker else None,
                speaker[0] if speaker else None,
                speaker[1] if speaker else None,
                "said" if speaker else None,
                True,
            )
        )
    return join_split_quotes(text, out)  # the same unit as ours: split quotes as one


def speed_articles(root: Path, n: int) -> list[str]:
    """The first ``n`` corpus-abp articles of 600-800 words (the target's article size)."""
    out: list[str] = []
    with gzip.open(root / "corpus-abp" / "articles.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line).get("text") or ""
            if 600 <= len(text.split()) <= 800:
                out.append(text)
                if len(out) >= n:
                    break
    return out


def evaluate(articles: Sequence[GoldArticle], predictions: Sequence[list[Quote]]) -> dict:
    pairs = list(zip(articles, predictions, strict=True))
    return {"direct": score(pairs, direct_only=True).as_dict(), "all": score(pairs).as_dict()}


def speaker_checks(results: Sequence[ArticleQuotes]) -> dict[str, float | int]:
    """Predicted speakers that are not the canonical name of a PERSON/ORG entity of their
    article (must be none), and how many quotes carry no speaker."""
    named = bad = unnamed = 0
    for r in results:
        allowed = {e.canonical for e in r.entities if e.label in SPEAKER_LABELS}
        for q in r.quotes:
            if q.speaker is None:
                unnamed += 1
                continue
            named += 1
            bad += q.speaker not in allowed
    total = named + unnamed
    return {
        "quotes": total,
        "with_speaker": named,
        "non_entity_speakers": bad,
        "non_entity_share": round(bad / named, 4) if named else 0.0,
        "null_speaker_share": round(unnamed / total, 4) if total else 0.0,
    }


def matched_speakers(
    articles: Sequence[GoldArticle], results: Sequence[ArticleQuotes]
) -> list[tuple[Quote, bool]]:
    """Every matched attribution that names a speaker, with whether that speaker is right."""
    out: list[tuple[Quote, bool]] = []
    for article, r in zip(articles, results, strict=True):
        for _j, i, ok in match(article.attributions, r.quotes):
            q = r.quotes[i]
            if q.speaker is not None:
                out.append((q, ok))
    return out


def calibration(
    articles: Sequence[GoldArticle], results: Sequence[ArticleQuotes]
) -> list[dict[str, float | int | str]]:
    """By confidence bucket: matched attributions with a speaker, their mean confidence and
    the share whose speaker is right; and the share of all predictions in the bucket
    (with a speaker) that match a gold attribution with the right speaker."""
    matched = matched_speakers(articles, results)
    predicted = [q for r in results for q in r.quotes if q.speaker is not None]
    rows = []
    for lo, hi in itertools.pairwise(BUCKETS):
        inside = [(q, ok) for q, ok in matched if lo <= q.confidence < hi]
        preds = [q for q in predicted if lo <= q.confidence < hi]
        right = sum(ok for _q, ok in inside)
        rows.append(
            {
                "bucket": f"{lo:.2f}–{min(hi, 1.0):.2f}",
                "predicted": len(preds),
                "matched": len(inside),
                "mean_confidence": round(statistics.mean(q.confidence for q, _ in inside), 3)
                if inside
                else 0.0,
                "speaker_right": round(right / len(inside), 3) if inside else 0.0,
                "right_of_predicted": round(right / len(preds), 3) if preds else 0.0,
            }
        )
    return rows


def fit_confidence(articles: Sequence[GoldArticle], results: Sequence[ArticleQuotes]) -> str:
    """The confidence tables (Python source) from matched attributions of ``articles``:
    per rule/mention kind the share of right speakers, shrunk towards the rule's rate."""
    per_basis: dict[str, list[int]] = {}
    per_method: dict[str, list[int]] = {}
    for q, ok in matched_speakers(articles, results):
        for table, key in ((per_basis, q.basis), (per_method, q.basis.partition("/")[0])):
            tally = table.setdefault(key, [0, 0])
            tally[0] += ok
            tally[1] += 1
    prior_weight = 10
    method_rates = {m: (k + 1) / (n + 2) for m, (k, n) in per_method.items()}
    lines = ["RATES: Mapping[str, float] = MappingProxyType(", "    {"]
    for basis, (k, n) in sorted(per_basis.items()):
        prior = method_rates[basis.partition("/")[0]]
        rate = (k + prior_weight * prior) / (n + prior_weight)
        lines.append(f'        "{basis}": {rate:.3f},  # {k}/{n}')
    lines += ["    }", ")", "METHOD_RATES: Mapping[str, float] = MappingProxyType(", "    {"]
    for method, rate in sorted(method_rates.items()):
        k, n = per_method[method]
        lines.append(f'        "{method}": {rate:.3f},  # {k}/{n}')
    lines += ["    }", ")"]
    return "\n".join(lines)


def anchor_seconds(analyzer: QuoteAnalyzer, texts: Sequence[str]) -> tuple[float, float]:
    """Wall and CPU seconds of spaCy's bare NER pass over ``texts`` (the same-run anchor)."""
    disable = [n for n in ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")]
    disable = [n for n in disable if n in analyzer.nlp.pipe_names]
    cpu0 = time.process_time()
    with Timer() as t:
        for _doc in analyzer.nlp.pipe(texts, disable=disable, batch_size=16):
            pass
    return t.seconds, time.process_time() - cpu0


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", help="shared data folder (default ../shared/data)")
    ap.add_argument("--split", default="dev")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--workers", type=int, default=2, help="processes for the parallel run")
    ap.add_argument(
        "--speed-articles",
        type=int,
        default=120,
        help="corpus-abp articles of 600-800 words for the speed runs",
    )
    ap.add_argument(
        "--fit-confidence",
        action="store_true",
        help="score polnear/train and print the confidence table (no speed runs)",
    )
    args = ap.parse_args(argv)
    split = "train" if args.fit_confidence else args.split
    articles = read_polnear(data_dir(args.data) / "polnear" / split, args.limit)
    texts = [a.text for a in articles]
    words = [len(t.split()) for t in texts]
    config = QuotesConfig()
    with Timer() as load:
        analyzer = QuoteAnalyzer(config)  # the single-process measurement: no pool
    analyzer.analyze(texts[0])  # warm-up
    with Timer() as t0:
        results = list(analyzer.analyze_many(texts))
    if args.fit_confidence:
        print(fit_confidence(articles, results))
        return
    ours = evaluate(articles, [r.quotes for r in results])
    checks = speaker_checks(results)
    table = calibration(articles, results)

    speed_texts = speed_articles(data_dir(args.data), args.speed_articles)
    speed_words = [len(t.split()) for t in speed_texts]
    n_speed = len(speed_texts)
    anchor_wall, anchor_cpu = anchor_seconds(analyzer, speed_texts)
    cpu0 = time.process_time()
    with Timer() as t1:
        speed_results = list(analyzer.analyze_many(speed_texts))
    cpu_1 = time.process_time() - cpu0
    children0 = os.times()
    with WorkerPool(args.workers) as pool:
        # cold: the run's pool starts its workers, each loads the model once
        with Timer() as tcold:
            again = list(analyzer.analyze_many(speed_texts, pool))
        assert again == speed_results, "worker processes changed the results"
        # warm: the same workers again (as the single-process run, model already loaded)
        with Timer() as tn:
            again = list(analyzer.analyze_many(speed_texts, pool))
        assert again == speed_results, "worker processes changed the results"
    children1 = os.times()
    cpu_n = (children1.children_user + children1.children_system) - (
        children0.children_user + children0.children_system
    )
    with Timer() as tb:
        base_preds = [baseline(t) for t in texts]
    base = evaluate(articles, base_preds)
    is_verbatim = all(
        verbatim(t, q)
        for t, r in zip([*texts, *speed_texts], [*results, *speed_results], strict=True)
        for q in r.quotes
    )

    speed_1 = len(speed_texts) / t1.seconds
    speed_n = len(speed_texts) / tn.seconds
    result = {
        "split": args.split,
        "articles": len(texts),
        "median_words": statistics.median(words),
        "mean_words": round(statistics.mean(words), 1),
        "ours": ours,
        "baseline": base,
        "speakers": checks,
        "calibration": table,
        "polnear_articles_per_s_1_process": round(len(texts) / t0.seconds, 2),
        "speed_set": f"corpus-abp, {len(speed_texts)} articles of 600-800 words",
        "speed_median_words": statistics.median(speed_words) if speed_words else 0,
        "articles_per_s_1_process": round(speed_1, 2),
        f"articles_per_s_{args.workers}_processes": round(speed_n, 2),
        f"articles_per_s_{args.workers}_processes_cold": round(len(speed_texts) / tcold.seconds, 2),
        # the VM is shared: CPU seconds say what the code costs regardless of other load
        "articles_per_cpu_s_1_process": round(len(speed_texts) / cpu_1, 2),
        "cpu_ms_per_article_1_process": round(1000 * cpu_1 / n_speed, 1),
        "workers_cpu_s": round(cpu_n, 2),
        "anchor_spacy_ner_articles_per_s": round(n_speed / anchor_wall, 2),
        "anchor_spacy_ner_cpu_ms_per_article": round(1000 * anchor_cpu / n_speed, 1),
        "cpu_vs_anchor": round(cpu_1 / anchor_cpu, 2),
        "projected_articles_per_s_2_cores": round(2 * len(speed_texts) / cpu_1, 2),
        "baseline_articles_per_s": round(len(texts) / max(tb.seconds, 1e-9), 1),
        "model_load_s": round(load.seconds, 2),
        "verbatim": is_verbatim,
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "load_average": os.getloadavg(),
        "targets": TARGETS,
        "met": {
            "direct_f1": ours["direct"]["f1"] >= TARGETS["direct_f1"],
            "direct_speaker": ours["direct"]["speaker_accuracy"] >= TARGETS["direct_speaker"],
            "all_f1": ours["all"]["f1"] >= TARGETS["all_f1"],
            "non_entity_speakers": checks["non_entity_speakers"] == 0,
            "articles_per_s": speed_n >= TARGETS["articles_per_s"],
            "articles_per_s_projected": 2 * len(speed_texts) / cpu_1 >= TARGETS["articles_per_s"],
        },
    }
    path = save("quotes", result)
    print(f"PolNeAR {args.split}: {len(texts)} articles, median {statistics.median(words)} words")
    print(
        "| system | direct P | direct R | direct F1 | direct speaker | all P | all R | all F1 |"
        " all speaker |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, r in (("manysides", ours), ("quotation-mark baseline", base)):
        d, a = r["direct"], r["all"]
        print(
            f"| {name} | {d['precision']:.3f} | {d['recall']:.3f} | {d['f1']:.3f} |"
            f" {d['speaker_accuracy']:.3f} | {a['precision']:.3f} | {a['recall']:.3f} |"
            f" {a['f1']:.3f} | {a['speaker_accuracy']:.3f} |"
        )
    print(
        f"speakers: {checks['non_entity_speakers']} of {checks['with_speaker']} not a PERSON/ORG"
        f" entity; {checks['null_speaker_share']:.1%} of quotes without a speaker"
    )
    print(
        "| confidence | predicted | matched | mean confidence | speaker right | right of predicted |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for row in table:
        print(
            f"| {row['bucket']} | {row['predicted']} | {row['matched']} |"
            f" {row['mean_confidence']:.3f} | {row['speaker_right']:.3f} |"
            f" {row['right_of_predicted']:.3f} |"
        )
    print(
        f"speed on {len(speed_texts)} corpus-abp articles of 600-800 words:"
        f" {speed_1:.1f} articles/s (1 process), {speed_n:.1f} articles/s"
        f" ({args.workers} processes, warm), {len(speed_texts) / tcold.seconds:.1f} cold"
        f" (workers started and models loaded in the timing); {len(speed_texts) / cpu_1:.1f} articles per CPU-second"
        f" (1 process), {1000 * cpu_1 / n_speed:.0f} CPU-ms per article; anchor (bare spaCy NER,"
        f" same texts, same run): {n_speed / anchor_wall:.1f} articles/s,"
        f" {1000 * anchor_cpu / n_speed:.0f} CPU-ms per article; verbatim: {is_verbatim};"
        f" saved {Path(path).name}"
    )


if __name__ == "__main__":
    main()
