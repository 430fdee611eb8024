"""Matching a person's needs to directory services, with the reasons and the barriers
the person named (no transport, money, language, fear of being judged)."""

from dataclasses import dataclass, field, replace
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from proxima.core import formats
from proxima.directory.models import CapacityStatus, NeedSource, Service
from proxima.directory.services.needs import SOURCE_RANK
from proxima.directory.services.search import SearchHit, SearchQuery, search_services
from proxima.directory.services.taxonomy import need_domain_term_id
from proxima.people.services.consent import age_on

# Intake need domains → directory need domains (the directory's taxonomy is finer).
DIRECTORY_DOMAINS = {
    "food": ["food"],
    "housing": ["housing"],
    "income": ["income"],
    "employment": ["employment"],
    "education": ["school"],
    "childcare": ["early_childhood"],
    "transport": ["transport"],
    "isolation": ["isolation"],
    "family": ["family"],
    "recreation": ["sports", "arts"],
    "mental_health": ["mental_health", "listening"],
    "substance_use": ["substance_use"],
    "legal": ["legal"],
    "immigration": ["newcomers"],
    "health_access": ["health_access"],
    "safety": ["violence"],
}
BARRIERS = ("transport", "cost", "language", "fear")
CANDIDATES_PER_NEED = 40
NEARBY_KM = 5.0
# How surely a listing serves the need: its category says so (or a coordinator
# confirmed it), or only its own words do; else it came through a broader category.
NEED_SOURCE_FIT = {NeedSource.CONFIRMED: 1.0, NeedSource.TERM: 1.0, NeedSource.TEXT: 0.6}


class MatchInputError(ValueError):
    """Constraints that cannot be used; the message is for the user."""


@dataclass(frozen=True)
class MatchConstraints:
    postal_code: str = ""
    max_km: float = 25.0
    language: str = ""  # the language the person needs the service in
    age: float | None = None
    barriers: frozenset[str] = frozenset()
    open_at: datetime | None = None
    per_need: int = 5


@dataclass
class Match:
    service: Service
    score: float
    distance_km: float | None
    reasons: list[str] = field(default_factory=list)


def _age_of(person, moment: datetime) -> float | None:
    return age_on(person, moment) if person is not None else None


@dataclass(frozen=True)
class _Facts:
    """What ranking reads besides the search hit: the need's source in the listing and
    whether it is open at the moment."""

    need_sources: dict[str, str]
    open_now: set[str]


def _facts(hits: list[SearchHit], domains: list[str], moment: datetime) -> _Facts:
    from proxima.directory.models import SearchDocument, ServiceNeed
    from proxima.directory.services import hours

    ids = [hit.service.id for hit in hits]
    terms = [need_domain_term_id(d) for d in domains]
    sources: dict[str, str] = {}
    for service_id, source in ServiceNeed.objects.filter(
        service_id__in=ids, need_id__in=terms
    ).values_list("service_id", "source"):
        best = sources.get(service_id)
        if best is None or SOURCE_RANK[source] < SOURCE_RANK[best]:
            sources[service_id] = source
    open_now = {
        service_id
        for service_id, encoded in SearchDocument.objects.filter(service_id__in=ids).values_list(
            "service_id", "hours"
        )
        if hours.is_open_at(hours.decode(encoded), moment)
    }
    return _Facts(sources, open_now)


OLDEST = 120  # an upper age at or past this limits no one


def _age_limits(service: Service) -> tuple[float | None, float | None]:
    """The ages a listing keeps out, if any: (from, to), None where it keeps no one out
    (a minimum of 0, a maximum of 120 or more, say nothing)."""
    low, high = service.minimum_age, service.maximum_age
    return (low if low else None, high if high is not None and high < OLDEST else None)


def _age_range(service: Service) -> str:
    low, high = _age_limits(service)
    if low is not None and high is not None:
        return _("ages %(low)s to %(high)s") % {
            "low": formats.decimal(low, 0),
            "high": formats.decimal(high, 0),
        }
    if low is not None:
        return _("ages %s and over") % formats.decimal(low, 0)
    return _("ages %s and under") % formats.decimal(high, 0)


