"""The bias lexicon (Recasens et al. 2013) and the loaded-language score.

The research lexicon is not shipped: its release carries no licence statement, so we
only read it from ``perspectives.lexicon_path`` or, when that is empty, from the
evaluation data folder (``$MANYSIDES_SHARED_DATA`` or ``../shared/data`` next to the
repository or the working directory) at ``neus/lexicons/bias-lexicon/bias-lexicon.txt``.

``OWN_LOADED_WORDS`` is a short list of pejorative/sensational news words written for
this project (ours to ship). ``load_lexicon`` adds it to the research lexicon; without
the research lexicon the scores use our list alone and the perspective carries a note.
Pass ``own=False`` for the research lexicon alone (the benchmark's bias rate).
"""

from __future__ import annotations

import os
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..nlp.text import stem, tokens, wordset

LEXICON_RELPATH = Path("neus") / "lexicons" / "bias-lexicon" / "bias-lexicon.txt"

OWN_LOADED_WORDS: frozenset[str] = wordset(
    """boondoggle ram slam lambast rip scorch shred eviscerate trash smear meltdown tantrum
    rant whine scheme radical extremist disgraceful shameful outrageous ridiculous absurd
    insane crazy disastrous horrific shocking stunning bombshell brutal vicious hysterical
    unhinged lunatic thug cronies cabal propaganda sham hoax grift grifter crooked puppet
    woke snowflake fearmonger fearmongering debacle fiasco"""
)


@dataclass(frozen=True)
class Lexicon:
    words: frozenset[str]
    path: str | None = None
    note: str | None = None  # why the lexicon is empty, if it is

    def __bool__(self) -> bool:
        return bool(self.words)

    def __contains__(self, word: object) -> bool:
        return word in self.words


def _candidates() -> list[Path]:
    roots: list[Path] = []
    if os.environ.get("MANYSIDES_SHARED_DATA"):
        roots.append(Path(os.environ["MANYSIDES_SHARED_DATA"]))
    repo = Path(__file__).resolve().parents[3]
    roots += [repo.parent / "shared" / "data", Path.cwd().parent / "shared" / "data"]
    return [r / LEXICON_RELPATH for r in roots]


def load_lexicon(path: str = "", *, own: bool = True) -> Lexicon:
    """The configured research lexicon (one lemma per line) plus, unless ``own`` is
    false, our own list; when the file is missing the note says so."""
    research = _find(path)
    if not own:
        return research
    return Lexicon(research.words | OWN_LOADED_WORDS, research.path, research.note)


def _find(path: str) -> Lexicon:
    if path:
        return _read(str(Path(path).expanduser()))
    for candidate in _candidates():
        if candidate.is_file():
            return _read(str(candidate))
    return Lexicon(
        frozenset(),
        None,
        "bias lexicon not found (set perspectives.lexicon_path); loaded-language scores"
        " use only manysides' short built-in list",
    )


@lru_cache(maxsize=8)
def _read(path: str) -> Lexicon:
    try:
        lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        return Lexicon(
            frozenset(),
            None,
            f"bias lexicon unreadable ({path}: {exc.strerror}); using the built-in list only",
        )
    entries = frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))
    if not entries:
        return Lexicon(frozenset(), None, f"bias lexicon {path} is empty; using the built-in list")
    return Lexicon(entries, path)


def is_loaded(word: str, lexicon: Collection[str]) -> bool:
    """Whether ``word`` is an inflected form of a lexicon entry (the lexicon lists lemmas)."""
    w = word.lower()
    return w in lexicon or stem(w) in lexicon


def loaded_language(text: str, lexicon: Collection[str] | None) -> float:
    """Bias-lexicon words per 100 tokens of ``text`` (0.0 without a lexicon or text)."""
    if not lexicon:
        return 0.0
    toks = tokens(text)
    if not toks:
        return 0.0
    hits = sum(1 for t in toks if is_loaded(t, lexicon))
    return round(100.0 * hits / len(toks), 2)
