"""``manysides backfill`` on the local engine, ``manysides load``, resume after kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from backfill_data import write_archive, write_garbage

from manysides.backfill import Options, backfill
from manysides.backfill.groups import EXACT, resolve
from manysides.backfill.output import BackfillDir
from manysides.backfill.run import story_agreement
from manysides.backfill.windows import Item, WindowResult, cluster, plan, stitch, text_chars
from manysides.config import Config
from manysides.errors import UserError

pa = pytest.importorskip("pyarrow")
REPO = Path(__file__).resolve().parent.parent
CONFIG = Config()
NO_QUOTES = CONFIG.replace("quotes", enabled=False)  # for the fault tests: no spaCy, faster


def snapshot(out: Path) -> dict[str, list[tuple]]:
    """Every per-record dataset and the report groups, as sorted rows (engine-neutral)."""
    folder = BackfillDir(out)
    found = {}
    for name in ("articles", "entities", "quotes", "errors", "report_groups"):
        table = folder.dataset(name).to_table()
        found[name] = sorted(tuple(str(v) for v in row.values()) for row in table.to_pylist())
    return found


def files_of(out: Path, names: tuple[str, ...] = ("articles",)) -> dict[str, bytes]:
    """The per-shard datasets' files, by path (a file holds one read batch of a shard)."""
    return {
        str(p.relative_to(out)): p.read_bytes()
        for name in names
        for p in sorted((out / name).glob("date=*/*.parquet"))
    }


def stories_of(out: Path) -> dict[str, int]:
    table = BackfillDir(out).dataset("story_articles").to_table()
    return dict(zip(table["article_key"].to_pylist(), table["story_id"].to_pylist(), strict=True))


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("archive")
    write_archive(folder)
    write_garbage(folder)
    return folder


