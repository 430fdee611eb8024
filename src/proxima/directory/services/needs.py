"""The needs each service answers, whatever directory it came from.

Three sources, each kept with the words that said it (`ServiceNeed`):
- the listing's own category: a need domain, or a term of another taxonomy mapped to one
  (by its name and description: `propose_mappings`), a mapping a coordinator may confirm,
  reject or add to (`confirm_mapping`, `reject_mapping`, `add_mapping`); a decision
  survives every re-import of the taxonomy;
- the listing's own words: its name, description and eligibility read sentence by
  sentence with the need vocabulary (the lexicon's everyday phrases and the names of the
  domains and terms, in French and English), so "Frigo partagé, paniers de nourriture"
  serves food aid whoever wrote it and in whichever language;
- a coordinator's confirmation of the category's mapping.

Indexing (services/indexing.py) calls `service_needs` for every service it writes.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from proxima.directory.models import (
    Attribute,
    MappingStatus,
    NeedSource,
    Service,
    TaxonomyTerm,
    TermMapping,
)
from proxima.directory.services.crisis import (
    CRISIS_DOMAINS,
    is_about_the_subject,
    speaks_of_bereavement,
)
from proxima.directory.services.taxonomy import (
    NEED_DOMAINS_TAXONOMY_ID,
    TermGraph,
    forget_taxonomy_stamp,
    need_domain_term_id,
    term_graph,
)
from proxima.directory.services.text import is_content_word, stems, words
from proxima.directory.services.vocabulary import NeedMatch, NeedVocabulary, need_vocabulary

# A listing's text is read a sentence (or a list item) at a time: a phrase's words must
# be said together, not gathered from the four corners of a long description.
_SENTENCE_BREAK = re.compile(r"[.!?;:\n\r•·|/()\[\]]+|\s[-–—]\s")
# Crisis and violence are read from a listing only where it answers them, not where it
# speaks about them (training, awareness, research: see crisis.is_about_the_subject);
# search drops them from a query about the subject the same way.
CRISIS_NEED_IDS = frozenset(
    need_domain_term_id(code) for codes in CRISIS_DOMAINS.values() for code in codes
)


def is_crisis_need(term_id: str, graph: TermGraph) -> bool:
    """A crisis or violence domain, or one of their sub-domains."""
    return bool(CRISIS_NEED_IDS.intersection(graph.ancestors_and_self(term_id)))


SOURCE_RANK = {NeedSource.CONFIRMED: 0, NeedSource.TERM: 1, NeedSource.TEXT: 2}


@dataclass(frozen=True)
class FoundNeed:
    need_id: str
    source: str
    evidence: str


def _sentences(texts: Iterable[str]) -> list[str]:
    return [s.strip() for text in texts for s in _SENTENCE_BREAK.split(text or "") if s.strip()]


def _side_by_side(sentence: str, used: frozenset, count: int) -> bool:
    """Whether `count` content words in a row of the sentence each hold one of the
    phrase's stems (`used`)."""
    if count <= 1:
        return True
    run = 0
    for word in words(sentence):
        if not is_content_word(word):
            continue
        run = run + 1 if used.intersection(stems(word)) else 0
        if run >= count:
            return True
    return False


class _SentenceNeeds:
    """The need domains a phrase matched in one sentence of a listing says."""

    def __init__(self, sentence: str, graph: TermGraph):
        self.sentence, self.graph = sentence, graph
        self.about: bool | None = None
        self.bereavement: bool | None = None
        self.said: dict[NeedMatch, set[str]] = {}  # (asked when matching, then again)

    def __call__(self, match: NeedMatch) -> set[str]:
        if match not in self.said:
            self.said[match] = self._read(match)
        return self.said[match]

    def _read(self, match: NeedMatch) -> set[str]:
        graph = self.graph
        needs = graph.closure([match.term_id]) & graph.need_domain_ids
        if needs & CRISIS_NEED_IDS:
            if self.about is None:
                self.about = is_about_the_subject(self.sentence)
            # A crisis phrase's words side by side ("crisis center"), not gathered from a
            # sentence ("in times of crisis ... community centers", "our team ... a
            # housing crisis": such listings came before the suicide line).
            # A grief group's "loss to suicide": one crisis word beside bereavement.
            if (
                self.about
                or not _side_by_side(self.sentence, match.words, match.strength)
                or (match.strength < 2 and self.bereaved())
            ):
                # (The sub-domains too: sexual violence under violence.)
                needs = {n for n in needs if not is_crisis_need(n, graph)}
        return needs

    def bereaved(self) -> bool:
        if self.bereavement is None:
            self.bereavement = speaks_of_bereavement(self.sentence)
        return self.bereavement

    def any(self, match: NeedMatch) -> bool:
        return bool(self(match))


