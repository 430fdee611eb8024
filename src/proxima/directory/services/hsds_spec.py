"""HSDS 3.0 objects as data: fields with their types, nested arrays and single objects.

Import, export and validation all read this one description, which mirrors the official
schemas (schema/*.json) and the tabular package (one CSV per table).
"""

from dataclasses import dataclass, field

from proxima.directory import models as m

STRING, NUMBER, INTEGER = "string", "number", "integer"


@dataclass(frozen=True)
class Child:
    """A nested array: its items are `kind` objects whose `link` field holds the parent id."""

    kind: str
    link: str


@dataclass(frozen=True)
class Single:
    """A nested single object whose id the parent holds in `link` (e.g. service.organization_id)."""

    kind: str
    link: str


@dataclass(frozen=True)
class HsdsKind:
    name: str
    table: str  # CSV file name without .csv
    model: type
    fields: dict[str, str]  # HSDS field → type (every scalar, including *_id links)
    required: tuple[str, ...] = ("id",)
    children: dict[str, Child] = field(default_factory=dict)
    singles: dict[str, Single] = field(default_factory=dict)
    enums: dict[str, tuple[str, ...]] = field(default_factory=dict)
    id_field: str = "id"  # model field holding the HSDS id

    @property
    def link_fields(self) -> list[str]:
        return [name for name in self.fields if name.endswith("_id") and name != "id"]


def _s(*names: str) -> dict[str, str]:
    return dict.fromkeys(names, STRING)


ANNOTATIONS = {
    "attributes": Child("attribute", "link_id"),
    "metadata": Child("metadata", "resource_id"),
}
LOCATION_TYPES = ("physical", "postal", "virtual")

KINDS: dict[str, HsdsKind] = {}


def _kind(kind: HsdsKind) -> None:
    KINDS[kind.name] = kind