@pytest.fixture(scope="module")
def local_out(archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bf") / "out"
    backfill([archive], out, CONFIG, Options(workers=1, batch_size=16))
    return out


@pytest.fixture(scope="module")
def plain_out(archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same archive without quotes, on two local worker processes."""
    out = tmp_path_factory.mktemp("bf") / "plain"
    backfill([archive], out, NO_QUOTES, Options(workers=2, batch_size=16))
    return out


def test_worker_processes_give_the_same_output(local_out: Path, plain_out: Path) -> None:
    one, two = snapshot(local_out), snapshot(plain_out)
    for name in ("articles", "report_groups"):
        assert one[name] == two[name]
    assert two["quotes"] == two["entities"] == []
    assert stories_of(local_out) == stories_of(plain_out)
    # the workers wrote the same files, byte for byte, and left nothing staged
    assert files_of(local_out) == files_of(plain_out) != {}
    assert not (local_out / ".staging").exists() and not (plain_out / ".staging").exists()


def test_outputs_are_parquet_datasets_any_reader_takes(local_out: Path) -> None:
    duckdb = pytest.importorskip("duckdb").connect()
    glob = str(local_out / "{}" / "**" / "*.parquet")
    n_articles, n_dates = duckdb.execute(
        f"SELECT count(*), count(DISTINCT date) FROM read_parquet('{glob.format('articles')}',"
        " hive_partitioning = true)"
    ).fetchone()
    assert n_articles > 150 and n_dates > 20  # partitioned by publication day
    quoted = duckdb.execute(
        f"SELECT count(*) FROM read_parquet('{glob.format('quotes')}', hive_partitioning = true)"
        " WHERE speaker IS NOT NULL AND direct"
    ).fetchone()[0]
    assert quoted > 100
    # quotes are verbatim spans of their article's text
    rows = duckdb.execute(
        f"SELECT a.text, q.text, q.start, q.\"end\" FROM read_parquet('{glob.format('quotes')}',"
        f" hive_partitioning = true) q JOIN read_parquet('{glob.format('articles')}',"
        " hive_partitioning = true) a ON a.key = q.article_key"
    ).fetchall()
    assert rows and all(text[s:e] == quote for text, quote, s, e in rows)
    stories = duckdb.execute(
        f"SELECT max(articles), count(*) FROM read_parquet('{glob.format('stories')}',"
        " hive_partitioning = true)"
    ).fetchone()
    assert stories[0] >= 3 and 20 <= stories[1] <= 80


def test_copies_join_their_report_group(local_out: Path) -> None:
    groups = BackfillDir(local_out).dataset("report_groups").to_table().to_pylist()
    articles = {
        r["key"]: r for r in BackfillDir(local_out).dataset("articles").to_table().to_pylist()
    }
    exact = [g for g in groups if g["score"] == EXACT]
    near = [g for g in groups if g["score"] is not None and g["score"] < EXACT]
    assert len(exact) >= 8 and len(near) >= 5
    for g in exact:
        assert articles[g["article_key"]]["fingerprint"] == articles[g["report_key"]]["fingerprint"]
    for g in near:
        mine, first = articles[g["article_key"]], articles[g["report_key"]]
        assert "/syndicated/" in mine["url"] and first["text"] in mine["text"]
    # copies share their report's story
    stories = stories_of(local_out)
    assert all(stories[g["article_key"]] == stories[g["report_key"]] for g in exact + near)


def test_stories_match_an_online_run(local_out: Path) -> None:
    precision, recall, f1 = story_agreement(local_out, CONFIG)
    assert f1 >= 0.99, (precision, recall)


def test_bad_items_and_corrupt_shards_are_recorded_and_skipped(
    local_out: Path, archive: Path
) -> None:
    errors = BackfillDir(local_out).dataset("errors").to_table().to_pylist()
    by_stage = {(e["stage"], e["kind"]) for e in errors}
    assert ("read", "parse") in by_stage  # bad JSON line, the corrupt and the garbage shard
    messages = " ".join(e["message"] for e in errors)
    assert "not valid JSON" in messages and "e-2024.warc.gz" in messages
    assert "d-2024.jsonl.gz: cannot read" in messages
    manifest = BackfillDir(local_out).read_manifest()
    assert manifest is not None and manifest.complete
    shards = {Path(s.path).name: s for s in manifest.shards}
    assert set(shards) == {"a-2024.jsonl", "b-2024.jsonl.gz", "c-2024.warc.gz"} | {
        "d-2024.jsonl.gz",
        "e-2024.warc.gz",
    }
    assert shards["e-2024.warc.gz"].articles == 0 and shards["e-2024.warc.gz"].errors == 1
    assert shards["d-2024.jsonl.gz"].articles > 10  # what came before the damage is kept
    assert shards["c-2024.warc.gz"].articles > 40  # HTML from the WARC was extracted


def test_rerun_skips_finished_shards(local_out: Path, archive: Path) -> None:
    before = snapshot(local_out)
    summary = backfill([archive], local_out, CONFIG, Options(workers=1, batch_size=16))
    assert summary.shards_done == 0 and summary.shards_skipped == 5
    assert snapshot(local_out) == before


def test_driver_killed_resumes_from_the_manifest(
    plain_out: Path, archive: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    config = tmp_path / "config.toml"
    config.write_text("[quotes]\nenabled = false\n")
    cmd = [sys.executable, "-m", "manysides", "-q", "--config", str(config), "backfill"]
    cmd += [str(archive), "--out", str(out)]
    cmd += ["--workers", "1", "--batch-size", "16"]
    env = os.environ | {"PYTHONPATH": str(REPO / "src")}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 240
    killed = False
    while time.monotonic() < deadline and proc.poll() is None:
        manifest = BackfillDir(out).read_manifest() if (out / "manifest.json").exists() else None
        if manifest and manifest.shards:
            proc.send_signal(signal.SIGKILL)
            killed = True
            break
        time.sleep(0.05)
    proc.wait(timeout=60)
    assert killed, proc.stderr.read().decode() if proc.stderr else ""
    partial = BackfillDir(out).read_manifest()
    assert partial is not None and not partial.complete and len(partial.shards) < 5
    # a file a worker of the killed run staged but the driver never published
    staging = out / ".staging"
    staging.mkdir(exist_ok=True)
    some = next(iter(files_of(plain_out).values()))
    (staging / "0123456789ab.articles.2024-02-05.feedfacecafe-00000000.parquet").write_bytes(some)
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert snapshot(out) == snapshot(plain_out)
    assert files_of(out, ("articles", "errors")) == files_of(plain_out, ("articles", "errors"))
    assert stories_of(out) == stories_of(plain_out)
    assert not staging.exists()


def test_load_imports_the_backfill_into_the_store(local_out: Path, tmp_path: Path) -> None:
    from manysides.backfill.load import load
    from manysides.store import Store

    articles = BackfillDir(local_out).dataset("articles").count_rows()
    quotes = BackfillDir(local_out).dataset("quotes").count_rows()
    with Store(tmp_path / "m.db") as store:
        got = load(local_out, store, CONFIG)
        assert got.articles == articles and got.quotes == quotes
        assert store.articles.count() == articles and store.quotes.count() == quotes
        again = load(local_out, store, CONFIG)
        assert again.articles == 0 and store.articles.count() == articles
        biggest = store.stories.list(limit=1)[0]
        assert biggest["headline"] and len(store.stories.article_ids(int(biggest["id"]))) >= 3
        assert store.runs.pending("stories", 1) == [] and store.runs.pending("quotes", 1) == []
        # syndicated copies point at their report's first article
        rows = store.query("SELECT count(*) FROM articles WHERE report_id != id")
        assert rows[0][0] >= 13


def test_cli_backfill_and_load(
    archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from clitools import run

    out = tmp_path / "out"
    args = ["--json", "backfill", str(archive / "a-*.jsonl"), "--out", str(out), "--workers", "1"]
    code, stdout, _ = run(args, capsys)
    assert code == 0
    summary = json.loads(stdout)
    assert summary["shards"] == 1 and summary["articles"] > 40 and summary["errors"] == 1
    code, stdout, _ = run(["--json", "--db", str(tmp_path / "m.db"), "load", str(out)], capsys)
    assert code == 0 and json.loads(stdout)["articles"] == summary["articles"]
    code, _, stderr = run(["backfill", str(archive / "*.nothing"), "--out", str(out)], capsys)
    assert code == 2 and "matches no file" in stderr
    code, _, stderr = run(["load", str(tmp_path)], capsys)
    assert code == 2 and "no backfill here" in stderr


def test_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="matches no file"):
        backfill([str(tmp_path / "*.warc.gz")], tmp_path / "out", CONFIG)
    with pytest.raises(UserError, match="no such file"):
        backfill([tmp_path / "missing.jsonl"], tmp_path / "out", CONFIG)
    (tmp_path / "x.jsonl").write_text('{"url": "https://a.example/1", "text": "hello"}\n')
    with pytest.raises(UserError, match="--engine"):
        backfill([tmp_path / "x.jsonl"], tmp_path / "out", CONFIG, Options(engine="spark"))


def test_other_settings_need_another_folder(local_out: Path, archive: Path) -> None:
    other = CONFIG.replace("dedupe", threshold=0.9)
    with pytest.raises(UserError, match="other extract/dedupe/stories/quotes settings"):
        backfill([archive], local_out, other, Options(workers=1))


def test_a_window_clusters_the_same_on_the_leads_it_holds(local_out: Path) -> None:
    """A window holds only the lead of each text (``text_chars``): the clusterer reads no
    further, so the whole texts, even with another article's text after the lead, give
    the same stories and headlines."""
    columns = ["key", "title", "text", "published", "fetched_at", "source_id", "site", "url"]
    rows = [r for batch in BackfillDir(local_out).scan("articles", columns) for r in batch]
    rows.sort(key=lambda r: (r["published"] is None, r["published"] or r["fetched_at"], r["key"]))
    cut = text_chars(CONFIG.stories)
    other = [r["text"] for r in reversed(rows)]
    padded = [
        r | {"text": r["text"].ljust(cut) + " " + o} for r, o in zip(rows, other, strict=True)
    ]
    leads = [r | {"text": r["text"][:cut]} for r in padded]
    assert all(len(r["text"]) > cut for r in padded)
    whole, held = cluster(padded, CONFIG.stories), cluster(leads, CONFIG.stories)
    assert len(set(whole.assignment.values())) > 5
    assert held.assignment == whole.assignment
    assert held.headlines == whole.headlines


def test_resolve_follows_chains_to_the_first_article() -> None:
    # 3 copies 2 (better than 1), 2 copies 1, 1 copies 0 exactly
    roots = resolve([(3, 1, 0.85), (3, 2, 0.9), (2, 1, 0.95), (1, 0, EXACT), (3, 0, 0.9)])
    assert roots == {1: (0, EXACT), 2: (0, 0.95), 3: (0, 0.9)}


def test_stitch_continues_a_story_across_the_window_edge() -> None:
    day = 86400.0
    items = [Item(f"k{i}", i, i * day, "d", f"k{i}") for i in range(10)]
    story_plan = plan(items, window_days=5, overlap_days=2)
    assert [t.keys for t in story_plan.tasks] == [
        [f"k{i}" for i in range(5)],
        [f"k{i}" for i in range(3, 10)],
    ]
    # window 0: k0-k4 one story; window 1: k3-k6 one story (continues it), k7-k9 another
    results = [
        WindowResult(0, {f"k{i}": 1 for i in range(5)}, {1: "first"}),
        WindowResult(1, {f"k{i}": 1 if i < 7 else 2 for i in range(3, 10)}, {1: "a", 2: "b"}),
    ]
    stories = stitch(story_plan, results)
    assert {stories.assignment[f"k{i}"] for i in range(7)} == {1}
    assert {stories.assignment[f"k{i}"] for i in range(7, 10)} == {2}
    assert stories.headlines == {1: "first", 2: "b"}


# -- Ray ---------------------------------------------------------------------------------
# One multi-node Ray cluster on this machine for the module (two nodes of one logical CPU:
# Ray wants whole CPUs per node; the backfill's tasks and actors ask for half a CPU each).


@pytest.fixture(scope="module")
def ray_cluster():  # type: ignore[no-untyped-def]
    import logging

    ray = pytest.importorskip("ray")
    from ray.cluster_utils import Cluster

    # Ray Data's metrics poller, a daemon thread that outlives the cluster, logs a traceback
    # every 10 s when there is no Prometheus; formatting one parses source (3.11's traceback
    # carets), and CPython 3.11.7's parser is not thread-safe, so a later test's ast.parse
    # fails with "AST constructor recursion depth mismatch". Keep that logger quiet for good.
    logging.getLogger("ray.data._internal.usage").setLevel(logging.INFO)

    small = {"num_cpus": 1, "object_store_memory": 100 * 1024 * 1024}
    for attempt in range(3):  # a raylet has 30 s to register: a loaded machine can miss it
        cluster = Cluster()
        try:
            cluster.add_node(**small, include_dashboard=False)
            cluster.add_node(**small)
            ray.init(address=cluster.address)
            break
        except Exception as exc:  # Ray raises a bare Exception for a node that timed out
            ray.shutdown()
            cluster.shutdown()
            if "timed out" not in str(exc):
                raise
            if attempt == 2:  # the machine, not the backfill: say so, do not fail
                pytest.skip(f"Ray could not start a node on this loaded machine: {exc}")
    try:
        yield cluster
    finally:
        ray.shutdown()
        cluster.shutdown()


def _ray_workers(name: str) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if cmdline.startswith(b"ray::") and name.encode() in cmdline:
                pids.append(int(entry.name))
    return pids


@pytest.mark.ray
@pytest.mark.slow
@pytest.mark.timeout(1200)  # a two-node Ray on a loaded 2-core machine needs more than 300 s
def test_ray_on_two_nodes_matches_the_local_engine(
    ray_cluster, archive: Path, local_out: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    import ray

    assert len(ray.nodes()) == 2
    out = tmp_path / "ray"
    summary = backfill([archive], out, CONFIG, Options(engine="ray", batch_size=16))
    assert summary.shards_done == 5
    assert snapshot(out) == snapshot(local_out)  # articles, report groups, quotes, errors
    assert not (out / ".staging").exists()
    from manysides.stories.metrics import bcubed

    assert bcubed(stories_of(out), stories_of(local_out))[2] >= 0.99


@pytest.mark.ray
@pytest.mark.slow
@pytest.mark.timeout(1200)  # a two-node Ray on a loaded 2-core machine needs more than 300 s
def test_ray_worker_killed_mid_run_is_retried(
    ray_cluster, archive: Path, plain_out: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    import threading

    killed: list[tuple[int, str]] = []
    stop = threading.Event()

    def assassin() -> None:
        while not stop.is_set() and not killed:
            for name in ("MapBatches(_extract)",):
                for pid in _ray_workers(name):
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        continue
                    killed.append((pid, name))
                    return
            time.sleep(0.02)

    thread = threading.Thread(target=assassin, daemon=True)
    thread.start()
    out = tmp_path / "ray"
    try:
        backfill([archive], out, NO_QUOTES, Options(engine="ray", batch_size=8))
    finally:
        stop.set()
        thread.join()
    assert killed, "no backfill worker was seen running"
    assert snapshot(out) == snapshot(plain_out)
    assert not (out / ".staging").exists()
