"""merge_story_quotes and merge_entities: one quote per story, with its carriers."""

from __future__ import annotations

from manysides.quotes import Entity, Quote, merge_entities, merge_story_quotes


def q(text: str, speaker: str | None = "Jane Doe", direct: bool = True) -> Quote:
    return Quote(text, 0, len(text), speaker, None, None, "said", direct)


def test_same_quote_across_outlets_is_one_with_carriers() -> None:
    items = [
        (
            1,
            "Left Daily",
            "left",
            [q("“We will not back down,”"), q("“Other words entirely here.”")],
        ),
        (2, "Right Post", "right", [q('"We will not back down."')]),
        (3, "Center Wire", "center", [q("“we will NOT back down”")]),
    ]
    merged = merge_story_quotes(items)
    top = merged[0]
    assert [c["article_id"] for c in top.carriers] == [1, 2, 3]
    assert {c["leaning"] for c in top.carriers} == {"left", "right", "center"}
    assert top.wording_differs is False and top.speaker == "Jane Doe"
    assert len(merged) == 2 and merged[1].carriers == [
        {"article_id": 1, "outlet": "Left Daily", "leaning": "left"}
    ]


def test_different_wording_is_flagged_with_variants() -> None:
    a = "We will never accept this deal, not today and not tomorrow."
    b = "We will never accept this deal, not today, not ever."
    merged = merge_story_quotes([(1, "A", "left", [q(a)]), (2, "B", "right", [q(b)])])
    assert len(merged) == 1
    assert merged[0].wording_differs and merged[0].variants == [a, b]


def test_unrelated_quotes_stay_apart_and_article_counted_once() -> None:
    merged = merge_story_quotes(
        [
            (
                1,
                "A",
                "left",
                [q("The economy is strong this year."), q("The economy is strong this year.")],
            ),
            (
                2,
                "B",
                "right",
                [q("Taxes will rise for everyone soon.", speaker=None, direct=False)],
            ),
        ]
    )
    assert [len(m.carriers) for m in merged] == [1, 1]
    assert merged[1].speaker is None and merged[1].direct is False


def test_the_runner_turns_store_rows_into_records() -> None:
    from manysides.perspectives import StoryArticle
    from manysides.pipeline.perspectives import quote_refs, story_items

    def row(article_id: int, text: str, speaker: str | None) -> dict[str, object]:
        return {
            "article_id": article_id,
            "text": text,
            "start": 0,
            "end": len(text),
            "speaker": speaker,
            "speaker_start": None,
            "speaker_end": None,
            "cue": "said" if speaker else None,
            "direct": 1,
            "quote_key": "ignored",
            "source_id": "wire",
            "site": "wire.example",
        }

    arts = {
        5: StoryArticle(id=5, title="T", text="", outlet="Wire", leaning="center"),
        6: StoryArticle(id=6, title="T", text="", outlet="Post", leaning="right"),
    }
    rows = [row(5, "“Yes,” he said", "Al"), row(6, "“YES,” he said!", None), row(7, "“no”", None)]
    items = story_items(rows, arts)
    assert [(a, outlet, leaning) for a, outlet, leaning, _ in items] == [
        (5, "Wire", "center"),
        (6, "Post", "right"),
        (7, "", "unrated"),  # an article the story no longer has
    ]
    assert items[0][3] == [Quote("“Yes,” he said", 0, 14, "Al", None, None, "said", True)]
    refs = quote_refs(rows, arts)
    assert [r.text for r in refs] == ["“YES,” he said!", "“no”"]  # the longer wording
    assert refs[0].speaker == "Al" and not refs[0].wording_differs  # same words
    assert [c["outlet"] for c in refs[0].carriers] == ["Wire", "Post"]
    assert quote_refs([], arts) == []


def test_merge_entities_across_articles() -> None:
    a = [Entity("PERSON", "Putin", "Putin", 0, 5)]
    b = [
        Entity("PERSON", "Vladimir Putin", "Vladimir Putin", 10, 24),
        Entity("GPE", "Russia", "Russia", 30, 36),
    ]
    merged = merge_entities([a, b])
    assert [e.canonical for e in merged] == ["Vladimir Putin", "Vladimir Putin", "Russia"]
    assert merged[0].start == 0 and merged[0].text == "Putin"
