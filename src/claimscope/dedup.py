"""Near-duplicate documents: the same story republished elsewhere (syndication, reposts with other
boilerplate, a new headline or small edits) is found with MinHash LSH (datasketch) and marked
`duplicate_of` its original, so counts can take a story once.

Decisions (docs/scale.md#near-duplicates):
- A document's signature is a MinHash (NUM_PERM permutations) of the set of SHINGLE-word
  shingles of its cleaned text (`Document.text`: boilerplate already removed by extract), lower
  case, words only — punctuation, spacing and the title play no part.
- Two documents are near-duplicates when the estimated Jaccard similarity of their shingle sets
  is >= THRESHOLD. The LSH index is tuned for a lower similarity (LSH_THRESHOLD), so it misses
  few true pairs; each candidate is then checked against THRESHOLD on the signatures.
- The original is the first document seen (input order in a batch, storing order in a store).
  Every document is indexed, and a match on a copy resolves to that copy's original, so two
  copies edited in different places still meet through either; `duplicate_of` always names an
  original, never a chain.
- Texts shorter than SHINGLE words carry too little evidence and are never marked.
"""
from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from functools import cache

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
SHINGLE = 5
THRESHOLD = 0.7
LSH_THRESHOLD = 0.5
SCHEME = "affine32"  # datasketch 2: 32-bit hash values; signatures of one scheme compare only with their own
SIGNATURE_DTYPE = np.uint32

_WORD = re.compile(r"\w+")
# permutations are computed once (copies share them); CRC-32 hashes a shingle several times
# faster than datasketch's default SHA-1 and is as stable across processes and machines
_TEMPLATE = MinHash(num_perm=NUM_PERM, scheme=SCHEME, hashfunc=zlib.crc32)


@cache
def _lsh_params() -> tuple[int, int]:
    """(bands, rows) for LSH_THRESHOLD: datasketch integrates for them (~0.1 s), once a process."""
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    return lsh.b, lsh.r


def _minhash(values: np.ndarray) -> MinHash:
    """A MinHash over stored hash values (a copy of the template: no permutations recomputed)."""
    m = _TEMPLATE.copy()
    m.hashvalues = values
    return m


def shingles(text: str) -> set[bytes]:
    words = _WORD.findall(text.lower())
    return {" ".join(words[i:i + SHINGLE]).encode("utf-8") for i in range(len(words) - SHINGLE + 1)}


def signature(text: str) -> bytes | None:
    """The MinHash signature of a text as bytes (None: too short to compare)."""
    grams = shingles(text)
    if not grams:
        return None
    m = _TEMPLATE.copy()
    m.update_batch(list(grams))
    return np.asarray(m.hashvalues, dtype=SIGNATURE_DTYPE).tobytes()


class NearDuplicates:
    """An index of documents; `add` says which original (if any) a document repeats."""

    def __init__(self, threshold: float = THRESHOLD):
        self.threshold = threshold
        self.lsh = MinHashLSH(num_perm=NUM_PERM, params=_lsh_params())
        self.signatures: dict[str, np.ndarray] = {}
        self.order: dict[str, int] = {}  # document -> insertion rank (the tie-breaker)
        self.duplicate_of: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self.order)

    def add(self, doc_id: str, sig: bytes | None) -> str | None:
        """Record a document; returns the id of the original it repeats, or None."""
        if doc_id in self.order:
            return self.duplicate_of.get(doc_id)
        if sig is None:
            return None
        values = np.frombuffer(sig, dtype=SIGNATURE_DTYPE)
        m = _minhash(values)
        best: tuple[float, int, str] | None = None
        for cand in self.lsh.query(m):
            similarity = float(np.mean(self.signatures[cand] == values))
            key = (-similarity, self.order[cand], cand)
            if similarity >= self.threshold and (best is None or key < best):
                best = key
        original = None if best is None else self.duplicate_of.get(best[2], best[2])
        self._index(doc_id, values, m, original)
        return original

    def _index(self, doc_id: str, values: np.ndarray, m: MinHash, original: str | None) -> None:
        self.lsh.insert(doc_id, m)
        self.signatures[doc_id] = values
        self.order[doc_id] = len(self.order)
        if original is not None:
            self.duplicate_of[doc_id] = original

    def add_known(self, rows: Iterable[tuple[str, bytes | None, str | None]]) -> None:
        """Rebuild the index from stored (id, signature, duplicate_of) rows, in storing order."""
        for doc_id, sig, original in rows:
            if sig is None or doc_id in self.order:
                continue
            values = np.frombuffer(sig, dtype=SIGNATURE_DTYPE)
            self._index(doc_id, values, _minhash(values), original)
