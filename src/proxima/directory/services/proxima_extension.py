"""Proxima's additions to HSDS records, carried in a `proxima` object (HSDS allows extra
properties; see docs/directory.md for the documented fields).

{"text_language": "fr", "translations": {"en": {"name": "...", "description": "..."}},
 "capacity_status": "open", "capacity_updated_at": "...", "last_verified_at": "...",
 "delivery_modes": ["in_person", "online"], "is_free": true,
 "eligibility": {"genders": [], "household_types": [], "statuses": [], "income_ceiling": 40000},
 "is_confidential": false, "postal_prefixes": ["K1L"],
 "territory": {"level": "neighbourhood", "code": "vanier-ottawa"}}
"""

from typing import Any

from proxima.core.forms import iso_moment
from proxima.directory.models import CapacityStatus

TRANSLATABLE = {"organization", "program", "service", "location", "taxonomy_term"}
MODES = {
    "in_person": "delivers_in_person",
    "phone": "delivers_by_phone",
    "online": "delivers_online",
    "home_visit": "delivers_home_visit",
}
ELIGIBILITY_LISTS = {
    "genders": "eligible_genders",
    "household_types": "eligible_household_types",
    "statuses": "eligible_statuses",
}


def _is_text_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and len(v) < 100 for v in value)


def check_extension(kind: str, data: Any) -> str | None:
    """A message when the extension object is malformed, else None."""
    if not isinstance(data, dict):
        return "expected an object"
    translations = data.get("translations", {})
    if not isinstance(translations, dict) or not all(
        isinstance(v, dict) and all(isinstance(t, str) for t in v.values())
        for v in translations.values()
    ):
        return "translations must map a language code to texts"
    if "capacity_status" in data and data["capacity_status"] not in CapacityStatus.values:
        return f"capacity_status must be one of {', '.join(CapacityStatus.values)}"
    for name in ("capacity_updated_at", "last_verified_at"):
        if data.get(name) and iso_moment(data[name]) is None:
            return f"{name} must be a date and time (ISO 8601)"
    modes = data.get("delivery_modes")
    if modes is not None and (not _is_text_list(modes) or set(modes) - set(MODES)):
        return f"delivery_modes must be a list among {', '.join(MODES)}"
    eligibility = data.get("eligibility", {})
    if not isinstance(eligibility, dict):
        return "eligibility must be an object"
    for name in ELIGIBILITY_LISTS:
        if name in eligibility and not _is_text_list(eligibility[name]):
            return f"eligibility.{name} must be a list of texts"
    ceiling = eligibility.get("income_ceiling")
    if ceiling is not None and (
        isinstance(ceiling, bool) or not isinstance(ceiling, int | float) or ceiling < 0
    ):
        return "eligibility.income_ceiling must be a positive number"
    prefixes = data.get("postal_prefixes")
    if prefixes is not None and not _is_text_list(prefixes):
        return "postal_prefixes must be a list of texts"
    if "territory" in data:
        return _territory_problem(data["territory"])
    return None


def _territory_problem(value: Any) -> str | None:
    from proxima.territories.models import LEVEL_ORDER
    from proxima.territories.services import territory_coded

    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != {"level", "code"}:
        return "territory must be an object with a level and a code"
    level, code = value["level"], value["code"]
    if level not in LEVEL_ORDER or not isinstance(code, str) or not 0 < len(code) <= 32:
        return f"territory.level must be one of {', '.join(LEVEL_ORDER)}, and code a text"
    if territory_coded(level, code) is None:
        return f"no current territory {level} {code!r}: import the territories first"
    return None


def apply_extension(kind: str, instance: Any, data: dict) -> set[str]:
    """Set the extension's values on the instance; returns the model fields changed."""
    changed: dict[str, Any] = {}
    if kind in TRANSLATABLE:
        if "text_language" in data:
            changed["text_language"] = str(data["text_language"])[:8]
        if "translations" in data:
            changed["translations"] = data["translations"]
    if kind == "service":
        for name in ("capacity_status", "is_free"):
            if name in data:
                changed[name] = data[name]
        for name in ("capacity_updated_at", "last_verified_at"):
            if data.get(name):
                changed[name] = iso_moment(data[name])
        if "delivery_modes" in data:
            for mode, field in MODES.items():
                changed[field] = mode in data["delivery_modes"]
        eligibility = data.get("eligibility", {})
        for name, field in ELIGIBILITY_LISTS.items():
            if name in eligibility:
                changed[field] = ",".join(eligibility[name])
        if "income_ceiling" in eligibility:
            changed["income_ceiling"] = eligibility["income_ceiling"]
    if kind == "location" and "is_confidential" in data:
        changed["is_confidential"] = bool(data["is_confidential"])
    if kind == "service_area" and "postal_prefixes" in data:
        changed["postal_prefixes"] = ",".join(data["postal_prefixes"])
    if kind == "service_area" and "territory" in data:
        from proxima.territories.services import territory_coded

        value = data["territory"]
        found = territory_coded(value["level"], value["code"]) if value else None
        changed["territory_id"] = found.pk if found else None
    for name, value in changed.items():
        setattr(instance, name, value)
    return set(changed)


def _split(value: str) -> list[str]:
    return [v for v in (value or "").split(",") if v]


def extension_of(kind: str, instance: Any) -> dict:
    """The extension object for export (empty when there is nothing beyond HSDS)."""
    data: dict[str, Any] = {}
    if kind in TRANSLATABLE:
        data["text_language"] = instance.text_language
        if instance.translations:
            data["translations"] = instance.translations
    if kind == "service":
        data["capacity_status"] = instance.capacity_status
        for name in ("capacity_updated_at", "last_verified_at"):
            value = getattr(instance, name)
            if value:
                data[name] = value.isoformat()
        data["delivery_modes"] = instance.delivery_modes
        if instance.is_free is not None:
            data["is_free"] = instance.is_free
        eligibility: dict[str, Any] = {
            name: _split(getattr(instance, field))
            for name, field in ELIGIBILITY_LISTS.items()
            if getattr(instance, field)
        }
        if instance.income_ceiling is not None:
            eligibility["income_ceiling"] = int(instance.income_ceiling)
        if eligibility:
            data["eligibility"] = eligibility
    if kind == "location" and instance.is_confidential:
        data["is_confidential"] = True
    if kind == "service_area" and instance.postal_prefixes:
        data["postal_prefixes"] = _split(instance.postal_prefixes)
    if kind == "service_area" and instance.territory_id:
        data["territory"] = {"level": instance.territory.level, "code": instance.territory.code}
    return data
