"""Loading the demo territory (Vanier in Ottawa, and the Capitale-Nationale of Quebec).

Deterministic: the same ids every time, so loading twice changes nothing. Every record is
flagged `is_demo` and the pages show a demo banner.
"""

import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from proxima.directory import models as m
from proxima.directory.services import demo_catalog as catalog
from proxima.directory.services.indexing import reindex_services, unindex_services
from proxima.directory.services.taxonomy import load_need_domains, need_domain_term_id, stable_id

LANGUAGE_NAMES = {
    "fr": "Français",
    "en": "English",
    "ar": "العربية",
    "es": "Español",
    "zh": "中文",
    "sw": "Kiswahili",
    "ht": "Kreyòl",
    "fa": "فارسی",
    "vi": "Tiếng Việt",
    "ln": "Lingála",
}


# Records that people's consents and referrals point at: never deleted on a refresh.
REFERENCED_BY_RECORDS = (m.Organization, m.Service)


@dataclass
class RecordBatch:
    """Records collected in memory, then written in bulk in dependency order."""

    rows: dict[type, list] = field(default_factory=dict)

    def add(self, instance) -> None:
        self.rows.setdefault(type(instance), []).append(instance)

    def write(self) -> None:
        unindex_services([s.id for s in self.rows.get(m.Service, [])])
        order = [
            m.Organization,
            m.Service,
            m.Location,
            m.ServiceAtLocation,
            m.Address,
            m.Phone,
            m.Schedule,
            m.Language,
            m.CostOption,
            m.Accessibility,
            m.ServiceArea,
            m.Attribute,
        ]
        for model in order:
            instances = self.rows.get(model, [])
            if model in REFERENCED_BY_RECORDS:
                # Updated in place: consents and referrals point at them.
                fields = [f.name for f in model._meta.concrete_fields if not f.primary_key]
                model.objects.bulk_create(
                    instances,
                    batch_size=500,
                    update_conflicts=True,
                    unique_fields=["id"],
                    update_fields=fields,
                )
                continue
            ids = [getattr(i, "hsds_id", None) or i.pk for i in instances]
            key = "hsds_id" if model is m.Attribute else "pk"
            model.objects.filter(**{f"{key}__in": ids}).delete()
            model.objects.bulk_create(instances, batch_size=500)


def _schedules(batch: RecordBatch, service_id: str, pattern: str) -> None:
    for index, (days, opens, closes) in enumerate(catalog.HOURS[pattern]):
        batch.add(
            m.Schedule(
                id=stable_id("schedule", service_id, str(index)),
                service_id=service_id,
                freq="WEEKLY",
                byday=days,
                opens_at=opens,
                closes_at=closes,
            )
        )


def _service(
    batch: RecordBatch,
    rng: random.Random,
    org: m.Organization,
    location: m.Location | None,
    template: tuple,
    place: tuple | None,
    english_first: bool,
    index: int,
) -> None:
    code, name_fr, name_en, desc_fr, desc_en, options = template
    service_id = stable_id("service", org.id, str(index))
    suffix = f" — {place[1]}" if place else ""
    now = timezone.now()
    languages = list(options.get("languages", []))
    if not languages:
        languages = (
            ["en", "fr"] if english_first else (["fr", "en"] if rng.random() < 0.6 else ["fr"])
        )
        if rng.random() < 0.25:
            languages.append(rng.choice(catalog.EXTRA_LANGUAGES))
    bilingual_texts = "en" in languages or english_first
    primary = "en" if english_first else "fr"
    texts = {"fr": (name_fr + suffix, desc_fr), "en": (name_en + suffix, desc_en)}
    other = "fr" if primary == "en" else "en"
    modes = options.get("modes", ["in_person"])
    ages = options.get("ages")
    fee = options.get("fee")
    capacity = rng.choices(["open", "waitlist", "full"], weights=[80, 15, 5])[0]
    service = m.Service(
        id=service_id,
        organization=org,
        name=texts[primary][0],
        description=texts[primary][1],
        text_language=primary,
        translations={other: {"name": texts[other][0], "description": texts[other][1]}}
        if bilingual_texts
        else {},
        status="active",
        email=f"info@{org.id[:8]}.demo.proxima.example",
        minimum_age=ages[0] if ages else None,
        maximum_age=ages[1] if ages else None,
        fees_description="" if not fee else f"{fee} $",
        is_free=not fee,
        capacity_status=capacity,
        capacity_updated_at=now - timedelta(days=rng.randint(0, 30)),
        last_verified_at=now - timedelta(days=rng.randint(0, 200)),
        delivers_in_person="in_person" in modes,
        delivers_by_phone="phone" in modes,
        delivers_online="online" in modes,
        delivers_home_visit="home_visit" in modes,
        eligible_genders=options.get("genders", ""),
        eligible_statuses=options.get("statuses", ""),
        eligible_household_types=options.get("households", ""),
        income_ceiling=options.get("income"),
        is_demo=True,
        last_modified=now - timedelta(days=rng.randint(0, 60)),
    )
    batch.add(service)
    if location is not None and {"in_person", "home_visit"} & set(modes):
        batch.add(
            m.ServiceAtLocation(id=stable_id("sal", service_id), service=service, location=location)
        )
    batch.add(
        m.Phone(
            id=stable_id("phone", service_id),
            service=service,
            number=f"{'613' if english_first else '418'}-555-{rng.randint(1000, 9999)}",
            type="voice",
        )
    )
    _schedules(batch, service_id, options.get("hours", "office"))
    for code_ in languages:
        batch.add(
            m.Language(
                id=stable_id("language", service_id, code_),
                service=service,
                code=code_,
                name=LANGUAGE_NAMES.get(code_, code_),
            )
        )
    if fee:
        batch.add(
            m.CostOption(
                id=stable_id("cost", service_id),
                service=service,
                currency="CAD",
                amount=float(fee),
                amount_description="par séance / per session",
            )
        )
    if place:
        batch.add(
            m.ServiceArea(
                id=stable_id("area", service_id),
                service=service,
                name=f"{place[1]}, {place[2]}",
                postal_prefixes=place[4][:3],
                territory_id=_neighbourhood_of(place),
            )
        )
    batch.add(
        m.Attribute(
            hsds_id=stable_id("attribute", service_id),
            link_id=service_id,
            link_entity="service",
            link_type="need_domain",
            taxonomy_term_id=need_domain_term_id(code),
        )
    )


