"""Matching a person's needs to directory services, with the reasons and the barriers
the person named (no transport, money, language, fear of being judged)."""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from proxima.core import formats
from proxima.directory.models import CapacityStatus, Service
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


def _rank(hit: SearchHit, constraints: MatchConstraints) -> Match:
    service, reasons = hit.service, list(hit.reasons)
    score = hit.score
    if service.capacity_status == CapacityStatus.OPEN:
        score += 0.3
        reasons.append(_("Accepting requests"))
    elif service.capacity_status == CapacityStatus.FULL:
        score -= 1.0
    remote = service.delivers_online or service.delivers_by_phone
    if "transport" in constraints.barriers:
        if remote or service.delivers_home_visit:
            score += 0.6
            reasons.append(_("No travel needed"))
        elif hit.distance_km is not None and hit.distance_km <= NEARBY_KM:
            score += 0.4
            reasons.append(_("Close by (%s km)") % formats.decimal(hit.distance_km, 1))
    if "cost" in constraints.barriers and service.is_free:
        score += 0.6
        reasons.append(_("Free of charge"))
    if "fear" in constraints.barriers and (remote or service.delivers_home_visit):
        score += 0.2
    return Match(service, round(score, 3), hit.distance_km, list(dict.fromkeys(reasons)))


def match_need(domain: str, person, constraints: MatchConstraints) -> list[Match]:
    """The best services for one need domain, eligible for the person, best first."""
    moment = constraints.open_at or timezone.now()
    age = constraints.age if constraints.age is not None else _age_of(person, moment)
    postal_code = constraints.postal_code or (getattr(person, "postal_code", "") or "")
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
    matches: list[Match] = []
    for directory_domain in DIRECTORY_DOMAINS.get(domain, [domain]):
        query.taxonomy_term_ids = [need_domain_term_id(directory_domain)]
        matches += [_rank(hit, constraints) for hit in search_services(query).hits]
    unique = {m.service.id: m for m in sorted(matches, key=lambda m: m.score)}
    return sorted(unique.values(), key=lambda m: -m.score)[: constraints.per_need]


def match(needs: dict[str, dict], person, constraints: MatchConstraints) -> dict[str, list[Match]]:
    """Services for each need (intake domain → its answer), most severe needs first."""
    unknown = set(constraints.barriers) - set(BARRIERS)
    if unknown:
        raise MatchInputError(_("Unknown barrier: %s.") % ", ".join(sorted(unknown)))
    severities = {domain: _severity(answer) for domain, answer in needs.items()}
    ordered = sorted(severities, key=lambda domain: -severities[domain])
    return {domain: match_need(domain, person, constraints) for domain in ordered}


def _severity(answer) -> int:
    """A need's severity, 0 to 3 (0 when not given)."""
    severity = answer.get("severity", 0) if isinstance(answer, dict) else None
    if type(severity) is not int or not 0 <= severity <= 3:
        raise MatchInputError(_("A need's severity is a whole number from 0 to 3."))
    return severity
