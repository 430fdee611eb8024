"""The agreements a page about a referral shows: the access mechanism of each agreement in
force that its receiving organization or team is party to (referrals' templates load this;
the referrals app itself imports nothing from agreements)."""

from django import template

from proxima.agreements.services import in_force_for, in_force_with

register = template.Library()


@register.inclusion_tag("agreements/access_mechanisms.html", takes_context=True)
def access_mechanisms(context, referral):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"agreements": in_force_for(referral, by=user) if user is not None else []}


@register.inclusion_tag("agreements/access_mechanisms.html", takes_context=True)
def access_mechanisms_of_service(context, service):
    """Before a referral is sent: the agreements in force the service's organization is
    party to, in the user's region."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or service is None:
        return {"agreements": []}
    return {
        "agreements": in_force_with(
            region_id=getattr(user, "region_id", None),
            organization_id=service.organization_id,
            by=user,
        )
    }