def read_needs(
    texts: Iterable[str], vocabulary: NeedVocabulary, graph: TermGraph
) -> dict[str, str]:
    """The need domains some texts say, most specific first found, with the phrase that
    said each: {need domain id: phrase}."""
    found: dict[str, str] = {}
    for sentence in _sentences(texts):
        said = _SentenceNeeds(sentence, graph)
        # (The vocabulary holds no phrase of generic words only: NeedVocabulary.build.)
        # A phrase saying no need here (a term not mapped, a crisis phrase's words apart)
        # does not hide the shorter ones it holds ("women experiencing abuse": abuse).
        for match in vocabulary.match(sentence, listing=True, usable=said.any):
            for need in graph.most_specific(said(match)):
                found.setdefault(need, match.phrase)
    # "Paniers" (emergency food) and "se nourrir" (food): the emergency food is what it is.
    return {need: found[need] for need in graph.most_specific(found)}


def service_needs(
    service: Service,
    term_ids: Iterable[str],
    graph: TermGraph,
    vocabulary: NeedVocabulary,
    *,
    confirmed: dict[str, set[str]],
    term_names: dict[str, str],
    keywords: list[str] = (),
) -> list[FoundNeed]:
    """Every need domain the service serves and where it came from, the best source of
    each first. `confirmed` maps a term to the need domains a coordinator confirmed for
    it; `term_names` names the terms (the evidence shown)."""
    found: dict[tuple[str, str], FoundNeed] = {}
    for term_id in term_ids:
        for need in graph.most_specific(graph.closure([term_id]) & graph.need_domain_ids):
            source = (
                NeedSource.CONFIRMED
                if any(need in confirmed.get(t, ()) for t in graph.ancestors_and_self(term_id))
                else NeedSource.TERM
            )
            evidence = term_names.get(term_id, "")[:200]
            found.setdefault((need, source), FoundNeed(need, source, evidence))
    texts = (
        service.all_texts("name")
        + service.all_texts("alternate_name")
        + service.all_texts("description")
        + [service.eligibility_description]
        + list(keywords)  # each one a sentence of its own
    )
    for need, phrase in read_needs(texts, vocabulary, graph).items():
        found.setdefault((need, NeedSource.TEXT), FoundNeed(need, NeedSource.TEXT, phrase[:200]))
    return sorted(found.values(), key=lambda n: (SOURCE_RANK[n.source], n.need_id))


def confirmed_mappings() -> dict[str, set[str]]:
    """The need domains a coordinator confirmed, by term."""
    result: dict[str, set[str]] = {}
    for term_id, need_id in TermMapping.objects.filter(status=MappingStatus.CONFIRMED).values_list(
        "term_id", "need_id"
    ):
        result.setdefault(term_id, set()).add(need_id)
    return result


