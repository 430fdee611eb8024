"""The groups' part of other apps' pages: a person's groups on their record (people does
not import groups; its template loads this tag)."""

from django import template

from proxima.groups import services

register = template.Library()


@register.inclusion_tag("groups/person_groups.html", takes_context=True)
def person_groups(context, person) -> dict:
    """The person's registrations in the groups the reader may read, and whether the
    reader may register them in one of theirs."""
    user = context["request"].user
    return {
        "person": person,
        "registrations": services.registrations_of(person, by=user),
        "may_register": services.runs_groups(user) and person.region_id == user.region_id,
    }
