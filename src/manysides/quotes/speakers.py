"""Resolve a source mention to the fullest name the article gives for it."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..nlp.text import wordset
from .cues import PERSON_PRONOUNS
from .records import Entity

_FEMALE = frozenset({"she", "her"})
_NEXT_PRONOUN = re.compile(r"\b(she|her|he|his|him)\b", re.I)
_MALE = frozenset({"he", "his", "him"})
_FEMALE_TITLES = re.compile(r"\b(?:Mrs|Ms|Miss|Madam|Mrs\.|Ms\.)\s*$")
_MALE_TITLES = re.compile(r"\b(?:Mr|Mr\.|Sir)\s*$")
_TITLES = wordset(
    """president senator governor secretary candidate nominee minister chairman chairwoman
    chair speaker mayor leader director spokesman spokeswoman spokesperson congressman
    congresswoman representative judge justice attorney general chancellor premier king
    queen prince ambassador commissioner ceo founder executive manager coach sheriff chief
    official billionaire businessman mogul pope"""
)
_PREPOSITION = re.compile(r"\b(?:in|of|for|at|from|with|to|on|by|near)\s")
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "his", "her", "their", "its", "our"})


@dataclass(frozen=True, slots=True)
class Mention:
    """A source mention located in the text and the speaker name it resolves to."""

    start: int
    end: int
    speaker: str


class SpeakerResolver:
    """Per-article resolver over its entities: names, pronouns and titled descriptions."""

    def __init__(self, text: str, entities: Sequence[Entity]) -> None:
        self.text = text
        self.people = sorted((e for e in entities if e.label == "PERSON"), key=lambda e: e.start)
        self.others = [e for e in entities if e.label != "PERSON"]
        self._starts = [e.start for e in self.people]
        self.gender: dict[str, str] = {}
        votes: dict[str, list[int]] = {}
        for e in self.people:
            before = text[max(0, e.start - 6) : e.start]
            if _FEMALE_TITLES.search(before):
                self.gender.setdefault(e.canonical, "f")
            elif _MALE_TITLES.search(before):
                self.gender.setdefault(e.canonical, "m")
            # the first pronoun after a mention, before any other name, usually refers to it
            nxt = _NEXT_PRONOUN.search(text, e.end, min(len(text), e.end + 160))
            if nxt and not self._person_between(e.end, nxt.start()):
                tally = votes.setdefault(e.canonical, [0, 0])
                tally[0 if nxt.group(1).lower() in _FEMALE else 1] += 1
        for name, (female, male) in votes.items():
            if name not in self.gender and female != male:
                self.gender[name] = "f" if female > male else "m"

    def _person_between(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self._starts, start)
        return i < len(self.people) and self.people[i].start < end

    def note_pronoun(self, canonical: str, pronoun: str) -> None:
        """Learn a speaker's gender from a pronoun that was attributed to them."""
        p = pronoun.lower()
        if p in _FEMALE:
            self.gender.setdefault(canonical, "f")
        elif p in _MALE:
            self.gender.setdefault(canonical, "m")

    def entity_in(self, start: int, end: int) -> Entity | None:
        """The first entity (people first) inside [start, end) that heads the phrase, not
        one inside its modifiers ("Worcester" in "a woman in Worcester")."""
        i = bisect.bisect_left(self._starts, start)
        if (
            i < len(self.people)
            and self.people[i].start < end
            and not _PREPOSITION.search(self.text, start, self.people[i].start)
        ):
            return self.people[i]
        for e in self.others:
            if start <= e.start < end and not _PREPOSITION.search(self.text, start, e.start):
                return e
        return None

    def first_person(self, start: int, end: int) -> Entity | None:
        """The first PERSON mention inside [start, end)."""
        i = bisect.bisect_left(self._starts, start)
        if i < len(self.people) and self.people[i].start < end:
            return self.people[i]
        return None

    def last_person(self, start: int, end: int) -> Entity | None:
        """The last PERSON mention inside [start, end)."""
        i = bisect.bisect_left(self._starts, end) - 1
        if i >= 0 and self.people[i].start >= start:
            return self.people[i]
        return None

    def recent_person(self, before: int, pronoun: str) -> Entity | None:
        """The most recent PERSON before ``before`` compatible with ``pronoun``."""
        want = "f" if pronoun in _FEMALE else "m" if pronoun in _MALE else None
        i = bisect.bisect_left(self._starts, before) - 1
        fallback: Entity | None = None
        while i >= 0 and before - self.people[i].start < 3000:
            e = self.people[i]
            g = self.gender.get(e.canonical)
            if want is None or g == want:
                return e
            if g is None and fallback is None:
                fallback = e
            i -= 1
        return fallback

    def by_title(self, phrase: str, before: int) -> Entity | None:
        """ "the president" -> the most recent person introduced as "President X"."""
        words = [w for w in phrase.lower().split() if w not in _DETERMINERS]
        if not words or len(words) > 4:
            return None
        head = words[-1].strip(".,")
        if head not in _TITLES:
            return None
        i = bisect.bisect_left(self._starts, before) - 1
        while i >= 0:
            e = self.people[i]
            context = self.text[max(0, e.start - 40) : e.start].lower()
            if re.search(rf"\b{re.escape(head)}\b[^.]*$", context):
                return e
            i -= 1
        return None

    def resolve(self, start: int, end: int) -> Mention:
        """Resolve the source phrase at [start, end) to a speaker name."""
        phrase = self.text[start:end]
        entity = self.entity_in(start, end)
        if entity is not None:
            return Mention(start, end, entity.canonical)
        low = phrase.strip().lower()
        if low in PERSON_PRONOUNS:
            if low in ("he", "she"):
                person = self.recent_person(start, low)
                if person is not None:
                    return Mention(start, end, person.canonical)
            return Mention(start, end, phrase)
        person = self.by_title(phrase, start)
        if person is not None:
            return Mention(start, end, person.canonical)
        return Mention(start, end, phrase)
