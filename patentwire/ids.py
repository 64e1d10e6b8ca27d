"""Deterministic ids: a hash of the natural key, so reruns never mint new rows."""

import hashlib

_SEPARATOR = "\x1f"  # unit separator: cannot occur in the key parts we hash


def stable_id(*parts: object, length: int = 16) -> str:
    """Hex id of the natural key `parts`; None is hashed as the empty string."""
    key = _SEPARATOR.join("" if part is None else str(part) for part in parts)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:length]
