"""A cheap language guess for articles that do not state their language.

The script decides for Korean, Japanese, Chinese and Cyrillic text; among
Latin-script languages the most frequent function words decide. It is meant
to flag a Spanish or French story in an English corpus, not to be a general
language identifier.
"""

from __future__ import annotations

import re
from collections import Counter

_STOPWORDS = {
    "en": ("the", "and", "of", "to", "in", "is", "that", "with", "for", "was"),
    "es": ("el", "la", "de", "que", "y", "los", "las", "del", "en", "por"),
    "fr": ("le", "la", "les", "des", "et", "est", "du", "une", "dans", "pour"),
    "de": ("der", "die", "und", "das", "den", "mit", "ist", "nicht", "ein", "von"),
}
_WORD = re.compile(r"[^\W\d_]+")
_LETTER = re.compile(r"[^\W\d_]")
#: Scripts that tell a language by themselves: (code, characters, least share of letters).
_SCRIPTS = (
    ("ko", re.compile(r"[\uac00-\ud7a3]"), 0.2),
    ("ja", re.compile(r"[\u3040-\u30ff]"), 0.1),
    ("zh", re.compile(r"[\u4e00-\u9fff]"), 0.2),
    ("ru", re.compile(r"[\u0400-\u04ff]"), 0.2),
)


def guess_language(text: str | None) -> str:
    """Return an ISO 639-1 code for ``text``; ``"en"`` when it cannot tell."""
    if not text:
        return "en"
    sample = text[:3000]
    if not sample.isascii():
        letters = len(_LETTER.findall(sample)) or 1
        for lang, script, share in _SCRIPTS:
            if len(script.findall(sample)) / letters > share:
                return lang
    words = Counter(w.lower() for w in _WORD.findall(sample))
    if words.total() < 5:
        return "en"
    scores = {lang: sum(words[w] for w in stops) for lang, stops in _STOPWORDS.items()}
    best = max(scores, key=lambda lang: (scores[lang], lang == "en"))
    return best if scores[best] > scores["en"] else "en"