def add_organization(
    batch: RecordBatch, rng: random.Random, kind: dict, place: tuple | None, number: int
) -> None:
    english_first = bool(place and place[7])
    quarter = place[1] if place else ""
    key = place[0] if place else "regional"
    org_id = stable_id("organization", key, str(number))
    names = {"fr": kind["fr"].format(q=quarter).strip(), "en": kind["en"].format(q=quarter).strip()}
    descriptions = {
        "fr": kind["desc_fr"].format(q=quarter),
        "en": kind["desc_en"].format(q=quarter),
    }
    primary, other = ("en", "fr") if english_first else ("fr", "en")
    org = m.Organization(
        id=org_id,
        name=names[primary],
        description="[Démo / Demo] " + descriptions[primary],
        text_language=primary,
        translations={
            other: {"name": names[other], "description": "[Demo] " + descriptions[other]}
        },
        website=f"https://{org_id[:8]}.demo.proxima.example",
        is_demo=True,
    )
    batch.add(org)
    location = None
    if place:
        lat = place[5] + rng.uniform(-0.012, 0.012)
        lon = place[6] + rng.uniform(-0.015, 0.015)
        confidential = bool(kind.get("confidential"))
        location = m.Location(
            id=stable_id("location", org_id),
            organization=org,
            location_type="physical",
            name="Adresse confidentielle" if confidential else names[primary],
            latitude=round(lat, 5),
            longitude=round(lon, 5),
            is_confidential=confidential,
            transportation="" if confidential else "Autobus à proximité",
            text_language="fr",
            translations={"en": {"name": "Confidential address"}}
            if confidential
            else {"en": {"transportation": "Bus nearby"}},
        )
        batch.add(location)
        batch.add(
            m.Address(
                id=stable_id("address", org_id),
                location=location,
                address_1=f"{rng.randint(10, 990)}, {rng.choice(catalog.STREETS)}",
                city=place[2],
                state_province=place[3],
                postal_code=place[4],
                country="CA",
                address_type="physical",
            )
        )
        if rng.random() < 0.7:
            batch.add(
                m.Accessibility(
                    id=stable_id("access", org_id),
                    location=location,
                    description="Accès pour fauteuil roulant / Wheelchair accessible entrance",
                )
            )
    for index, template in enumerate(kind["services"]):
        _service(batch, rng, org, location, template, place, english_first, index)


@transaction.atomic
def _neighbourhood_of(place: tuple) -> int | None:
    """The demo territories' neighbourhood holding the place, when they are loaded."""
    from proxima.territories.models import TerritoryLevel
    from proxima.territories.services import territories_at

    held = [
        t for t in territories_at(place[5], place[6]) if t.level == TerritoryLevel.NEIGHBOURHOOD
    ]
    return held[0].pk if held else None


def load_demo_territory(seed: int = 20261124) -> dict[str, int]:
    """Create (or refresh) the demo organizations and services; returns counts."""
    load_need_domains()
    rng = random.Random(seed)
    batch = RecordBatch()
    number = 0
    for place in catalog.NEIGHBOURHOODS:
        for kind in [*catalog.ORGANIZATION_KINDS, catalog.CLSC]:
            number += 1
            add_organization(batch, rng, kind, place, number)
    for kind in catalog.REGIONAL_ORGANIZATIONS:
        number += 1
        add_organization(batch, rng, kind, None, number)
    batch.write()
    services = [s.id for s in batch.rows[m.Service]]
    reindex_services(services)
    return {"organizations": len(batch.rows[m.Organization]), "services": len(services)}
