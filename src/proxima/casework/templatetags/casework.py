"""Casework's part of other apps' pages: a person's cases on their record (people does
not import casework; its template loads this tag)."""

from django import template

from proxima.casework import services

register = template.Library()


@register.inclusion_tag("casework/person_cases.html", takes_context=True)
def person_cases(context, person) -> dict:
    """The person's cases the reader may read (the record's read is audited already),
    the open ones first, and whether the reader may open one."""
    user = context["request"].user
    return {
        "person": person,
        "cases": services.cases_of(person, by=user),
        "may_open": services.keeps_caseload(user) and person.region_id == user.region_id,
    }
