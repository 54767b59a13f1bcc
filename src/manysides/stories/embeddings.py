"""Sentence embeddings for the story clusterer: WordLlama ``l2_supercat`` (static, in a wheel).

``wordllama`` 0.4 (the ``embeddings`` extra, which ``make test`` and ``make brief``
install) ships the model's token embeddings (256 dimensions, 16 MB) and its tokenizer
inside the wheel, so nothing is downloaded. An article's vector is the mean of its
tokens' embeddings, L2-normalised: about 45,000 short texts a second on one core, which
keeps embeddings affordable for every article (``docs/benchmarks.md``, Stories).

``WordLlama.load`` looks for the tokenizer under ``tokenizer/`` while the wheel has it
under ``tokenizers/``, and would fall back to a hub download. ``load_embedder`` therefore
copies the wheel's tokenizer file once into manysides' cache folder (``$MANYSIDES_HOME/cache``
or the platform's user cache) and loads with ``disable_download=True``: the package's own
loading code, without the network.

Without ``wordllama`` installed ``load_embedder`` returns None and the clusterer scores
with its sparse features alone (the scorer has weights for both cases).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

MODEL = "l2_supercat"
DIM = 256
EMBEDDINGS_MISSING = (
    "embeddings requested but wordllama is not installed (pip install 'manysides[embeddings]');"
    " clustering with sparse features only"
)


class Embedder(Protocol):
    """Anything that turns texts into unit-length vectors."""

    def embed(self, text: str) -> Sequence[float]: ...


class WordLlamaEmbedder:
    """WordLlama static embeddings (mean of token vectors, normalised).

    The vectors are WordLlama's own (``model.embed(texts, norm=True)`` up to float32
    rounding), computed more cheaply: the texts are tokenized without padding (a copy
    of the model's tokenizer, so the model is not changed) and each text's mean is one
    sparse row of token counts times the embedding table, instead of gathering a padded
    (texts x longest text x 256) block per batch of 64.
    """

    def __init__(self, model: Any) -> None:
        from tokenizers import Tokenizer

        self.model = model
        self.tokenizer = Tokenizer.from_str(model.tokenizer.to_str())
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()

    def embed(self, text: str) -> Sequence[float]:
        return [float(x) for x in self.embed_many([text])[0]]

    def embed_many(self, texts: Sequence[str]) -> Any:
        """Vectors of many texts at once (a float64 array, one row per text)."""
        import numpy as np
        from scipy.sparse import csr_matrix

        table = self.model.embedding
        encoded = self.tokenizer.encode_batch_fast(list(texts), add_special_tokens=False)
        lengths = np.fromiter((len(e.ids) for e in encoded), dtype=np.int64, count=len(encoded))
        total = int(lengths.sum())
        ids = np.fromiter((i for e in encoded for i in e.ids), dtype=np.int64, count=total)
        np.clip(ids, 0, table.shape[0] - 1, out=ids)
        indptr = np.concatenate(([0], np.cumsum(lengths)))
        counts = csr_matrix(
            (np.ones(total, dtype=np.float32), ids, indptr), shape=(len(encoded), table.shape[0])
        )
        out = np.asarray(counts @ table, dtype=np.float64)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0  # an empty text: a zero vector (no cosine with anything)
        return out / norms


def cache_dir() -> Path:
    """Where the tokenizer copy lives: ``$MANYSIDES_HOME/cache`` or the user cache."""
    home = os.environ.get("MANYSIDES_HOME")
    if home:
        return Path(home) / "cache" / "wordllama"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("manysides", appauthor=False)) / "wordllama"


def load_embedder(cache: Path | None = None) -> WordLlamaEmbedder | None:
    """The WordLlama embedder, or None when ``wordllama`` is not installed.

    The model is loaded once per process and cache folder (a backfill's window tasks and
    every clusterer of a run share it; it is read-only).
    """
    return _embedder(str(cache or cache_dir()))


@functools.cache
def _embedder(cache: str) -> WordLlamaEmbedder | None:
    model = _model(cache)
    return WordLlamaEmbedder(model) if model is not None else None


def _model(cache: str) -> Any:
    import logging

    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    try:
        import wordllama
        from wordllama import WordLlama
    except ImportError:
        return None
    finally:  # wordllama calls logging.basicConfig(level=INFO) on import: undo it
        root.setLevel(level)
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
    from ..files import write_atomic

    name = getattr(WordLlama._wordllama, MODEL).tokenizer_config
    shipped = Path(wordllama.__file__).parent / "tokenizers" / name
    copy = Path(cache) / "tokenizers" / name
    if not copy.exists() or copy.stat().st_size != shipped.stat().st_size:
        write_atomic(copy, shipped.read_text(encoding="utf-8"))
    return WordLlama.load(MODEL, cache_dir=Path(cache), dim=DIM, disable_download=True)


LEAD_CHARS = 400  # of the body, embedded with the title


def embedding_text(title: str, text: str, max_chars: int = LEAD_CHARS) -> str:
    """What gets embedded: the title and the lead of the body (what names the event)."""
    lead = text[:max_chars]
    return f"{title}. {lead}" if title else lead
