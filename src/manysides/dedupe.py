"""Duplicates and syndication: canonical URLs, exact fingerprints, near-duplicate groups.

* ``canonical_url`` folds the many spellings of one page (tracking parameters, AMP and
  mobile variants, ``www.``, fragments, default ports, trailing slashes) into one.
* ``text_fingerprint`` is a SHA-1 of the normalized text: exact copies share it.
* ``NearDuplicateIndex`` groups near-identical texts (wire copies republished by several
  outlets with small edits and their own headers and footers) with MinHash signatures
  over word shingles and a MinHash LSH index (datasketch). Every candidate the LSH
  returns is verified against the estimated Jaccard similarity (and, for a copy that is
  a cut-down version of a longer one, the estimated containment) before it is accepted,
  so two different stories on the same topic are not merged.

Signatures are plain bytes (``uint32`` shingle count followed by ``num_perm`` ``uint32``
minimum hashes) so that the store can keep them and a later run can rebuild the index.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np

from .config import DedupeConfig
from .nlp.text import words
from .sources import strip_host_prefixes

if TYPE_CHECKING:
    from datasketch import MinHashLSH

__all__ = ["NearDuplicateIndex", "canonical_url", "text_fingerprint", "estimate_jaccard"]

_TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gclsrc",
        "msclkid",
        "yclid",
        "mc_cid",
        "mc_eid",
        "ocid",
        "cmpid",
        "cmp",
        "cid",
        "icid",
        "ncid",
        "ito",
        "itm_source",
        "itm_medium",
        "itm_campaign",
        "itm_content",
        "smid",
        "smtyp",
        "sr_share",
        "share",
        "ref",
        "ref_src",
        "ref_url",
        "referrer",
        "src",
        "soc_src",
        "soc_trk",
        "source",
        "mod",
        "rss",
        "feed",
        "outputtype",
        "amp",
        "amp_js_v",
        "usqp",
        "_ga",
        "_gl",
        "igshid",
        "s_cid",
        "wt.mc_id",
        "cmp_id",
        "spm",
        "mbid",
        "sh",
        "tpcc",
        "ns_source",
        "ns_mchannel",
        "ns_campaign",
        "ns_linkname",
        "ns_fee",
        "__twitter_impression",
        "at_medium",
        "at_campaign",
        "at_custom1",
        "at_custom2",
        "at_custom3",
        "at_custom4",
        "guccounter",
        "guce_referrer",
        "guce_referrer_sig",
        "partner",
        "utm",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "oly_", "vero_", "at_", "ga_")
_AMP_PATH = re.compile(r"(?:/amp(?:/|\.html?)?|\.amp(?:\.html?)?|/amp\.html?)$", re.IGNORECASE)
_AMP_PREFIX = re.compile(r"^/amp(?=/)", re.IGNORECASE)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_MERSENNE = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64((1 << 32) - 1)
_MIX = np.array(
    [
        0x9E3779B1,
        0x85EBCA77,
        0xC2B2AE3D,
        0x27D4EB2F,
        0x165667B1,
        0xD3A2646C,
        0xFD7046C5,
        0xB55A4F09,
        0x7FEB352D,
        0x846CA68B,
    ],
    dtype=np.uint64,
)


def canonical_url(url: str) -> str:
    """One spelling of a URL: lowercase host without ``www.``/``m.``/``amp.``, no tracking
    parameters, AMP variants, fragments, default ports or trailing slash.

    courlan does the RFC-level normalisation (scheme and host case, default ports, path
    escapes and dot segments, sorted query, its own tracker list); the news-specific
    folding (host prefixes, AMP paths, our tracker list, fragments, trailing slash) is ours.

    >>> canonical_url("https://www.Example.com:443/news/story/amp/?utm_source=x&id=3#top")
    'https://example.com/news/story?id=3'
    """
    from courlan import normalize_url

    url = (url or "").strip()
    if not url:
        return ""
    try:
        parts = urlsplit(normalize_url(url if "//" in url else "http://" + url))
        port = parts.port
    except ValueError:
        return url
    scheme = (parts.scheme or "http").lower()
    host = strip_host_prefixes((parts.hostname or "").lower().rstrip("."))
    netloc = host
    if port is not None and _DEFAULT_PORTS.get(scheme) != port:
        netloc = f"{host}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path or "")
    path = _AMP_PATH.sub("", path)
    path = _AMP_PREFIX.sub("", path)
    path = path.rstrip("/")
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)
    ]
    return urlunsplit((scheme, netloc, path, urlencode(sorted(query)), ""))


def _is_tracking(key: str) -> bool:
    k = key.lower()
    return k in _TRACKING_PARAMS or k.startswith(_TRACKING_PREFIXES)


def normalize_text(text: str) -> str:
    """Lowercase word tokens joined by single spaces (NFKC, punctuation dropped)."""
    return " ".join(words(unicodedata.normalize("NFKC", text or "")))


def text_fingerprint(text: str) -> str:
    """SHA-1 (hex) of the normalized text: equal for copies that differ only in layout."""
    return hashlib.sha1(normalize_text(text).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class _Entry:
    group: int
    hashes: np.ndarray
    size: int


def estimate_jaccard(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures made with the same config."""
    ha, hb = _unpack(a)[0], _unpack(b)[0]
    if len(ha) != len(hb) or not len(ha):
        return 0.0
    return float(np.mean(ha == hb))


def _unpack(signature: bytes) -> tuple[np.ndarray, int]:
    arr = np.frombuffer(signature, dtype="<u4")
    return arr[1:], int(arr[0]) if len(arr) else 0


