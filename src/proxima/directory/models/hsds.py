"""HSDS 3.0 objects, field for field, plus Proxima's own fields (marked "Proxima").

Names follow the standard so the import/export maps one to one. Identifiers are the
publisher's strings, which makes re-imports idempotent.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from proxima.core.links import validate_safe_link
from proxima.directory.models.base import HsdsRecord, Translatable, hsds_id_field, optional_fk

T = models.TextField
OPTIONAL_TEXT = {"blank": True, "default": ""}


class Organization(Translatable):
    id = hsds_id_field()
    name = T(_("name"))
    alternate_name = T(_("alternate name"), **OPTIONAL_TEXT)
    description = T(_("description"), **OPTIONAL_TEXT)
    email = T(_("email"), **OPTIONAL_TEXT)
    website = T(_("website"), validators=[validate_safe_link], **OPTIONAL_TEXT)
    tax_status = T(**OPTIONAL_TEXT)
    tax_id = T(**OPTIONAL_TEXT)
    year_incorporated = models.FloatField(null=True, blank=True)
    legal_status = T(**OPTIONAL_TEXT)
    logo = T(**OPTIONAL_TEXT)
    uri = T(**OPTIONAL_TEXT)
    # Kept as a plain identifier: HSDS allows a parent that is not in the same dataset.
    parent_organization_id = models.CharField(max_length=250, blank=True, default="")
    # Proxima
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name


class Program(Translatable):
    id = hsds_id_field()
    organization = optional_fk("Organization", "programs")
    name = T(_("name"))
    alternate_name = T(**OPTIONAL_TEXT)
    description = T(**OPTIONAL_TEXT)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")

    def __str__(self) -> str:
        return self.name


class CapacityStatus(models.TextChoices):
    OPEN = "open", _("Accepting requests")
    WAITLIST = "waitlist", _("Waiting list")
    FULL = "full", _("Full")


class Service(Translatable):
    id = hsds_id_field()
    organization = optional_fk("Organization", "services", _("organization"))
    program = models.ForeignKey(
        "Program", null=True, blank=True, on_delete=models.SET_NULL, related_name="services"
    )
    name = T(_("name"))
    alternate_name = T(_("alternate name"), **OPTIONAL_TEXT)
    description = T(_("description"), **OPTIONAL_TEXT)
    url = T(_("website"), validators=[validate_safe_link], **OPTIONAL_TEXT)
    email = T(_("email"), **OPTIONAL_TEXT)
    status = models.CharField(_("status"), max_length=32, default="active")
    interpretation_services = T(_("interpretation services"), **OPTIONAL_TEXT)
    application_process = T(_("how to apply"), **OPTIONAL_TEXT)
    fees_description = T(_("fees"), **OPTIONAL_TEXT)
    wait_time = T(**OPTIONAL_TEXT)
    fees = T(**OPTIONAL_TEXT)
    accreditations = T(**OPTIONAL_TEXT)
    eligibility_description = T(_("eligibility"), **OPTIONAL_TEXT)
    minimum_age = models.FloatField(_("minimum age"), null=True, blank=True)
    maximum_age = models.FloatField(_("maximum age"), null=True, blank=True)
    assured_date = T(**OPTIONAL_TEXT)
    assurer_email = T(**OPTIONAL_TEXT)
    licenses = T(**OPTIONAL_TEXT)
    alert = T(_("alert"), **OPTIONAL_TEXT)
    last_modified = models.DateTimeField(_("last modified"), null=True, blank=True, db_index=True)

    # Proxima: capacity, verification, delivery, cost, evaluable eligibility.
    capacity_status = models.CharField(
        _("capacity"), max_length=16, choices=CapacityStatus.choices, default=CapacityStatus.OPEN
    )
    capacity_updated_at = models.DateTimeField(_("capacity updated"), null=True, blank=True)
    last_verified_at = models.DateTimeField(_("last verified"), null=True, blank=True)
    last_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("verified by"),
    )
    delivers_in_person = models.BooleanField(_("in person"), default=True)
    delivers_by_phone = models.BooleanField(_("by phone"), default=False)
    delivers_online = models.BooleanField(_("online"), default=False)
    delivers_home_visit = models.BooleanField(_("home visits"), default=False)
    is_free = models.BooleanField(_("free of charge"), null=True, blank=True)
    eligible_genders = models.CharField(_("genders served"), max_length=100, blank=True)
    eligible_household_types = models.CharField(_("household types"), max_length=200, blank=True)
    eligible_statuses = models.CharField(_("required status"), max_length=200, blank=True)
    income_ceiling = models.DecimalField(
        _("household income ceiling ($/year)"),
        max_digits=10,
        decimal_places=0,
        null=True,
        blank=True,
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.name

    @property
    def delivery_modes(self) -> list[str]:
        modes = {
            "in_person": self.delivers_in_person,
            "phone": self.delivers_by_phone,
            "online": self.delivers_online,
            "home_visit": self.delivers_home_visit,
        }
        return [mode for mode, offered in modes.items() if offered]


class Location(Translatable):
    id = hsds_id_field()
    location_type = models.CharField(_("type"), max_length=16, default="physical")
    url = T(validators=[validate_safe_link], **OPTIONAL_TEXT)
    organization = optional_fk("Organization", "locations")
    name = T(_("name"), **OPTIONAL_TEXT)
    alternate_name = T(**OPTIONAL_TEXT)
    description = T(**OPTIONAL_TEXT)
    transportation = T(_("transportation"), **OPTIONAL_TEXT)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    external_identifier = T(**OPTIONAL_TEXT)
    external_identifier_type = T(**OPTIONAL_TEXT)
    # Proxima: a shelter's address and pin are never public.
    is_confidential = models.BooleanField(_("confidential location"), default=False)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self) -> str:
        return self.name or self.id

    @property
    def has_valid_point(self) -> bool:
        return (
            self.latitude is not None
            and self.longitude is not None
            and -90 <= self.latitude <= 90
            and -180 <= self.longitude <= 180
        )


class ServiceAtLocation(HsdsRecord):
    id = hsds_id_field()
    service = optional_fk("Service", "service_at_locations")
    location = optional_fk("Location", "service_at_locations")
    description = T(**OPTIONAL_TEXT)

    class Meta:
        verbose_name = _("service at location")
        verbose_name_plural = _("services at locations")


class Address(models.Model):
    id = hsds_id_field()
    location = optional_fk("Location", "addresses")
    attention = T(**OPTIONAL_TEXT)
    address_1 = T(_("address"))
    address_2 = T(**OPTIONAL_TEXT)
    city = T(_("city"))
    region = T(**OPTIONAL_TEXT)
    state_province = T(_("province"))
    postal_code = T(_("postal code"))
    country = models.CharField(_("country"), max_length=8)
    address_type = models.CharField(max_length=16, default="physical")

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")

    def __str__(self) -> str:
        return f"{self.address_1}, {self.city}"


class Contact(HsdsRecord):
    id = hsds_id_field()
    organization = optional_fk("Organization", "contacts")
    service = optional_fk("Service", "contacts")
    service_at_location = optional_fk("ServiceAtLocation", "contacts")
    location = optional_fk("Location", "contacts")
    name = T(**OPTIONAL_TEXT)
    title = T(**OPTIONAL_TEXT)
    department = T(**OPTIONAL_TEXT)
    email = T(**OPTIONAL_TEXT)


class Phone(HsdsRecord):
    id = hsds_id_field()
    location = optional_fk("Location", "phones")
    service = optional_fk("Service", "phones")
    organization = optional_fk("Organization", "phones")
    contact = optional_fk("Contact", "phones")
    service_at_location = optional_fk("ServiceAtLocation", "phones")
    number = T(_("number"))
    extension = models.FloatField(null=True, blank=True)
    type = models.CharField(max_length=32, blank=True, default="")
    description = T(**OPTIONAL_TEXT)


class Schedule(HsdsRecord):
    id = hsds_id_field()
    service = optional_fk("Service", "schedules")
    location = optional_fk("Location", "schedules")
    service_at_location = optional_fk("ServiceAtLocation", "schedules")
    valid_from = models.CharField(max_length=32, blank=True, default="")
    valid_to = models.CharField(max_length=32, blank=True, default="")
    dtstart = models.CharField(max_length=32, blank=True, default="")
    timezone = models.FloatField(null=True, blank=True)
    until = models.CharField(max_length=32, blank=True, default="")
    count = models.IntegerField(null=True, blank=True)
    wkst = models.CharField(max_length=8, blank=True, default="")
    freq = models.CharField(max_length=16, blank=True, default="")
    interval = models.IntegerField(null=True, blank=True)
    byday = models.CharField(max_length=64, blank=True, default="")
    byweekno = models.CharField(max_length=200, blank=True, default="")
    bymonthday = models.CharField(max_length=200, blank=True, default="")
    byyearday = models.CharField(max_length=400, blank=True, default="")
    description = T(**OPTIONAL_TEXT)
    opens_at = models.CharField(max_length=16, blank=True, default="")
    closes_at = models.CharField(max_length=16, blank=True, default="")
    schedule_link = T(**OPTIONAL_TEXT)
    attending_type = T(**OPTIONAL_TEXT)
    notes = T(**OPTIONAL_TEXT)

    class Meta:
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")


class ServiceArea(HsdsRecord):
    id = hsds_id_field()
    service = optional_fk("Service", "service_areas")
    name = T(**OPTIONAL_TEXT)
    description = T(**OPTIONAL_TEXT)
    extent = T(**OPTIONAL_TEXT)
    extent_type = models.CharField(max_length=16, blank=True, default="")
    uri = T(**OPTIONAL_TEXT)
    # Proxima: the postal prefixes (FSA "K1L", or shorter "G1") this area covers, comma separated.
    postal_prefixes = models.CharField(_("postal prefixes"), max_length=1000, blank=True)
    # Proxima: the territory this area is (proxima.territories): the service serves the
    # places inside it. Set by the listing's editor, the `proxima` extension of an import,
    # or an import's area named exactly like one territory.
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_areas",
    )


class Language(HsdsRecord):
    id = hsds_id_field()
    service = optional_fk("Service", "languages")
    location = optional_fk("Location", "languages")
    phone = optional_fk("Phone", "languages")
    name = T(**OPTIONAL_TEXT)
    code = models.CharField(max_length=16, blank=True, default="", db_index=True)
    note = T(**OPTIONAL_TEXT)


class CostOption(HsdsRecord):
    id = hsds_id_field()
    service = optional_fk("Service", "cost_options")
    valid_from = models.CharField(max_length=32, blank=True, default="")
    valid_to = models.CharField(max_length=32, blank=True, default="")
    option = T(**OPTIONAL_TEXT)
    currency = models.CharField(max_length=8, blank=True, default="")
    amount = models.FloatField(null=True, blank=True)
    amount_description = T(**OPTIONAL_TEXT)


class Funding(HsdsRecord):
    id = hsds_id_field()
    organization = optional_fk("Organization", "funding")
    service = optional_fk("Service", "funding")
    source = T(**OPTIONAL_TEXT)


class Accessibility(HsdsRecord):
    id = hsds_id_field()
    location = optional_fk("Location", "accessibility")
    description = T(**OPTIONAL_TEXT)
    details = T(**OPTIONAL_TEXT)
    url = T(validators=[validate_safe_link], **OPTIONAL_TEXT)


class RequiredDocument(HsdsRecord):
    id = hsds_id_field()
    service = optional_fk("Service", "required_documents")
    document = T(**OPTIONAL_TEXT)
    uri = T(**OPTIONAL_TEXT)


class OrganizationIdentifier(HsdsRecord):
    id = hsds_id_field()
    organization = optional_fk("Organization", "organization_identifiers")
    identifier_scheme = T(**OPTIONAL_TEXT)
    identifier_type = T()
    identifier = T()


class Attribute(HsdsRecord):
    """A taxonomy term attached to a record (`link_entity` names its table).

    HSDS data may attach one attribute id to several records, so the row is keyed by
    (HSDS id, link) and `hsds_id` alone is not unique.
    """

    row_id = models.BigAutoField(primary_key=True)
    hsds_id = models.CharField(max_length=250, db_index=True)
    link_id = models.CharField(max_length=250, blank=True, default="", db_index=True)
    link_type = T(**OPTIONAL_TEXT)
    link_entity = models.CharField(max_length=64, blank=True, default="")
    taxonomy_term = models.ForeignKey(
        "TaxonomyTerm", null=True, blank=True, on_delete=models.CASCADE, related_name="attributes"
    )
    value = T(**OPTIONAL_TEXT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hsds_id", "link_id"], name="attribute_once_per_link")
        ]
        indexes = [models.Index(fields=["link_entity", "link_id"])]


class Metadata(HsdsRecord):
    """A change record about a resource; keyed like Attribute, for the same reason."""

    row_id = models.BigAutoField(primary_key=True)
    hsds_id = models.CharField(max_length=250, db_index=True)
    resource_id = models.CharField(max_length=250, blank=True, default="", db_index=True)
    resource_type = models.CharField(max_length=64, blank=True, default="")
    last_action_date = models.CharField(max_length=40)
    last_action_type = T()
    field_name = T()
    previous_value = T()
    replacement_value = T()
    updated_by = T()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["hsds_id", "resource_id"], name="metadata_once_per_resource"
            )
        ]


class MetaTableDescription(HsdsRecord):
    id = hsds_id_field()
    name = T(**OPTIONAL_TEXT)
    language = models.CharField(max_length=16, blank=True, default="")
    character_set = models.CharField(max_length=32, blank=True, default="")
