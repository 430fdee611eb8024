"""Actions of a partner organization's editor (and of administrators) on services.

Each action checks the rule, writes the change and its audit line, and reindexes the
service, in one transaction.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from proxima.core.audit import record_audit_event
from proxima.core.roles import EDIT_ANY_SERVICE, EDIT_OWN_ORGANIZATION_SERVICES, has_capability
from proxima.directory.models import CapacityStatus, Schedule, Service, ServiceArea
from proxima.directory.services.hours import DAY_CODES
from proxima.directory.services.indexing import reindex_services
from proxima.directory.services.taxonomy import stable_id


def can_edit_service(user, service: Service) -> bool:
    """Administrators edit any service; a partner editor only those of their organization."""
    if has_capability(user, EDIT_ANY_SERVICE):
        return True
    return (
        has_capability(user, EDIT_OWN_ORGANIZATION_SERVICES)
        and user.organization_id is not None
        and service.organization_id == user.organization_id
    )


def _require_edit(user, service: Service) -> None:
    if not can_edit_service(user, service):
        raise PermissionDenied("This account cannot change this service.")


@dataclass(frozen=True)
class ServiceTexts:
    name_fr: str
    name_en: str
    description_fr: str
    description_en: str
    application_process: str = ""


@dataclass(frozen=True)
class WeeklyHours:
    weekday: int  # Monday = 0
    opens_at: str  # "HH:MM"
    closes_at: str


@transaction.atomic
def update_service_details(
    service: Service,
    *,
    by,
    texts: ServiceTexts,
    delivery_modes: list[str],
    is_free: bool | None,
) -> Service:
    """Change a service's bilingual texts, delivery modes and cost."""
    _require_edit(by, service)
    before = {"name": service.name, "description": service.description}
    original = service.text_language or "fr"
    other = "en" if original == "fr" else "fr"
    by_language = {
        "fr": {"name": texts.name_fr, "description": texts.description_fr},
        "en": {"name": texts.name_en, "description": texts.description_en},
    }
    service.name = by_language[original]["name"] or service.name
    service.description = by_language[original]["description"]
    translations = dict(service.translations or {})
    if by_language[other]["name"] or by_language[other]["description"]:
        translations[other] = by_language[other]
    else:
        translations.pop(other, None)
    service.translations = translations
    service.application_process = texts.application_process
    service.delivers_in_person = "in_person" in delivery_modes
    service.delivers_by_phone = "phone" in delivery_modes
    service.delivers_online = "online" in delivery_modes
    service.delivers_home_visit = "home_visit" in delivery_modes
    service.is_free = is_free
    service.last_modified = timezone.now()
    service.save()
    record_audit_event(by, "update_service", service, detail={"before": before})
    reindex_services([service.id])
    return service


@transaction.atomic
def set_capacity_status(service: Service, *, by, status: str) -> Service:
    """Say whether the service takes new requests (open, waiting list, full), dated now."""
    _require_edit(by, service)
    if status not in CapacityStatus.values:
        raise ValueError(f"Unknown capacity status {status!r}")
    previous = service.capacity_status
    service.capacity_status = status
    service.capacity_updated_at = timezone.now()
    service.last_modified = service.capacity_updated_at
    service.save(update_fields=["capacity_status", "capacity_updated_at", "last_modified"])
    record_audit_event(by, "set_capacity_status", service, detail={"from": previous, "to": status})
    reindex_services([service.id])
    return service


@transaction.atomic
def replace_weekly_hours(service: Service, *, by, hours: list[WeeklyHours]) -> Service:
    """Replace the service's own weekly opening hours."""
    _require_edit(by, service)
    service.schedules.all().delete()
    for index, slot in enumerate(sorted(hours, key=lambda h: (h.weekday, h.opens_at))):
        Schedule.objects.create(
            id=stable_id("schedule", service.id, "edited", str(index), timezone.now().isoformat()),
            service=service,
            freq="WEEKLY",
            byday=DAY_CODES[slot.weekday],
            opens_at=slot.opens_at,
            closes_at=slot.closes_at,
        )
    service.last_modified = timezone.now()
    service.save(update_fields=["last_modified"])
    record_audit_event(by, "replace_hours", service, detail={"slots": len(hours)})
    reindex_services([service.id])
    return service


@transaction.atomic
def set_territories_served(service: Service, *, by, territories: list) -> Service:
    """The territories the service serves (proxima.territories), as its service areas: the
    areas naming a territory are replaced, those naming only postal prefixes kept."""
    _require_edit(by, service)
    wanted = {t.pk: t for t in territories}
    areas = list(service.service_areas.exclude(territory=None))
    before = sorted(a.territory_id for a in areas)
    for area in areas:
        if area.territory_id not in wanted:
            area.delete()
    kept = {a.territory_id for a in areas}
    for pk, territory in sorted(wanted.items()):
        if pk in kept:
            continue
        ServiceArea.objects.create(
            id=stable_id("area", service.id, "territory", str(pk)),
            service=service,
            name=territory.name_fr,
            territory=territory,
        )
    service.last_modified = timezone.now()
    service.save(update_fields=["last_modified"])
    record_audit_event(
        by, "set_territories_served", service, detail={"from": before, "to": sorted(wanted)}
    )
    reindex_services([service.id])
    return service


@transaction.atomic
def confirm_service_verified(service: Service, *, by) -> Service:
    """Record that the editor checked the service's information today."""
    _require_edit(by, service)
    service.last_verified_at = timezone.now()
    service.last_verified_by = by
    service.save(update_fields=["last_verified_at", "last_verified_by"])
    record_audit_event(by, "verify_service", service)
    return service
