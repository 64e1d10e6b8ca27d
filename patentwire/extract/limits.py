"""The bound on how much of an article extraction reads.

Extraction time grows faster than the text (about 2 s for 50,000 characters, 6 s for 100,000 and minutes
for a megabyte), and nothing upstream caps the length of a page. News articles and press releases run
to 2,000-20,000 characters; a longer text is a page dump, a concatenated archive or an attack. So only
the first MAX_TEXT_CHARS characters are read, cut at the last paragraph (else sentence) break before
the cap. The kept text is a prefix of the article, so every evidence offset still points into the
stored text; the truncation is recorded with the facts (`"truncated"`).
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_TEXT_CHARS = 50_000
_BREAKS = ("\n", ". ", "! ", "? ")  # preferred cut points, best first


@dataclass(frozen=True)
class BoundedText:
    text: str  # what extraction reads: the whole text, or a prefix of it
    original_chars: int

    @property
    def truncated(self) -> bool:
        return len(self.text) < self.original_chars

    def record(self) -> dict | None:
        """The note kept with the facts when text was cut off; None when the whole text was read."""
        if not self.truncated:
            return None
        return {"kept_chars": len(self.text), "original_chars": self.original_chars, "max_chars": MAX_TEXT_CHARS}


def bound_text(text: str, limit: int = MAX_TEXT_CHARS) -> BoundedText:
    """`text` itself when it fits, else its prefix up to the last break in the second half of the cap."""
    if len(text) <= limit:
        return BoundedText(text, len(text))
    for mark in _BREAKS:
        cut = text.rfind(mark, limit // 2, limit)
        if cut != -1:
            return BoundedText(text[:cut + len(mark)].rstrip(), len(text))
    return BoundedText(text[:limit], len(text))
