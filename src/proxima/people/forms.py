"""Reading the person page's forms into the service inputs, with errors in the user's
language for what cannot even be parsed (an impossible date, an unknown recipient)."""

from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _

from proxima.core.forms import day_or_error
from proxima.directory.models import Organization
from proxima.people.models import GUARDIAN_RELATIONSHIPS, Person
from proxima.people.services.consent import ConsentInput
from proxima.people.services.records import PersonInput, PersonInputError

# The person fields a worker may type, as (form field, PersonInput field).
PERSON_FIELDS = (
    "given_name",
    "family_name",
    "preferred_name",
    "pronouns",
    "language",
    "phone",
    "email",
    "postal_code",
)


def date_or_error(value: str, field: str) -> date | None:
    """A date typed as YYYY-MM-DD (the date input's format), or a clear error."""
    return day_or_error(value, field, error=PersonInputError)


def person_input(post, prefix: str = "") -> PersonInput:
    values = {name: post.get(prefix + name, "") for name in PERSON_FIELDS}
    values["language"] = values["language"] or "fr"
    return PersonInput(
        birth_date=date_or_error(post.get(prefix + "birth_date", ""), "birth_date"),
        needs_interpreter=post.get(prefix + "needs_interpreter") == "on",
        **values,
    )


def guardians_of(person: Person) -> list[Person]:
    """The parents and legal guardians recorded in the person's household."""
    return [
        link.relative
        for link in person.household_links.select_related("relative")
        if link.relationship in GUARDIAN_RELATIONSHIPS
    ]


def consent_input(post, person: Person) -> ConsentInput:
    """`recipient` is "team:<code>" or "org:<id>"; `expires_on` a date (valid through
    that whole day); the guardian must be one of the person's recorded guardians."""
    errors: dict[str, str] = {}
    recipient = post.get("recipient", "")
    organization, team = None, ""
    if recipient.startswith("team:"):
        team = recipient.removeprefix("team:")
    elif recipient.startswith("org:"):
        organization = Organization.objects.filter(pk=recipient.removeprefix("org:")).first()
        if organization is None:
            errors["recipient"] = _("Unknown organization.")
    guardian = None
    if post.get("guardian"):
        guardian = next((g for g in guardians_of(person) if str(g.pk) == post["guardian"]), None)
        if guardian is None:
            errors["guardian"] = _("The consent giver is not a parent or guardian of this person.")
    expires_at: datetime | None = None
    try:
        expires_on = date_or_error(post.get("expires_on", ""), "expires_at")
    except PersonInputError as error:
        errors.update(error.errors)
    else:
        if expires_on is not None:
            expires_at = timezone.make_aware(datetime.combine(expires_on, time.max))
    if errors:
        raise PersonInputError(errors)
    return ConsentInput(
        categories=post.getlist("categories"),
        purpose=post.get("purpose", ""),
        method=post.get("method", ""),
        recipient_organization=organization,
        recipient_team=team,
        guardian=guardian,
        expires_at=expires_at,
    )
