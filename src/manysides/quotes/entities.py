"""Named entities from spaCy NER, with name variants merged within an article or story."""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ..nlp.text import wordset
from .records import ENTITY_LABELS, Entity

if TYPE_CHECKING:
    from spacy.tokens import Doc

_TRIM = re.compile(r"^(?:the\s+)|(?:'s|’s)$", re.IGNORECASE)


def clean_name(text: str) -> str:
    """Mention text without a leading "the", a trailing possessive or stray whitespace."""
    return " ".join(_TRIM.sub("", text.strip()).split())


def _tokens(name: str) -> list[str]:
    return name.lower().replace(".", "").split()


def is_variant(short: str, full: str) -> bool:
    """Whether ``short`` names the same thing as ``full`` ("Putin" of "Vladimir Putin")."""
    s, f = _tokens(short), _tokens(full)
    if not s or len(s) >= len(f):
        return s == f
    return f[-len(s) :] == s or f[: len(s)] == s


def same_person(a: str, b: str) -> bool:
    """Whether two full names can name one person: one is a variant of the other, or
    they share first and last word ("Donald Trump", "Donald J. Trump")."""
    ta, tb = _tokens(a), _tokens(b)
    if is_variant(a, b) or is_variant(b, a):
        return True
    return len(ta) > 1 and len(tb) > 1 and ta[0] == tb[0] and ta[-1] == tb[-1]


def _fuller(label: str, name: str, order: Sequence[tuple[str, str]]) -> list[str]:
    """The longer names with ``label`` of which ``name`` is a leading or trailing run."""
    return [
        other for lab, other in order if lab == label and other != name and is_variant(name, other)
    ]


def _ambiguous(candidates: Sequence[str]) -> bool:
    """Whether the fuller names a short one could stand for are different people
    ("George Floyd" and "Philonise Floyd" for "Floyd")."""
    return any(not same_person(a, b) for a, b in itertools.combinations(candidates, 2))


def canonical_names(names: Sequence[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Map each (label, name) to the fullest variant with the same label.

    The fullest variant is the longest name that contains the short one as a leading or
    trailing run of words; ties go to the most frequent (then first seen) variant. A
    short name that fits several different people ("Floyd" with both "George Floyd" and
    "Philonise Floyd") maps to itself: which one it means depends on where it stands
    (``doc_entities`` resolves it to the nearest earlier full mention).
    """
    counts: dict[tuple[str, str], int] = {}
    for key in names:
        counts[key] = counts.get(key, 0) + 1
    order = list(counts)
    out: dict[tuple[str, str], str] = {}
    for label, name in order:
        candidates = _fuller(label, name, order)
        best = name
        if not _ambiguous(candidates):
            best_key = (len(_tokens(name)), counts[(label, name)])
            for other in candidates:
                key = (len(_tokens(other)), counts[(label, other)])
                if key > best_key:
                    best, best_key = other, key
        out[(label, name)] = best
    return out


_TITLE_WORDS = wordset(
    """mr mrs ms miss dr sen senator rep representative gov governor president vice mayor
    secretary minister prime chancellor judge justice gen general col lt sgt capt adm
    former late rev sir dame lord lady prof professor chairman chief ceo state attorney
    speaker leader candidate nominee democratic republican u.s us the"""
)


def _full_name(text: str, surname: str) -> str | None:
    """ "Ana Ruiz" for "Ruiz" when the text spells the name out where NER missed it."""
    pattern = rf"((?:[A-Z][\w’'.-]*\s+){{1,3}}){re.escape(surname)}\b"
    for m in re.finditer(pattern, text):
        words = m.group(1).split()
        while words and words[0].lower().strip(".") in _TITLE_WORDS:
            words = words[1:]
        if words and all(w[0].isupper() for w in words):
            return " ".join([*words, surname])
    return None


def _people_tagged_org(
    raw: list[tuple[str, str, int, int, str]],
) -> list[tuple[str, str, int, int, str]]:
    """A name tagged ORG that is a person's name of the article, or its trailing words
    (NER often tags a bare surname "Berkman" as an organisation), is that person's."""
    people = {tuple(_tokens(name)) for label, name, *_ in raw if label == "PERSON"}
    tails = {p[-k:] for p in people for k in range(1, len(p) + 1)}
    return [
        ("PERSON", *rest) if label == "ORG" and tuple(_tokens(rest[0])) in tails else (label, *rest)
        for label, *rest in raw
    ]


def _surnames_ner_missed(
    text: str, offset: int, raw: list[tuple[str, str, int, int, str]]
) -> list[tuple[str, str, int, int, str]]:
    """Add the later bare-surname mentions of a named person that NER left untagged
    ("Maria Lopez ... Lopez issued a statement")."""
    surnames = {
        name.split()[-1]
        for label, name, *_ in raw
        if label == "PERSON" and " " in name and len(name.split()[-1]) >= 3
    }
    surnames = {w for w in surnames if w[0].isupper() and w[1:].islower()}
    if not surnames:
        return raw
    taken = sorted((start - offset, end - offset) for _l, _n, start, end, _t in raw)
    first_full = min(
        (start - offset for label, name, start, *_ in raw if label == "PERSON" and " " in name),
        default=len(text),
    )
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(surnames))) + r")\b")
    added = []
    for m in pattern.finditer(text, first_full):
        i = bisect.bisect_right(taken, (m.start(), 1 << 62)) - 1
        if i >= 0 and taken[i][0] <= m.start() < taken[i][1]:
            continue
        if i + 1 < len(taken) and taken[i + 1][0] < m.end():
            continue
        added.append(("PERSON", m.group(), m.start() + offset, m.end() + offset, m.group()))
    return sorted([*raw, *added], key=lambda r: r[2]) if added else raw


