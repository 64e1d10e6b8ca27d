"""The article's language: a confident detector on the body beats what the markup declares
(CMS templates often say lang="en" over German text); short texts trust the markup."""

from __future__ import annotations

from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

# Normalised probability above which the detector overrides <html lang> and the source's hint.
CONFIDENT = 0.9
# Below this many characters, a detector is a guess and the declared language wins.
MIN_DETECTION_CHARS = 200
# Weakest detector answer still better than nothing when nothing is declared.
PLAUSIBLE = 0.5
# The first thousand characters decide as well as the whole text, at a fraction of the cost.
SAMPLE_CHARS = 1000


@cache
def _identifier() -> LanguageIdentifier:
    # Built once; classify() only reads the model, so one instance serves every thread.
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str | None, float]:
    """(ISO 639-1 code, probability), or (None, 0.0) for empty text or a non-two-letter label."""
    sample = text[:SAMPLE_CHARS].strip()
    if not sample:
        return None, 0.0
    code, probability = _identifier().classify(sample)
    return (code, probability) if len(code) == 2 else (None, 0.0)


def choose_language(text: str, declared: str | None, hint: str | None = None) -> str | None:
    detected, probability = detect_language(text)
    if detected and probability >= CONFIDENT and len(text) >= MIN_DETECTION_CHARS:
        return detected
    if declared or hint:
        return declared or hint
    return detected if probability >= PLAUSIBLE else None
