"""The demo's emergency: a past flood, closed with its report, and its follow-ups."""

import pytest
from django.core.management import call_command

from proxima.emergency import services
from proxima.emergency.models import AffectedPerson, Event, FollowUp, Household

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_past_flood_with_its_follow_ups(capsys):
    call_command("demo")
    event = Event.objects.get()
    assert event.kind == "flood" and event.status == "closed" and event.report
    assert not services.active_events(event.region_id).exists()  # no banner in the demo
    assert event.closed_at > event.activated_at > event.declared_at
    assert Household.objects.filter(event=event).count() == 5
    assert AffectedPerson.objects.filter(event=event).count() == 12
    follow_ups = FollowUp.objects.filter(affected_person__event=event)
    assert (
        follow_ups.filter(status="done_reached").count()
        > follow_ups.filter(status="unreachable").count()
        > 0
    )
    assert follow_ups.filter(status="declined").count() == 1
    assert follow_ups.filter(status="cancelled").exists()  # after the one declined
    figures = services.dashboard(event)
    assert figures.follow_ups_overdue == 1 and figures.referrals_at_follow_up == 2
    assert figures.follow_ups_due == 11  # the +6 months calls to come (one declined)
    assert event.close_figures["registered"] == 12
    call_command("demo")  # again: nothing doubled
    assert Event.objects.count() == 1 and AffectedPerson.objects.count() == 12
    assert "Demo emergency" in capsys.readouterr().out