def propose_mappings(term_ids: Iterable[str] | None = None) -> int:
    """Propose need domains for terms of other taxonomies, read from their names and
    descriptions in every language (every such term when None). Proposals no longer
    read are withdrawn; a coordinator's decision (confirmed, rejected) is never touched.
    Returns the number of proposals made."""
    graph = TermGraph.load()
    vocabulary = need_vocabulary()
    terms = TaxonomyTerm.objects.exclude(taxonomy_id=NEED_DOMAINS_TAXONOMY_ID)
    if term_ids is not None:
        terms = terms.filter(id__in=list(term_ids))
    made = 0
    for chunk in _chunks(list(terms.only("id", "name", "description", "translations"))):
        ids = [t.id for t in chunk]
        existing: dict[str, dict[str, TermMapping]] = {}
        for mapping in TermMapping.objects.filter(term_id__in=ids):
            existing.setdefault(mapping.term_id, {})[mapping.need_id] = mapping
        # Read without the term's own mappings: a proposal must come from its words.
        plain = TermGraph(graph.parent_of, {}, graph.need_domain_ids)
        new, stale = [], []
        for term in chunk:
            said = read_needs(
                term.all_texts("name") + term.all_texts("description"), vocabulary, plain
            )
            said = {n: p for n, p in said.items() if n in graph.need_domain_ids}
            mine = existing.get(term.id, {})
            for need, phrase in said.items():
                if need not in mine:
                    new.append(TermMapping(term_id=term.id, need_id=need, evidence=phrase[:200]))
            stale += [
                m.pk
                for need, m in mine.items()
                if m.status == MappingStatus.PROPOSED
                and m.decided_by_id is None
                and need not in said
            ]
        TermMapping.objects.filter(pk__in=stale).delete()
        TermMapping.objects.bulk_create(new, ignore_conflicts=True)
        forget_taxonomy_stamp()  # bulk writes send no signal
        made += len(new)
    return made


def _chunks(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def unread_terms(service_ids: list[str]) -> set[str]:
    """The terms of other taxonomies these services carry that hold no mapping yet."""
    terms: set[str] = set()
    for chunk in _chunks(service_ids, 1000):
        terms.update(
            Attribute.objects.filter(link_id__in=chunk, taxonomy_term__isnull=False)
            .exclude(taxonomy_term__taxonomy_id=NEED_DOMAINS_TAXONOMY_ID)
            .values_list("taxonomy_term_id", flat=True)
            .distinct()
        )
    mapped = set(TermMapping.objects.filter(term_id__in=terms).values_list("term_id", flat=True))
    return terms - mapped


def services_with_terms(term_ids: Iterable[str]) -> list[str]:
    """The services a change of these terms' mappings touches (their descendants too)."""
    graph = term_graph()
    terms = set()
    for term_id in term_ids:
        terms |= graph.descendants_and_self(term_id)
    return list(
        Attribute.objects.filter(taxonomy_term_id__in=terms)
        .values_list("link_id", flat=True)
        .distinct()
    )


def _decide(mapping: TermMapping, status: str, by) -> TermMapping:
    from proxima.directory.services.indexing import reindex_services

    with transaction.atomic():
        mapping.status = status
        mapping.decided_by = by
        mapping.decided_at = timezone.now()
        mapping.save()
        reindex_services(services_with_terms([mapping.term_id]))
    return mapping


def confirm_mapping(mapping: TermMapping, *, by) -> TermMapping:
    """A coordinator confirms that the term means this need domain."""
    return _decide(mapping, MappingStatus.CONFIRMED, by)


def reject_mapping(mapping: TermMapping, *, by) -> TermMapping:
    """A coordinator says the term does not mean this need domain: it leads nowhere,
    and re-imports or later proposals do not bring it back."""
    return _decide(mapping, MappingStatus.REJECTED, by)


def add_mapping(term: TaxonomyTerm, need: TaxonomyTerm, *, by) -> TermMapping:
    """A coordinator maps a term to a need domain the proposal missed (confirmed)."""
    mapping, _created = TermMapping.objects.get_or_create(term=term, need=need)
    return _decide(mapping, MappingStatus.CONFIRMED, by)


def mappable_taxonomies():
    """The taxonomies whose terms a coordinator maps: every one but the need domains."""
    from proxima.directory.models import Taxonomy

    return Taxonomy.objects.exclude(id=NEED_DOMAINS_TAXONOMY_ID).order_by("name")
