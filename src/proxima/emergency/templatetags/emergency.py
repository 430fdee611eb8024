"""The emergency mode's part of other apps' pages: the region's active events as context
on the 811 screens (intake does not import emergency; its templates load this tag)."""

from django import template

from proxima.emergency import services

register = template.Library()


@register.inclusion_tag("emergency/banner.html", takes_context=True)
def emergency_banner(context, episode=None) -> dict:
    """The region's active events (title, kind, place, date, a link to the event), for
    those who respond to emergencies; on a contact's screen, a button linking the call
    to the event (or that it is linked)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not services.responds(user):
        return {"events": []}
    events = list(services.active_events(user.region_id).select_related("territory"))
    linked = services.linked_event_ids(episode) if episode is not None and events else set()
    for event in events:
        event.is_linked = event.pk in linked
        event.is_linkable = episode is not None and services.is_linkable(event, episode)
    return {"events": events, "episode": episode}


@register.inclusion_tag("emergency/person_emergencies.html", takes_context=True)
def person_emergencies(context, person) -> dict:
    """On a person's record (its read audited already): the events they were registered
    in, and a link registering them in each active event of the region."""
    user = context["request"].user
    if not services.responds(user, person.region_id):
        return {"registrations": [], "events": []}
    return {
        "person": person,
        "registrations": services.registrations_of(person, by=user),
        "events": list(services.active_events(person.region_id)),
    }
