"""Words of community services in both languages: a query word also looks for its
equivalents in the other language ("debt" finds "endettement", "cours de violon" finds
"violin lessons"), so a listing written in one language is found in the other by its
words, not only by its need domains. The groups are in data/bilingual_words.json."""

import json
from functools import lru_cache
from pathlib import Path

from proxima.directory.services.text import content_stems_of

WORDS_FILE = Path(__file__).resolve().parent.parent / "data" / "bilingual_words.json"


@lru_cache(maxsize=1)
def _equivalents() -> dict[str, frozenset[str]]:
    """Each stem → the stems of every word meaning the same, in both languages."""
    data = json.loads(WORDS_FILE.read_text(encoding="utf-8"))
    found: dict[str, set[str]] = {}
    for group in data["groups"]:
        members = {s for side in group for word in side for s in content_stems_of(word)}
        for stem in members:
            found.setdefault(stem, set()).update(members)
    return {stem: frozenset(group) for stem, group in found.items()}


def expand(alternatives: tuple[str, ...]) -> tuple[str, ...]:
    """A query word's stems and its equivalents' stems, its own first."""
    equivalents = _equivalents()
    more = set().union(*(equivalents.get(stem, ()) for stem in alternatives)) - set(alternatives)
    return tuple(alternatives) + tuple(sorted(more))
