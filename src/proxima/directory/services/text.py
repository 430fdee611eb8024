"""The text analyzer shared by indexing and querying, on every database.

Words are lower-cased, stemmed with the French and the English Snowball stemmers, then
folded to ASCII, so "Logements", "logement" and "LOGEMENT" meet, as do "dépannage" and
"depannage". Both databases index the same tokens, so results do not depend on the engine.
"""

import re
import unicodedata
from functools import lru_cache

import Stemmer

_FRENCH = Stemmer.Stemmer("french")
_ENGLISH = Stemmer.Stemmer("english")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)

STOPWORDS = frozenset(
    [
        "a",
        "ai",
        "aie",
        "ait",
        "as",
        "au",
        "aux",
        "avec",
        "avoir",
        "c",
        "ca",
        "ce",
        "ceci",
        "cela",
        "celle",
        "celles",
        "celui",
        "ces",
        "cet",
        "cette",
        "chez",
        "ci",
        "comme",
        "comment",
        "d",
        "dans",
        "de",
        "des",
        "du",
        "donc",
        "du",
        "elle",
        "elles",
        "en",
        "encore",
        "est",
        "et",
        "etre",
        "eu",
        "fait",
        "faire",
        "il",
        "ils",
        "j",
        "je",
        "jusqu",
        "l",
        "la",
        "le",
        "les",
        "leur",
        "leurs",
        "lui",
        "m",
        "ma",
        "mais",
        "me",
        "meme",
        "mes",
        "moi",
        "mon",
        "n",
        "ne",
        "ni",
        "nos",
        "notre",
        "nous",
        "on",
        "ou",
        "par",
        "pas",
        "peu",
        "peut",
        "plus",
        "pour",
        "pourquoi",
        "qu",
        "quand",
        "que",
        "quel",
        "quelle",
        "quelles",
        "quels",
        "qui",
        "s",
        "sa",
        "sans",
        "se",
        "sera",
        "ses",
        "si",
        "son",
        "sont",
        "sous",
        "suis",
        "sur",
        "t",
        "ta",
        "te",
        "tes",
        "toi",
        "ton",
        "tous",
        "tout",
        "toute",
        "toutes",
        "tres",
        "tu",
        "un",
        "une",
        "vos",
        "votre",
        "vous",
        "y",
        "ete",
        "etait",
        "sont",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "me",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "out",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "to",
        "too",
        "up",
        "us",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "im",
        "dont",
        "cant",
    ]
)


# Characters that show nothing inside a word (zero-width space and joiners, word joiner,
# soft hyphen, byte-order mark): "fo\u200bod" is "food", in a search as in a listing.
_INVISIBLE = dict.fromkeys((0x200B, 0x200C, 0x200D, 0x2060, 0x00AD, 0xFEFF))


def _lower(text: str) -> str:
    """Lower case, the ligatures spelt out ("sœur" is "soeur": no accent to strip), the
    invisible characters left out."""
    return text.translate(_INVISIBLE).lower().replace("œ", "oe").replace("æ", "ae")


def fold(text: str) -> str:
    """Lower-case and strip accents: "Élève" → "eleve"."""
    decomposed = unicodedata.normalize("NFKD", _lower(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The words of a text, lower-cased, accents kept (stemmers need them)."""
    return _WORD.findall(_lower(text))


@lru_cache(maxsize=200_000)
def stems(word: str) -> tuple[str, ...]:
    """The distinct folded French and English stems of one lower-case word."""
    french = fold(_FRENCH.stemWord(word))
    english = fold(_ENGLISH.stemWord(word))
    return (french,) if french == english else (french, english)


@lru_cache(maxsize=200_000)
def is_content_word(word: str) -> bool:
    folded = fold(word)
    return folded not in STOPWORDS and (len(folded) > 1 or folded.isdigit())


@lru_cache(maxsize=200_000)
def _content_stems(word: str) -> tuple[str, ...]:
    return stems(word) if is_content_word(word) else ()


def index_tokens(text: str) -> list[str]:
    """Tokens to index for a text: every stem of every content word (repeats kept)."""
    tokens: list[str] = []
    for word in words(text):
        tokens.extend(_content_stems(word))
    return tokens


def query_words(text: str) -> list[tuple[str, ...]]:
    """The content words of a query, each as its alternative stems (deduplicated)."""
    seen: set[tuple[str, ...]] = set()
    result = []
    for word in words(text):
        if is_content_word(word):
            alternatives = stems(word)
            if alternatives not in seen:
                seen.add(alternatives)
                result.append(alternatives)
    return result


def phrase_words(text: str, language: str) -> list[tuple[str, ...]]:
    """A phrase of one language ("fr" or "en"), each content word as its stem in that
    language only (as `query_words` otherwise)."""
    stemmer = {"fr": _FRENCH, "en": _ENGLISH}.get(language)
    if stemmer is None:
        return query_words(text)
    result: list[tuple[str, ...]] = []
    for word in words(text):
        if is_content_word(word):
            alternatives = (fold(stemmer.stemWord(word)),)
            if alternatives not in result:
                result.append(alternatives)
    return result


def sort_key(text: str) -> str:
    return fold(text).strip()[:200]


# Words that any listing may hold: they narrow nothing, so they match nothing alone.
GENERIC_WORDS = (
    "aide aides aider aidez aidons aident aidé aidée aidés aidées aidera aiderai aiderez "
    "aiderons aideront aiderait aideraient aidait aidais aidiez "
    "help helps helping helper helped helpful service services programme programmes "
    "program programs besoin besoins need needs needed soutien support supports ressource "
    "ressources resource resources organisme organismes organisation organization "
    "organizations information informations info infos trouver find finding cherche "
    "chercher cherchez cherché looking search recherche quelque something chose thing offre "
    "offer offert svp stp please pls plz secours sos "
    "offered disponible available gratuit free get gets getting"
)
_GENERIC_STEMS = frozenset(stem for word in GENERIC_WORDS.split() for stem in stems(word))


def is_generic(alternatives: tuple[str, ...]) -> bool:
    """A query word all of whose stems are generic words' stems."""
    return all(stem in _GENERIC_STEMS for stem in alternatives)


def content_stems_of(text: str) -> set[str]:
    """The stems of a short text's content words."""
    return {stem for word in words(text) for stem in _content_stems(word)}