def _rank(
    hit: SearchHit,
    constraints: MatchConstraints,
    *,
    severity: int,
    age: float | None,
    facts: _Facts,
) -> Match:
    """A fit score, the reasons first: how surely the listing serves the need (its
    category, or only its own words), open now (worth more as the need is severe),
    taking requests, eligibility (a listing reserved to an age group when the caller's
    age is unknown comes after, saying so), the language asked, the distance, then the
    barriers the person named."""
    service, reasons = hit.service, []
    score = NEED_SOURCE_FIT.get(facts.need_sources.get(service.id, ""), 0.3)
    if service.id in facts.open_now:
        score += 0.15 + 0.15 * severity
        reasons.append(_("Open now"))
    if service.capacity_status == CapacityStatus.OPEN:
        score += 0.3
        reasons.append(_("Accepting requests"))
    elif service.capacity_status == CapacityStatus.WAITLIST:
        score -= 0.1 + 0.1 * severity
        reasons.append(_("Waiting list"))
    elif service.capacity_status == CapacityStatus.FULL:
        score -= 1.0
        reasons.append(_("Full"))
    restricted = _age_limits(service) != (None, None)
    if restricted and age is None:
        score -= 0.5
        reasons.append(_("Reserved to %s: ask the person's age") % _age_range(service))
    elif restricted:
        score += 0.2
        reasons.append(_("For the person's age (%s)") % _age_range(service))
    if hit.distance_km is not None:
        score += 0.6 * max(0.0, 1 - hit.distance_km / max(constraints.max_km, 1.0))
    elif constraints.postal_code:
        score += 0.25  # reachable without travelling
    remote = service.delivers_online or service.delivers_by_phone
    if "transport" in constraints.barriers:
        if remote or service.delivers_home_visit:
            score += 0.6
            reasons.append(_("No travel needed"))
        elif hit.distance_km is not None and hit.distance_km <= NEARBY_KM:
            score += 0.4
            reasons.append(_("Close by"))
    if "cost" in constraints.barriers and service.is_free:
        score += 0.6
        reasons.append(_("Free of charge"))
    if "fear" in constraints.barriers and (remote or service.delivers_home_visit):
        score += 0.2
    # The distance is shown beside the match already (and "close by" said why it counts).
    distance = _("%s km away") % formats.decimal(hit.distance_km or 0, 1)
    reasons += [reason for reason in hit.reasons if reason != distance]
    return Match(service, round(score, 3), hit.distance_km, list(dict.fromkeys(reasons)))


def match_need(
    domain: str, person, constraints: MatchConstraints, *, severity: int = 0
) -> list[Match]:
    """The best services for one need domain, eligible for the person, best fit first
    (see _rank); equal fits nearest first."""
    moment = constraints.open_at or timezone.now()
    age = constraints.age if constraints.age is not None else _age_of(person, moment)
    postal_code = constraints.postal_code or (getattr(person, "postal_code", "") or "")
    constraints = replace(constraints, postal_code=postal_code)
    language = constraints.language or ""
    query = SearchQuery(
        taxonomy_term_ids=[],
        postal_code=postal_code,
        max_km=constraints.max_km if postal_code else None,
        include_remote=True,
        open_at=constraints.open_at,
        languages=[language] if language else [],
        age=age,
        served_postal_code=postal_code,
        per_page=CANDIDATES_PER_NEED,
    )
    domains = DIRECTORY_DOMAINS.get(domain, [domain])
    hits: list[SearchHit] = []
    for directory_domain in domains:
        query.taxonomy_term_ids = [need_domain_term_id(directory_domain)]
        hits += search_services(query).hits
    facts = _facts(hits, domains, moment)
    matches = [_rank(h, constraints, severity=severity, age=age, facts=facts) for h in hits]
    unique = {m.service.id: m for m in sorted(matches, key=lambda m: m.score)}
    far = float("inf")
    return sorted(
        unique.values(),
        key=lambda m: (-m.score, far if m.distance_km is None else m.distance_km, m.service.id),
    )[: constraints.per_need]


def match(needs: dict[str, dict], person, constraints: MatchConstraints) -> dict[str, list[Match]]:
    """Services for each need (intake domain → its answer), most severe needs first."""
    unknown = set(constraints.barriers) - set(BARRIERS)
    if unknown:
        raise MatchInputError(_("Unknown barrier: %s.") % ", ".join(sorted(unknown)))
    severities = {domain: _severity(answer) for domain, answer in needs.items()}
    ordered = sorted(severities, key=lambda domain: -severities[domain])
    return {
        domain: match_need(domain, person, constraints, severity=severities[domain])
        for domain in ordered
    }


def _severity(answer) -> int:
    """A need's severity, 0 to 3 (0 when not given)."""
    severity = answer.get("severity", 0) if isinstance(answer, dict) else None
    if type(severity) is not int or not 0 <= severity <= 3:
        raise MatchInputError(_("A need's severity is a whole number from 0 to 3."))
    return severity
