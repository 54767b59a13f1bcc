"""Why a story is one story: ``stories.explain`` and the ``why`` the stories step stores."""

from __future__ import annotations

import json
import random
from pathlib import Path

from stories_data import stream

from manysides.config import Config
from manysides.pipeline import RunContext
from manysides.pipeline import stories as step
from manysides.records import Article
from manysides.store import Store
from manysides.stories import StoryInput
from manysides.stories.explain import StoryWhy, explain_story

TOKENS = Config().stories.max_body_tokens


def _event(name: str) -> list[StoryInput]:
    return [item for item, event in stream() if event == name]


def test_shared_names_and_terms_and_member_fit() -> None:
    quake = _event("quake")
    stray = StoryInput("stray", "Local bakery wins pie contest", "The bakery on Main Street won.")
    why = explain_story([*quake, stray], max_body_tokens=TOKENS)
    names = {e.term: e.members for e in why.entities}
    terms = {t.term: t.members for t in why.terms}
    assert names["gaziantep"] == 4 - 1 and names["turkey"] == 3
    assert "earthquake" in terms and terms["earthquake"] == 3
    assert all(e.members >= 2 for e in (*why.entities, *why.terms))
    weights = [e.weight for e in why.entities]
    assert weights == sorted(weights, reverse=True)
    fit = {m.id: m.similarity for m in why.members}
    assert set(fit) == {"quake-0", "quake-1", "quake-2", "stray"}
    assert fit["stray"] is not None and fit["stray"] < 0.1
    assert all(fit[f"quake-{i}"] > 0.8 for i in range(3))  # type: ignore[operator]
    assert why.n_articles == 4


def test_same_members_same_explanation_in_any_order() -> None:
    members = _event("fed") + _event("quake")[:1]
    first = explain_story(members, max_body_tokens=TOKENS)
    for seed in range(5):
        shuffled = members[:]
        random.Random(seed).shuffle(shuffled)
        assert explain_story(shuffled, max_body_tokens=TOKENS) == first
    assert [m.id for m in first.members] == sorted(m.id for m in members)  # by id
    assert StoryWhy.from_dict(json.loads(json.dumps(first.to_dict()))) == first


def test_ties_are_broken_by_the_term() -> None:
    a = StoryInput(1, "", "zebra apple mango")
    b = StoryInput(2, "", "mango apple zebra")
    why = explain_story([a, b], max_body_tokens=TOKENS)
    assert [t.term for t in why.terms] == ["apple", "mango", "zebra"]
    assert len({t.weight for t in why.terms}) == 1
    assert [m.similarity for m in why.members] == [1.0, 1.0]


def test_idf_weighs_rare_terms_above_common_ones() -> None:
    a = StoryInput(1, "", "senate vote budget")
    b = StoryInput(2, "", "senate vote budget")

    def idf(term: str, entity: bool) -> float:
        return 5.0 if term == "budget" else 1.0

    flat = explain_story([a, b], max_body_tokens=TOKENS)
    weighed = explain_story([a, b], max_body_tokens=TOKENS, idf=idf)
    assert flat.terms[0].term == "budget"  # the tie, broken by the term
    assert weighed.terms[0].term == "budget" and weighed.terms[0].weight > flat.terms[0].weight
    assert weighed.terms[1].weight < flat.terms[1].weight


def test_one_article_and_empty_articles() -> None:
    one = explain_story([StoryInput(7, "Alone", "Just one.")], max_body_tokens=TOKENS)
    assert one.n_articles == 1 and not one.entities and not one.terms
    assert [(m.id, m.similarity) for m in one.members] == [(7, None)]
    empty = explain_story(
        [StoryInput(1, "", ""), StoryInput(2, "Rates rise", "Rates rise again.")],
        max_body_tokens=TOKENS,
    )
    assert [m.similarity for m in empty.members] == [0.0, 0.0]


def _fill(store: Store) -> None:
    for item, _ in stream():
        url = f"https://{item.source}.example/{item.id}"
        art = Article(
            url=url,
            canonical_url=url,
            title=item.title,
            text=item.text,
            published=item.published,
            site=str(item.source),
        )
        store.articles.save_article(art)


def _whys(store: Store) -> dict[int, dict]:
    out = {}
    for row in store.stories.list(limit=100):
        why = store.stories.why(int(row["id"]))
        assert why is not None
        out[int(row["id"])] = why
    return out


def test_the_step_stores_why_and_a_rerun_gives_the_same(tmp_path: Path) -> None:
    runs = []
    for n in range(2):
        with Store(tmp_path / f"{n}.db") as store:
            _fill(store)
            ctx = RunContext(store=store, config=Config())
            step.stories_step(ctx)
            assert ctx.report.counts["stories_explained"] == 3
            assert store.stories.unexplained(step.WHY_STAGE, step.WHY_VERSION) == []
            runs.append(_whys(store))
    assert runs[0] == runs[1] and len(runs[0]) == 3
    for why in runs[0].values():
        assert why["n_articles"] == 3 and len(why["members"]) == 3
        assert all(m["similarity"] > 0.5 for m in why["members"])
    quake = next(
        w for w in runs[0].values() if any(e["term"] == "gaziantep" for e in w["entities"])
    )
    assert quake["terms"] and quake["entities"][0]["members"] == 3


def test_a_changed_article_is_explained_again_and_a_resume_finishes(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        _fill(store)
        step.stories_step(RunContext(store=store, config=Config()))
        before = _whys(store)
        # A killed run: nothing explained; the next run (nothing left to cluster) explains.
        store.execute("DELETE FROM stage_done WHERE stage = ?", (step.WHY_STAGE,))
        store.execute("DELETE FROM story_why")
        store.conn.commit()
        resumed = RunContext(store=store, config=Config())
        step.stories_step(resumed)
        assert resumed.report.counts["stories_explained"] == 3
        assert "stories_new" not in resumed.report.counts
        assert _whys(store) == before
        # An updated article text: its story (only) is explained again.
        item = next(i for i, e in stream() if e == "final")
        url = f"https://{item.source}.example/{item.id}"
        changed = Article(
            url=url,
            canonical_url=url,
            title=item.title,
            text=item.text + " Courtois lifted the trophy in Paris.",
            published=item.published,
            site=str(item.source),
        )
        store.articles.save_article(changed)
        again = RunContext(store=store, config=Config())
        step.stories_step(again)
        assert again.report.counts["stories_explained"] == 1
        after = _whys(store)
        differs = [sid for sid in after if after[sid] != before[sid]]
        assert len(differs) == 1
        assert any(e["term"] == "real madrid" for e in after[differs[0]]["entities"])


def test_a_merged_story_loses_its_explanation(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        _fill(store)
        step.stories_step(RunContext(store=store, config=Config()))
        a, b = sorted(_whys(store))[:2]
        store.stories.merge(b, a)
        assert store.stories.why(b) is None and store.stories.why(a) is not None
