"""Taxonomies: Proxima's need domains, Open Eligibility, and the links between them."""

import csv
import hashlib
import json
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from proxima.core.errors import InputError
from proxima.directory.models import (
    MappingStatus,
    NeedLexiconEntry,
    Taxonomy,
    TaxonomyTerm,
    TermMapping,
)

NEED_DOMAINS_FILE = Path(__file__).resolve().parent.parent / "data" / "need_domains.json"
OPEN_ELIGIBILITY_TAXONOMY_ID = "7a1c9e6b-5c7e-5d1b-8f0a-0e1f4d2c3b01"
# Proxima's need domains (the id in data/need_domains.json; a test keeps them the same).
NEED_DOMAINS_TAXONOMY_ID = "8f0c5b8e-3d5f-5b7a-9a51-6b1f0c4e7a01"
_NAMESPACE = uuid.UUID("5b7a4c1e-2f9d-4e8a-b6c3-9d0e1f2a3b4c")


def stable_id(*parts: str) -> str:
    """A UUID derived from names, so demo and taxonomy ids are the same on every machine."""
    return str(uuid.uuid5(_NAMESPACE, "/".join(parts)))


def need_domain_term_id(code: str) -> str:
    return stable_id("need-domain", code)


@lru_cache(maxsize=1)
def first_level_domains() -> tuple[str, ...]:
    """The codes of Proxima's first-level need domains, in the file's order (read once:
    the file ships with the code)."""
    data = json.loads(NEED_DOMAINS_FILE.read_text(encoding="utf-8"))
    return tuple(d["code"] for d in data["domains"])


def checked_domains(values, name: str, error: type[InputError]) -> list[str]:
    """First-level need domain codes given, each once, sorted; `error` for the field when
    one is not a domain."""
    values = list(values or [])
    if any(value not in first_level_domains() for value in values):
        raise error({name: _("Choose one of the options offered.")})
    return sorted(set(values))


@lru_cache(maxsize=1)
def _file_domain_names() -> dict[str, dict[str, str]]:
    data = json.loads(NEED_DOMAINS_FILE.read_text(encoding="utf-8"))
    return {d["code"]: {"fr": d["fr"], "en": d["en"]} for d in data["domains"]}


def first_level_domain_labels() -> dict[str, str]:
    """The first-level need domains' names in the reader's language, in the file's order
    (the file's names where a domain's term is not loaded: never a code)."""
    from django.utils.translation import get_language

    names = {
        t.id: t.localized_name
        for t in TaxonomyTerm.objects.filter(
            id__in=[need_domain_term_id(code) for code in first_level_domains()]
        )
    }
    language = "en" if (get_language() or "fr").startswith("en") else "fr"
    shipped = _file_domain_names()
    return {
        code: names.get(need_domain_term_id(code)) or shipped[code][language]
        for code in first_level_domains()
    }


def open_eligibility_term_id(code: str) -> str:
    return stable_id("open-eligibility", code)


TERM_PREFIX = "tx_"  # no word token holds "_" (text.words): only terms' tokens start so


def term_token(term_id: str) -> str:
    """The full-text token standing for a taxonomy term (ids may contain any character)."""
    return TERM_PREFIX + hashlib.blake2b(term_id.encode(), digest_size=6).hexdigest()


@transaction.atomic
def load_need_domains(path: Path = NEED_DOMAINS_FILE) -> int:
    """Create or update Proxima's bilingual need-domain taxonomy and its lexicon."""
    data = json.loads(path.read_text(encoding="utf-8"))
    meta = data["taxonomy"]
    taxonomy, _ = Taxonomy.objects.update_or_create(
        id=meta["id"],
        defaults={k: meta[k] for k in ("name", "description", "uri", "version")},
    )
    count = 0
    wanted: dict[tuple[str, str, str], bool] = {}  # (term, language, phrase) → query only

    def save(domain: dict, parent: TaxonomyTerm | None) -> None:
        nonlocal count
        term, _ = TaxonomyTerm.objects.update_or_create(
            id=need_domain_term_id(domain["code"]),
            defaults={
                "code": domain["code"],
                "name": domain["fr"],
                "description": domain.get("desc_fr", ""),
                "text_language": "fr",
                "language": "fr",
                "translations": {
                    "en": {"name": domain["en"], "description": domain.get("desc_en", "")}
                },
                "parent_id": parent.id if parent else "",
                "taxonomy_id": taxonomy.id,
                "taxonomy": taxonomy.name,
            },
        )
        count += 1
        query_only = set(domain.get("query_only", []))
        for language in ("fr", "en"):
            for phrase in domain.get(f"lex_{language}", []):
                wanted[(term.id, language, phrase)] = phrase in query_only
        for child in domain.get("children", []):
            save(child, term)

    for domain in data["domains"]:
        save(domain, None)
    _save_lexicon(wanted)
    link_open_eligibility_equivalents(path)
    return count


