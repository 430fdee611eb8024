"""Understanding needs in people's own words: query text → need-domain taxonomy terms.

Phrases come from the lexicon (everyday words per need domain, in French and English) and
from the names of every taxonomy term in every language. A phrase matches when each of
its content words is in the query (after stemming), so "plus rien dans le frigo" matches
"on n'a plus rien dans le frigo", and "food bank" matches "where is a food bank".
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass

from proxima.directory.models import NeedLexiconEntry, TaxonomyTerm
from proxima.directory.services.taxonomy import taxonomy_stamp
from proxima.directory.services.text import is_generic, phrase_words, query_words


@dataclass(frozen=True)
class NeedMatch:
    term_id: str
    phrase: str
    strength: int  # number of content words in the phrase
    words: frozenset = frozenset()  # the query stems the phrase used


@dataclass(frozen=True)
class _Phrase:
    term_id: str
    text: str
    words: tuple[tuple[str, ...], ...]
    query_only: bool = False  # not read in listings (NeedLexiconEntry.query_only)
    # Its words' stems in its own language only, as a listing is read: the other
    # language's stemmer makes look-alikes meet ("carer" and "care", "car": the French
    # stem "car"), and "Care Services" served caregivers. (A person's words keep both:
    # "taking care of my husband" is a caregiver's.)
    own_words: tuple[tuple[str, ...], ...] = ()


class NeedVocabulary:
    def __init__(self, phrases: list[_Phrase]):
        self._by_stem: dict[str, list[_Phrase]] = {}
        for phrase in phrases:
            for alternatives in phrase.words:
                for stem in alternatives:
                    self._by_stem.setdefault(stem, []).append(phrase)

    @classmethod
    def build(cls) -> "NeedVocabulary":
        phrases: list[_Phrase] = []

        def add(term_id: str, text: str, query_only: bool = False, language: str = "") -> None:
            analyzed = tuple(query_words(text))
            # A phrase of words any listing may hold ("getting there": get) says no need.
            if analyzed and not all(is_generic(alternatives) for alternatives in analyzed):
                own = tuple(phrase_words(text, language)) if language else analyzed
                phrases.append(_Phrase(term_id, text, analyzed, query_only, own))

        lexicon = NeedLexiconEntry.objects.values("term_id", "phrase", "query_only", "language")
        for entry in lexicon:
            add(entry["term_id"], entry["phrase"], entry["query_only"], entry["language"])
        for term in TaxonomyTerm.objects.only("id", "name", "translations"):
            for name in term.all_texts("name"):
                add(term.id, name)
        return cls(phrases)

    def match(
        self,
        text: str,
        *,
        listing: bool = False,
        usable: Callable[[NeedMatch], bool] | None = None,
    ) -> list[NeedMatch]:
        """Terms whose phrases are all present in the text, strongest phrase per term.
        A listing's text (`listing`) is not read with the phrases only people say.
        `usable`: only the matches it accepts are kept, before a longer phrase hides the
        shorter ones it holds (a term leading to no need domain, "BESOINS-ALIM-03
        Dépannage alimentaire" of a taxonomy not mapped yet, no longer hides the need
        domain's own "dépannage alimentaire")."""
        query = query_words(text)
        query_stems = {stem for alternatives in query for stem in alternatives}
        best: dict[str, NeedMatch] = {}
        candidates = {p for stem in query_stems for p in self._by_stem.get(stem, ())}
        # In a fixed order: of two phrases as strong for one term, the same one wins on
        # every run (a set's order changes with each process's hash seed).
        for phrase in sorted(candidates, key=lambda p: (p.term_id, p.text)):
            if listing and phrase.query_only:
                continue
            wanted = phrase.own_words if listing else phrase.words
            if all(any(s in query_stems for s in alternatives) for alternatives in wanted):
                used = frozenset(
                    s for alternatives in phrase.words for s in alternatives if s in query_stems
                )
                found = NeedMatch(phrase.term_id, phrase.text, len(phrase.words), used)
                if usable is not None and not usable(found):
                    continue
                current = best.get(phrase.term_id)
                if current is None or found.strength > current.strength:
                    best[phrase.term_id] = found
        # The longest phrase wins: "school" inside "nothing to do after school" is not a need of its own.
        kept = [
            match
            for match in best.values()
            if not any(other.words > match.words for other in best.values())
        ]
        return sorted(kept, key=lambda m: (-m.strength, m.term_id))


_lock = threading.Lock()
_cached: tuple[tuple, NeedVocabulary] | None = None


def need_vocabulary(stamp: tuple | None = None) -> NeedVocabulary:
    """The vocabulary, rebuilt when terms or lexicon entries change (`stamp`: the
    taxonomy's fingerprint, when the caller read it already)."""
    global _cached
    stamp = stamp if stamp is not None else taxonomy_stamp()
    with _lock:
        if _cached is None or _cached[0] != stamp:
            _cached = (stamp, NeedVocabulary.build())
        return _cached[1]