_kind(
    HsdsKind(
        "organization",
        "organizations",
        m.Organization,
        {
            **_s(
                "id",
                "name",
                "alternate_name",
                "description",
                "email",
                "website",
                "tax_status",
                "tax_id",
            ),
            "year_incorporated": NUMBER,
            **_s("legal_status", "logo", "uri", "parent_organization_id"),
        },
        required=("id", "name", "description"),
        children={
            "funding": Child("funding", "organization_id"),
            "contacts": Child("contact", "organization_id"),
            "phones": Child("phone", "organization_id"),
            "locations": Child("location", "organization_id"),
            "programs": Child("program", "organization_id"),
            "organization_identifiers": Child("organization_identifier", "organization_id"),
            **ANNOTATIONS,
        },
    )
)
_kind(
    HsdsKind(
        "program",
        "programs",
        m.Program,
        _s("id", "organization_id", "name", "alternate_name", "description"),
        required=("id", "name", "description"),
        children=dict(ANNOTATIONS),
    )
)
_kind(
    HsdsKind(
        "service",
        "services",
        m.Service,
        {
            **_s(
                "id",
                "organization_id",
                "program_id",
                "name",
                "alternate_name",
                "description",
                "url",
                "email",
                "status",
                "interpretation_services",
                "application_process",
                "fees_description",
                "wait_time",
                "fees",
                "accreditations",
                "eligibility_description",
            ),
            "minimum_age": NUMBER,
            "maximum_age": NUMBER,
            **_s("assured_date", "assurer_email", "licenses", "alert", "last_modified"),
        },
        required=("id", "name", "status"),
        children={
            "phones": Child("phone", "service_id"),
            "schedules": Child("schedule", "service_id"),
            "service_areas": Child("service_area", "service_id"),
            "service_at_locations": Child("service_at_location", "service_id"),
            "languages": Child("language", "service_id"),
            "funding": Child("funding", "service_id"),
            "cost_options": Child("cost_option", "service_id"),
            "required_documents": Child("required_document", "service_id"),
            "contacts": Child("contact", "service_id"),
            **ANNOTATIONS,
        },
        singles={
            "organization": Single("organization", "organization_id"),
            "program": Single("program", "program_id"),
        },
        enums={"status": ("active", "inactive", "defunct", "temporarily closed")},
    )
)
_kind(
    HsdsKind(
        "service_at_location",
        "service_at_location",
        m.ServiceAtLocation,
        _s("id", "service_id", "location_id", "description"),
        children={
            "contacts": Child("contact", "service_at_location_id"),
            "phones": Child("phone", "service_at_location_id"),
            "schedules": Child("schedule", "service_at_location_id"),
            **ANNOTATIONS,
        },
        singles={
            "location": Single("location", "location_id"),
            "service": Single("service", "service_id"),
        },
    )
)
_kind(
    HsdsKind(
        "location",
        "locations",
        m.Location,
        {
            **_s(
                "id",
                "location_type",
                "url",
                "organization_id",
                "name",
                "alternate_name",
                "description",
                "transportation",
            ),
            "latitude": NUMBER,
            "longitude": NUMBER,
            **_s("external_identifier", "external_identifier_type"),
        },
        required=("id", "location_type"),
        children={
            "languages": Child("language", "location_id"),
            "addresses": Child("address", "location_id"),
            "contacts": Child("contact", "location_id"),
            "accessibility": Child("accessibility", "location_id"),
            "phones": Child("phone", "location_id"),
            "schedules": Child("schedule", "location_id"),
            **ANNOTATIONS,
        },
        enums={"location_type": LOCATION_TYPES},
    )
)
_kind(
    HsdsKind(
        "address",
        "addresses",
        m.Address,
        _s(
            "id",
            "location_id",
            "attention",
            "address_1",
            "address_2",
            "city",
            "region",
            "state_province",
            "postal_code",
            "country",
            "address_type",
        ),
        required=(
            "id",
            "address_1",
            "city",
            "state_province",
            "postal_code",
            "country",
            "address_type",
        ),
        children=dict(ANNOTATIONS),
        enums={"address_type": LOCATION_TYPES},
    )
)
_kind(
    HsdsKind(
        "phone",
        "phones",
        m.Phone,
        {
            **_s(
                "id",
                "location_id",
                "service_id",
                "organization_id",
                "contact_id",
                "service_at_location_id",
                "number",
            ),
            "extension": NUMBER,
            **_s("type", "description"),
        },
        required=("id", "number"),
        children={"languages": Child("language", "phone_id"), **ANNOTATIONS},
    )
)
_kind(
    HsdsKind(
        "contact",
        "contacts",
        m.Contact,
        _s(
            "id",
            "organization_id",
            "service_id",
            "service_at_location_id",
            "location_id",
            "name",
            "title",
            "department",
            "email",
        ),
        children={"phones": Child("phone", "contact_id"), **ANNOTATIONS},
    )
)
_kind(
    HsdsKind(
        "schedule",
        "schedules",
        m.Schedule,
        {
            **_s(
                "id",
                "service_id",
                "location_id",
                "service_at_location_id",
                "valid_from",
                "valid_to",
                "dtstart",
            ),
            "timezone": NUMBER,
            "until": STRING,
            "count": INTEGER,
            "wkst": STRING,
            "freq": STRING,
            "interval": INTEGER,
            **_s(
                "byday",
                "byweekno",
                "bymonthday",
                "byyearday",
                "description",
                "opens_at",
                "closes_at",
                "schedule_link",
                "attending_type",
                "notes",
            ),
        },
        children=dict(ANNOTATIONS),
    )
)
_kind(
    HsdsKind(
        "service_area",
        "service_areas",
        m.ServiceArea,
        _s("id", "service_id", "name", "description", "extent", "extent_type", "uri"),
        children=dict(ANNOTATIONS),
    )
)
_kind(
    HsdsKind(
        "language",
        "languages",
        m.Language,
        _s("id", "service_id", "location_id", "phone_id", "name", "code", "note"),
        children=dict(ANNOTATIONS),
    )
)
_kind(
    HsdsKind(
        "cost_option",
        "cost_options",
        m.CostOption,
        {
            **_s("id", "service_id", "valid_from", "valid_to", "option", "currency"),
            "amount": NUMBER,
            "amount_description": STRING,
        },
        children=dict(ANNOTATIONS),
    )
)
_kind(
    HsdsKind(
        "funding",
        "funding",
        m.Funding,
        _s("id", "organization_id", "service_id", "source"),
        children=dict(ANNOTATIONS),
    )
)
_kind(
    HsdsKind(
        "accessibility",
        "accessibility",
        m.Accessibility,
        _s("id", "location_id", "description", "details", "url"),
        children=dict(ANNOTATIONS),
    )
)
_kind(
    HsdsKind(
        "required_document",
        "required_documents",
        m.RequiredDocument,
        _s("id", "service_id", "document", "uri"),
        children=dict(ANNOTATIONS),
    )
)
_kind(
    HsdsKind(
        "organization_identifier",
        "organization_identifiers",
        m.OrganizationIdentifier,
        _s("id", "organization_id", "identifier_scheme", "identifier_type", "identifier"),
        required=("id", "identifier_type", "identifier"),
        children=dict(ANNOTATIONS),
    )
)
_kind(
    HsdsKind(
        "attribute",
        "attributes",
        m.Attribute,
        _s("id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"),
        children={"metadata": ANNOTATIONS["metadata"]},
        singles={"taxonomy_term": Single("taxonomy_term", "taxonomy_term_id")},
        id_field="hsds_id",
    )
)
_kind(
    HsdsKind(
        "metadata",
        "metadata",
        m.Metadata,
        _s(
            "id",
            "resource_id",
            "resource_type",
            "last_action_date",
            "last_action_type",
            "field_name",
            "previous_value",
            "replacement_value",
            "updated_by",
        ),
        required=(
            "id",
            "last_action_date",
            "last_action_type",
            "field_name",
            "previous_value",
            "replacement_value",
            "updated_by",
        ),
        id_field="hsds_id",
    )
)
_kind(
    HsdsKind(
        "meta_table_description",
        "meta_table_descriptions",
        m.MetaTableDescription,
        _s("id", "name", "language", "character_set"),
    )
)
_kind(
    HsdsKind(
        "taxonomy",
        "taxonomies",
        m.Taxonomy,
        _s("id", "name", "description", "uri", "version"),
        required=("id", "name", "description"),
        children={"metadata": ANNOTATIONS["metadata"]},
    )
)
_kind(
    HsdsKind(
        "taxonomy_term",
        "taxonomy_terms",
        m.TaxonomyTerm,
        _s(
            "id",
            "code",
            "name",
            "description",
            "parent_id",
            "taxonomy",
            "language",
            "taxonomy_id",
            "term_uri",
        ),
        required=("id", "name", "description"),
        children={"metadata": ANNOTATIONS["metadata"]},
        singles={"taxonomy_detail": Single("taxonomy", "taxonomy_id")},
    )
)

# Order of writing and of the tabular package (parents before children).
WRITE_ORDER = [
    "taxonomy",
    "taxonomy_term",
    "organization",
    "program",
    "service",
    "location",
    "service_at_location",
    "contact",
    "phone",
    "address",
    "schedule",
    "service_area",
    "language",
    "cost_option",
    "funding",
    "accessibility",
    "required_document",
    "organization_identifier",
    "attribute",
    "metadata",
    "meta_table_description",
]
# Links that must resolve to a record in the data or the directory; other links may point
# outside the dataset and are kept as given.
REQUIRED_LINKS = {
    ("service", "organization_id"): "organization",
    ("service", "program_id"): "program",
    ("program", "organization_id"): "organization",
    ("service_at_location", "service_id"): "service",
    ("service_at_location", "location_id"): "location",
    ("attribute", "taxonomy_term_id"): "taxonomy_term",
}
TOP_LEVEL_KINDS = (
    "service",
    "organization",
    "service_at_location",
    "location",
    "taxonomy",
    "taxonomy_term",
)
