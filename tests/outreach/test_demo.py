"""The demo's outreach contacts: recorded by the demo outreach worker, most sent from the
phone's queue, each counted as an anonymous mobile outreach contact; loaded once."""

import pytest

from proxima.accounts.demo import create_demo_accounts
from proxima.intake.models import Channel
from proxima.outreach.demo import load_demo_outreach
from proxima.outreach.models import OutreachContact
from proxima.territories.demo import load_demo_territories

pytestmark = pytest.mark.django_db


def test_the_demo_has_outreach_contacts_sent_from_a_phone_queue():
    load_demo_territories()
    create_demo_accounts(None)
    assert load_demo_outreach() == 5
    contacts = OutreachContact.objects.filter(recorded_by__username="proximite")
    assert contacts.count() == 5
    assert contacts.filter(was_queued=True).count() == 4
    assert all(c.episode.channel == Channel.MOBILE_OUTREACH for c in contacts)
    assert all(c.team.code == "mobile_outreach" for c in contacts)
    assert load_demo_outreach() == 0  # again: nothing doubled
    assert OutreachContact.objects.count() == 5
