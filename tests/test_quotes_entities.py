"""Name variants are merged within an article only where the short name fits one person."""

from __future__ import annotations

import spacy

from manysides.quotes import Entity, merge_entities
from manysides.quotes.entities import canonical_names, doc_entities, same_person


def _doc(text: str, names: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    """A blank-English doc with the given (label, text) entities at every occurrence."""
    doc = spacy.blank("en")(text)
    spans = []
    for label, name in names:
        at = text.find(name)
        while at >= 0:
            span = doc.char_span(at, at + len(name), label=label)
            assert span is not None
            if not any(s.start < span.end and span.start < s.end for s in spans):
                spans.append(span)
            at = text.find(name, at + len(name))
    doc.ents = sorted(spans, key=lambda s: s.start)
    return doc


def test_surname_of_one_person_maps_to_the_full_name() -> None:
    canon = canonical_names([("PERSON", "Jane Ruiz"), ("PERSON", "Ruiz"), ("PERSON", "Jane")])
    assert canon[("PERSON", "Ruiz")] == "Jane Ruiz"
    assert canon[("PERSON", "Jane")] == "Jane Ruiz"


def test_surname_shared_by_two_people_is_not_merged_into_either() -> None:
    names = [("PERSON", "Tom Hale"), ("PERSON", "Ann Hale"), ("PERSON", "Hale")]
    assert canonical_names(names)[("PERSON", "Hale")] == "Hale"
    # a middle initial is the same person, not a second one
    names = [("PERSON", "Tom Hale"), ("PERSON", "Tom R. Hale"), ("PERSON", "Hale")]
    assert canonical_names(names)[("PERSON", "Hale")] == "Tom R. Hale"
    assert same_person("Tom Hale", "Tom R. Hale") and not same_person("Tom Hale", "Ann Hale")


def test_shared_surname_takes_the_last_full_name_before_it() -> None:
    text = (
        "Tom Hale died in May. His sister Ann Hale spoke on Friday. "
        "Hale said the family wanted answers. Later, Tom Hale was remembered. Hale was 46."
    )
    doc = _doc(text, [("PERSON", "Tom Hale"), ("PERSON", "Ann Hale"), ("PERSON", "Hale")])
    got = [(e.text, e.canonical) for e in doc_entities(doc)]
    assert got == [
        ("Tom Hale", "Tom Hale"),
        ("Ann Hale", "Ann Hale"),
        ("Hale", "Ann Hale"),
        ("Tom Hale", "Tom Hale"),
        ("Hale", "Tom Hale"),
    ]


def test_shared_surname_before_any_full_name_stays_as_written() -> None:
    text = "Hale spoke first. Then Tom Hale and Ann Hale arrived."
    doc = _doc(text, [("PERSON", "Tom Hale"), ("PERSON", "Ann Hale"), ("PERSON", "Hale")])
    assert [e.canonical for e in doc_entities(doc)] == ["Hale", "Tom Hale", "Ann Hale"]


def test_story_merge_keeps_a_shared_surname_apart() -> None:
    a = [Entity("PERSON", "Hale", "Hale", 0, 4)]
    b = [
        Entity("PERSON", "Tom Hale", "Tom Hale", 0, 8),
        Entity("PERSON", "Ann Hale", "Ann Hale", 20, 28),
    ]
    assert [e.canonical for e in merge_entities([a, b])] == ["Hale", "Tom Hale", "Ann Hale"]
    # with only one Hale in the story, the surname is theirs
    assert merge_entities([a, b[:1]])[0].canonical == "Tom Hale"


def test_surname_tagged_as_an_organisation_is_the_person() -> None:
    text = "Michael Berkman runs the institute. Berkman said turnout would fall."
    doc = _doc(text, [("PERSON", "Michael Berkman"), ("ORG", "Berkman")])
    got = [(e.label, e.canonical) for e in doc_entities(doc)]
    assert got == [("PERSON", "Michael Berkman"), ("PERSON", "Michael Berkman")]
    # an organisation that is nobody's name stays one
    doc = _doc("Ann Cole joined Acme. Acme said no.", [("PERSON", "Ann Cole"), ("ORG", "Acme")])
    assert [e.label for e in doc_entities(doc)] == ["PERSON", "ORG", "ORG"]


def test_later_bare_surname_that_ner_missed_is_the_person() -> None:
    text = "Maria Lopez studies turnout. On Saturday, Lopez issued a statement."
    doc = _doc(text, [("PERSON", "Maria Lopez")])
    got = [(e.text, e.canonical, e.start) for e in doc_entities(doc)]
    assert got == [("Maria Lopez", "Maria Lopez", 0), ("Lopez", "Maria Lopez", 42)]
