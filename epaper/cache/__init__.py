"""The build cache: a content-addressed store in the output root and stage memos keyed by digests.

* :mod:`.keys` — :func:`digest_of`, the one way to make a key from a stage's inputs (stable across
  processes and machines), and :func:`code_fingerprint`, the code every key includes;
* :mod:`.store` — :class:`Store`: immutable objects named by their SHA-256, hard-linked into edition
  folders, and memos from a key to a stage's result.

A shared module like :mod:`epaper.workers`: it imports no stage, and any stage or command may use it.
"""

from epaper.cache.keys import code_fingerprint, digest_of, file_digest, forget_file_digests
from epaper.cache.store import STORE_DIR, Store

__all__ = ["STORE_DIR", "Store", "code_fingerprint", "digest_of", "file_digest", "forget_file_digests"]
