"""Compile a list of words into one fast regular expression shaped like a trie."""

from __future__ import annotations

import re


def trie_regex(words: list[str]) -> str:
    """Return a regex source matching any of ``words``, the longest first.

    Shared prefixes are written once ("Kim Jong (?:Il|Un)"), so the engine
    decides at each character instead of retrying every word, and the
    pattern starts with a set of literal first characters, which lets the
    engine skip quickly to the next candidate. Where one word is a prefix of
    another, the longer one is tried first and the shorter is the fallback.

    Examples
    --------
    >>> import re
    >>> re.findall(trie_regex(["U.S.", "U.S. Forces Korea", "US"]), "U.S. Forces Korea and US")
    ['U.S. Forces Korea', 'US']
    """
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = True

    def walk(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + walk(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            # Greedy optional: try the longer word first, fall back to this end.
            return "(?:" + body + ")?" if len(branches) == 1 else body + "?"
        return body

    return walk(trie)