class NearDuplicateIndex:
    """MinHash LSH over word shingles; ``find`` returns the group of the best verified match.

    >>> from manysides.config import DedupeConfig
    >>> idx = NearDuplicateIndex(DedupeConfig())
    >>> sig = idx.signature("the quick brown fox jumps over the lazy dog " * 20)
    >>> idx.add(1, 1, sig); idx.find(sig)
    1
    """

    def __init__(self, config: DedupeConfig) -> None:
        self.config = config
        rng = np.random.RandomState(1)
        self._a = rng.randint(1, 1 << 32, size=config.num_perm, dtype=np.uint64)[:, None]
        self._b = rng.randint(0, 1 << 32, size=config.num_perm, dtype=np.uint64)[:, None]
        self._lsh: MinHashLSH | None = None
        self._permutations: object = None  # datasketch's, generated once, not per lookup
        self._entries: dict[int, _Entry] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def _index(self) -> MinHashLSH:
        if self._lsh is None:
            from datasketch import MinHashLSH

            # Retrieve a little below the acceptance threshold; candidates are verified.
            lsh_threshold = max(0.05, min(0.95, self.config.threshold * 0.85))
            self._lsh = MinHashLSH(threshold=lsh_threshold, num_perm=self.config.num_perm)
        return self._lsh

    def signature(self, text: str) -> bytes:
        """MinHash signature of the text's word shingles (vectorized, about 0.2 ms)."""
        toks = words(unicodedata.normalize("NFKC", text or ""))
        k = self.config.shingle_size
        word_hashes = np.fromiter(
            (zlib.crc32(w.encode("utf-8")) for w in toks), dtype=np.uint64, count=len(toks)
        )
        n = max(0, len(toks) - k + 1) if len(toks) >= k else (1 if toks else 0)
        sig = np.full(self.config.num_perm, int(_MAX_HASH), dtype=np.uint32)
        if n:
            if len(toks) < k:
                shingles = word_hashes[:1].copy()
                for j in range(1, len(toks)):
                    shingles ^= word_hashes[j : j + 1] * _MIX[j % len(_MIX)]
            else:
                shingles = word_hashes[:n] * _MIX[0]
                for j in range(1, k):
                    shingles ^= word_hashes[j : j + n] * _MIX[j % len(_MIX)]
            shingles = np.unique((shingles ^ (shingles >> np.uint64(29))) & _MAX_HASH)
            permuted = (self._a * shingles[None, :] + self._b) % _MERSENNE & _MAX_HASH
            sig = permuted.min(axis=1).astype(np.uint32)
            size = len(shingles)
        else:
            size = 0
        return np.concatenate([np.array([size], dtype="<u4"), sig.astype("<u4")]).tobytes()

    def _minhash(self, hashes: np.ndarray):  # type: ignore[no-untyped-def]
        from datasketch import MinHash

        if self._permutations is None:
            self._permutations = MinHash(num_perm=self.config.num_perm).permutations
        return MinHash(
            num_perm=self.config.num_perm,
            hashvalues=hashes.astype(np.uint64),
            permutations=self._permutations,
            scheme="affine32",
        )

    def add(self, key: int, group: int, signature: bytes) -> None:
        """Index one text under ``key`` as a member of ``group`` (ignored if already there)."""
        hashes, size = _unpack(signature)
        if key in self._entries or len(hashes) != self.config.num_perm or size == 0:
            return
        self._entries[key] = _Entry(group, hashes.copy(), size)
        self._index().insert(key, self._minhash(hashes), check_duplication=False)

    def find(self, signature: bytes) -> int | None:
        """Group of the most similar indexed text, if it is a near duplicate; else None."""
        hashes, size = _unpack(signature)
        if not self._entries or len(hashes) != self.config.num_perm or size == 0:
            return None
        best: tuple[float, int] | None = None
        for key in self._index().query(self._minhash(hashes)):
            entry = self._entries[key]
            score = self._score(hashes, size, entry)
            if score is not None and (best is None or score > best[0]):
                best = (score, entry.group)
        return best[1] if best else None

    def band_keys(self, signature: bytes) -> list[int]:
        """The signature's LSH band hashes (signed 64-bit), one per band ``find`` looks in.

        Two signatures are LSH candidates exactly when they share a key, so an archive-wide
        dedupe can join on these keys (a group-by) instead of holding one index in memory.
        """
        hashes, size = _unpack(signature)
        if len(hashes) != self.config.num_perm or size == 0:
            return []
        keys = []
        for band, (start, end) in enumerate(self._index().hashranges):
            digest = hashlib.blake2b(
                band.to_bytes(2, "little") + hashes[start:end].tobytes(), digest_size=8
            ).digest()
            keys.append(int.from_bytes(digest, "little", signed=True))
        return keys

    def similarity(self, signature: bytes, other: bytes) -> float | None:
        """Estimated Jaccard of two signatures if ``find`` would accept them as near
        duplicates, else None (the verification every LSH candidate goes through)."""
        hashes, size = _unpack(signature)
        theirs, their_size = _unpack(other)
        if len(hashes) != self.config.num_perm or len(theirs) != len(hashes) or not their_size:
            return None
        return self._score(hashes, size, _Entry(0, theirs, their_size))

    def _score(self, hashes: np.ndarray, size: int, entry: _Entry) -> float | None:
        """Estimated Jaccard if the pair is accepted as near duplicates, else None."""
        jaccard = float(np.mean(hashes == entry.hashes))
        if jaccard >= self.config.threshold:
            return jaccard
        return None