def _save_lexicon(wanted: dict[tuple[str, str, str], bool]) -> None:
    """The lexicon entries added or their flag updated, in a few queries (the loader runs
    at every set-up, and before many tests)."""
    existing = {
        (entry.term_id, entry.language, entry.phrase): entry
        for entry in NeedLexiconEntry.objects.filter(term_id__in={key[0] for key in wanted})
    }
    NeedLexiconEntry.objects.bulk_create(
        [
            NeedLexiconEntry(term_id=term, language=language, phrase=phrase, query_only=flag)
            for (term, language, phrase), flag in wanted.items()
            if (term, language, phrase) not in existing
        ]
    )
    changed = []
    for key, entry in existing.items():
        if key in wanted and entry.query_only != wanted[key]:
            entry.query_only = wanted[key]
            changed.append(entry)
    NeedLexiconEntry.objects.bulk_update(changed, ["query_only"])
    forget_taxonomy_stamp()  # bulk writes send no signal


@transaction.atomic
def import_open_eligibility(path: Path) -> int:
    """Load the Open Eligibility taxonomy from its CSV (taxonomy_id,name,parent_id,parent_name)."""
    taxonomy, _ = Taxonomy.objects.update_or_create(
        id=OPEN_ELIGIBILITY_TAXONOMY_ID,
        defaults={
            "name": "Open Eligibility",
            "description": "Open Eligibility human services taxonomy (services facet).",
            "uri": "https://github.com/auntbertha/openeligibility",
        },
    )
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        code = row["taxonomy_id"].strip()
        parent = row.get("parent_id", "").strip()
        TaxonomyTerm.objects.update_or_create(
            id=open_eligibility_term_id(code),
            defaults={
                "code": code,
                "name": row["name"].strip(),
                "description": row["name"].strip(),
                "text_language": "en",
                "language": "en",
                "parent_id": open_eligibility_term_id(parent) if parent else "",
                "taxonomy_id": taxonomy.id,
                "taxonomy": "Open Eligibility",
            },
        )
    link_open_eligibility_equivalents()
    return len(rows)


def link_open_eligibility_equivalents(path: Path = NEED_DOMAINS_FILE) -> int:
    """Link each need domain to the Open Eligibility terms it maps to, where they exist."""
    data = json.loads(path.read_text(encoding="utf-8"))
    linked = 0

    def walk(domains: Iterable[dict]) -> None:
        nonlocal linked
        for domain in domains:
            codes = domain.get("oe", [])
            if codes:
                term = TaxonomyTerm.objects.filter(id=need_domain_term_id(domain["code"])).first()
                targets = TaxonomyTerm.objects.filter(
                    taxonomy_id=OPEN_ELIGIBILITY_TAXONOMY_ID, code__in=codes
                )
                if term is not None:
                    term.equivalent_terms.add(*targets)
                    linked += len(targets)
            walk(domain.get("children", []))

    walk(data["domains"])
    return linked


@dataclass(frozen=True)
class TermGraph:
    """Parents and equivalents of every term, held in memory for indexing.

    A term of an imported taxonomy leads to the need domains it is mapped to (proposed or
    confirmed; a rejected mapping leads nowhere), as an equivalent one way."""

    parent_of: dict[str, str | None]
    equivalents_of: dict[str, set[str]]
    need_domain_ids: frozenset = frozenset()

    @classmethod
    def load(cls) -> "TermGraph":
        parent_of, needs = {}, set()
        for term_id, parent_id, taxonomy_id in TaxonomyTerm.objects.values_list(
            "id", "parent_id", "taxonomy_id"
        ):
            parent_of[term_id] = parent_id
            if taxonomy_id == NEED_DOMAINS_TAXONOMY_ID:
                needs.add(term_id)
        equivalents: dict[str, set[str]] = {}
        through = TaxonomyTerm.equivalent_terms.through
        for source, target in through.objects.values_list(
            "from_taxonomyterm_id", "to_taxonomyterm_id"
        ):
            equivalents.setdefault(source, set()).add(target)
        for source, target in TermMapping.objects.exclude(
            status=MappingStatus.REJECTED
        ).values_list("term_id", "need_id"):
            equivalents.setdefault(source, set()).add(target)
        return cls(parent_of, equivalents, frozenset(needs))

    def most_specific(self, term_ids: Iterable[str]) -> set[str]:
        """The terms that are not an ancestor of another one of them."""
        terms = set(term_ids)
        broader = {a for t in terms for a in self.ancestors_and_self(t)[1:]}
        return terms - broader

    def ancestors_and_self(self, term_id: str) -> list[str]:
        chain: list[str] = []
        seen: set[str] = set()
        current: str | None = term_id
        while current and current not in seen:
            seen.add(current)
            chain.append(current)
            current = self.parent_of.get(current)
        return chain

    def closure(self, term_ids: Iterable[str]) -> set[str]:
        """The terms, their ancestors, their equivalents and the equivalents' ancestors."""
        result: set[str] = set()
        for term_id in term_ids:
            for term in self.ancestors_and_self(term_id):
                result.add(term)
                for equivalent in self.equivalents_of.get(term, ()):
                    result.update(self.ancestors_and_self(equivalent))
        return result

    def descendants_and_self(self, term_id: str) -> set[str]:
        children: dict[str, list[str]] = {}
        for child, parent in self.parent_of.items():
            if parent:
                children.setdefault(parent, []).append(child)
        result, stack = set(), [term_id]
        while stack:
            current = stack.pop()
            if current not in result:
                result.add(current)
                stack.extend(children.get(current, []))
        return result