_RELATIVES = (
    "brother|sister|son|daughter|wife|husband|mother|father|uncle|aunt|cousin|nephew|niece|"
    "widow|widower|grandson|granddaughter|grandmother|grandfather|stepfather|stepmother|"
    "stepson|stepdaughter|brother-in-law|sister-in-law"
)
_RELATIVE_AFTER = re.compile(
    rf"^(?:'s|’s)?\s+(?:(?:older|younger|elder|big|little|late|twin|eldest|youngest)\s+)?"
    rf"(?:{_RELATIVES}),?\s+$"
)


def _relatives(
    text: str, offset: int, raw: list[tuple[str, str, int, int, str]]
) -> list[tuple[str, str, int, int, str]]:
    """Family members share a surname without being one person: a first name introduced
    as a named person's relative ("George Floyd's brother Philonise") is that relative's
    full name ("Philonise Floyd"), which makes the bare surname ambiguous."""
    full = [
        (name, start, end)
        for label, name, start, end, _t in raw
        if label == "PERSON" and len(name.split()) > 1
    ]
    out = list(raw)
    for i, (label, name, start, end, t) in enumerate(raw):
        if label != "PERSON" or " " in name:
            continue
        rel_start = start - offset
        # "George Floyd's brother Philonise": a first name right after a relative of a person
        for other, _s, o_end in full:
            between = text[o_end - offset : rel_start]
            if o_end <= start and len(between) < 40 and _RELATIVE_AFTER.match(between):
                out[i] = ("PERSON", f"{name} {other.split()[-1]}", start, end, t)
                break
    return out


def _dominant(
    key: tuple[str, str],
    order: Sequence[tuple[str, str]],
    canon: dict[tuple[str, str], str],
    counts: dict[tuple[str, str], int],
) -> str | None:
    """The one person a shared surname stands for when the article names them at least
    three times as often as all the others together ("Clinton" in a piece about Hillary
    Clinton that names Bill Clinton once), else None."""
    label, name = key
    people = {canon[(label, o)] for o in _fuller(label, name, order)}
    tally = sorted(((counts.get((label, p), 0), p) for p in people), reverse=True)
    if not tally:
        return None
    top, rest = tally[0][0], sum(n for n, _p in tally[1:])
    return tally[0][1] if top >= 3 * max(rest, 1) and top >= 3 else None


def _paragraph_of(text: str, pos: int) -> int:
    """How many non-empty paragraphs begin before ``pos`` (a paragraph index)."""
    return len([p for p in text[:pos].split("\n") if p.strip()])


def doc_entities(doc: Doc, offset: int = 0) -> list[Entity]:
    """Entities of a NER-annotated doc, canonicalised within it.

    A short name that fits several people of the article ("Floyd" with George and
    Philonise Floyd) takes the one whose full name was mentioned last before it in the same
    or the previous paragraph, else stays as written: which Floyd it is is not guessed."""
    raw = [
        (e.label_, clean_name(e.text), e.start_char + offset, e.end_char + offset, e.text)
        for e in doc.ents
        if e.label_ in ENTITY_LABELS and clean_name(e.text)
    ]
    raw = _surnames_ner_missed(doc.text, offset, _people_tagged_org(raw))
    raw = _relatives(doc.text, offset, raw)
    keys = [(label, name) for label, name, *_ in raw]
    canon = canonical_names(keys)
    order = list(dict.fromkeys(keys))
    ambiguous = {
        key for key in order if canon[key] == key[1] and _ambiguous(_fuller(key[0], key[1], order))
    }
    for key, name in list(canon.items()):
        if key[0] == "PERSON" and " " not in name and key not in ambiguous:
            full = _full_name(doc.text, name)
            if full is not None:
                canon[key] = full
    out: list[Entity] = []
    full_counts: dict[tuple[str, str], int] = {}
    for key in keys:
        full_counts[(key[0], canon[key])] = full_counts.get((key[0], canon[key]), 0) + 1
    dominant = {key: _dominant(key, order, canon, full_counts) for key in ambiguous}
    # (label, short name) -> last fitting full name and its paragraph
    last_full: dict[tuple[str, str], tuple[str, int]] = {}
    for label, name, start, end, text in raw:
        key = (label, name)
        canonical = canon[key]
        if key in ambiguous:
            near = last_full.get(key)
            if near is not None and _paragraph_of(doc.text, start - offset) - near[1] <= 1:
                canonical = near[0]
            else:
                canonical = dominant[key] or name
        else:
            for short in ambiguous:
                if short[0] == label and is_variant(short[1], name) and short[1] != name:
                    last_full[short] = (canonical, _paragraph_of(doc.text, start - offset))
        out.append(Entity(label=label, text=text, canonical=canonical, start=start, end=end))
    return out


def merge_entities(groups: Iterable[Sequence[Entity]]) -> list[Entity]:
    """Entities of several articles (a story) re-canonicalised across all of them."""
    entities = [e for group in groups for e in group]
    canon = canonical_names([(e.label, e.canonical) for e in entities])
    return [
        Entity(e.label, e.text, canon[(e.label, e.canonical)], e.start, e.end) for e in entities
    ]