_graph_cache: tuple[tuple, TermGraph] | None = None


# A stamp read outside a transaction is kept this long (seconds) by the process: another
# process's change of the taxonomy is seen within it, this process's at once (below).
STAMP_MAX_AGE = 2.0
_stamps: dict[str, tuple[float, tuple]] = {}  # per database alias: (read at, stamp)
# How many times the stamps were forgotten (a read begun before keeps nothing), and when
# last: for STAMP_MAX_AGE after a change nothing is kept (a replica catching up with it).
_forgotten = [0, -STAMP_MAX_AGE]


def taxonomy_stamp() -> tuple:
    """A cheap fingerprint of the terms, their equivalences and mappings, and the lexicon
    (one query), so the caches built from them notice additions, deletions and mapping
    decisions. Edits of a term in place are not seen: `proxima reindex` or a restart
    refreshes them (docs/directory.md).

    Outside a transaction the stamp read is kept STAMP_MAX_AGE seconds (reading it was
    a tenth of a search's time on PostgreSQL); every change this process makes to
    those tables forgets it (`forget_taxonomy_stamp`: the models' signals, and the bulk
    writes that send none), and for STAMP_MAX_AGE after it is read at every search (a
    read replica may not have the change yet). Inside a transaction it is always read:
    the transaction's own changes count, and nothing it saw is kept."""
    from django.db import connections, router

    alias = router.db_for_read(TaxonomyTerm)  # where the terms are then read (a replica?)
    keep = not connections[alias].in_atomic_block
    if keep and alias in _stamps:
        read_at, stamp = _stamps[alias]
        if time.monotonic() - read_at < STAMP_MAX_AGE:
            return stamp
    generation, read_at = _forgotten[0], time.monotonic()
    stamp = _read_stamp(connections[alias])
    settled = read_at - _forgotten[1] >= STAMP_MAX_AGE
    if keep and settled and generation == _forgotten[0]:  # not forgotten while it was read
        _stamps[alias] = (read_at, stamp)
    return stamp


def forget_taxonomy_stamp(**_signal) -> None:
    """The taxonomy changed: the stamp is read again, now and once the change is
    committed (a search in another thread may have read it in between)."""
    _forget()
    transaction.on_commit(_forget)


def _forget() -> None:
    _forgotten[0] += 1
    _forgotten[1] = time.monotonic()
    _stamps.clear()


def _read_stamp(connection) -> tuple:
    term = TaxonomyTerm._meta.db_table
    through = TaxonomyTerm.equivalent_terms.through._meta.db_table
    lexicon = NeedLexiconEntry._meta.db_table
    mapping = TermMapping._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {term}), (SELECT MAX(id) FROM {term}), "  # noqa: S608
            f"(SELECT COUNT(*) FROM {through}), (SELECT COUNT(*) FROM {lexicon}), "
            f"(SELECT MAX(id) FROM {lexicon}), (SELECT COUNT(*) FROM {mapping}), "
            f"(SELECT MAX(changed_at) FROM {mapping})"
        )
        return tuple(cursor.fetchone())


def term_graph(stamp: tuple | None = None) -> TermGraph:
    """The term graph, reloaded when terms or their equivalences change (`stamp`: the
    taxonomy's fingerprint, when the caller read it already)."""
    global _graph_cache
    stamp = stamp if stamp is not None else taxonomy_stamp()
    if _graph_cache is None or _graph_cache[0] != stamp:
        _graph_cache = (stamp, TermGraph.load())
    return _graph_cache[1]
