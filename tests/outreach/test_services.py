"""Recording an outreach contact: stored once whatever the number of sends, a conflict
when the id holds another contact, its rules, and who reads what."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from proxima.core.models import AuditEvent
from proxima.emergency.services import dashboard
from proxima.intake.models import Channel, ContactEpisode
from proxima.outreach import services
from proxima.outreach.models import OutreachContact
from tests.outreach.conftest import contact_input, event_of

pytestmark = pytest.mark.django_db


def test_a_contact_is_stored_as_an_anonymous_closed_outreach_contact(worker):
    contact, created = services.record_contact(contact_input(), by=worker)
    assert created
    episode = contact.episode
    assert episode.channel == Channel.MOBILE_OUTREACH
    assert episode.person is None and episode.closed_at is not None
    assert episode.started_at == contact.met_at
    assert contact.team.code == "mobile_outreach"
    assert contact.region_id == worker.region_id
    assert AuditEvent.objects.filter(action="record_outreach", object_id=str(contact.pk)).exists()


def test_the_same_contact_sent_again_is_stored_once(worker):
    data = contact_input()
    first, created = services.record_contact(data, by=worker)
    again, created_again = services.record_contact(data, by=worker)
    assert created and not created_again
    assert again.pk == first.pk
    assert OutreachContact.objects.count() == 1
    assert ContactEpisode.objects.filter(channel=Channel.MOBILE_OUTREACH).count() == 1


def test_another_contact_under_the_same_id_is_a_conflict_and_nothing_is_written(worker):
    data = contact_input()
    services.record_contact(data, by=worker)
    changed = contact_input(id=data.id, place="Ailleurs")
    with pytest.raises(services.OutreachConflict):
        services.record_contact(changed, by=worker)
    assert OutreachContact.objects.get().place == "Parc Victoria"
    assert ContactEpisode.objects.count() == 1


def test_an_id_used_by_another_worker_is_a_conflict_even_with_the_same_content(worker, teammate):
    data = contact_input()
    services.record_contact(data, by=worker)
    with pytest.raises(services.OutreachConflict):
        services.record_contact(data, by=teammate)
    assert OutreachContact.objects.get().recorded_by == worker


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        # Moments are taken when the test runs (from now), not when it is collected.
        ({"met_at": timedelta(hours=1)}, "met_at"),
        ({"met_at": -timedelta(days=31)}, "met_at"),
        ({"place": "   "}, "place"),
        ({"place": "x" * 201}, "place"),
        ({"people_count": 0}, "people_count"),
        ({"people_count": 51}, "people_count"),
        ({"age_band": "40"}, "age_band"),
        ({"help_given": ["money"]}, "help_given"),
        ({"need_domains": ["food", "unicorns"]}, "need_domains"),
        ({"orientation": "police"}, "orientation"),
        ({"note": "x" * 1001}, "note"),
    ],
)
def test_what_cannot_be_recorded_is_said_by_field_and_nothing_is_written(worker, changes, field):
    if isinstance(changes.get("met_at"), timedelta):
        changes = changes | {"met_at": timezone.now() + changes["met_at"]}
    with pytest.raises(services.OutreachInputError) as refused:
        services.record_contact(contact_input(**changes), by=worker)
    assert field in refused.value.errors
    assert not OutreachContact.objects.exists() and not ContactEpisode.objects.exists()


def test_a_contact_of_an_emergency_must_fall_while_it_was_under_way(worker, region, coordinator):
    closed = event_of(region, coordinator, closed=True)
    after = contact_input(event=closed, met_at=timezone.now() - timedelta(minutes=5))
    with pytest.raises(services.OutreachInputError) as refused:
        services.record_contact(after, by=worker)
    assert "event" in refused.value.errors
    during = contact_input(event=closed, met_at=timezone.now() - timedelta(hours=3))
    contact, created = services.record_contact(during, by=worker)
    assert created and contact.event == closed
    figures = dashboard(closed)  # the emergency's dashboard counts it
    assert (figures.outreach_contacts, figures.outreach_people) == (1, 2)


def test_an_emergency_of_another_region_is_refused(worker, elsewhere, stranger):
    foreign = event_of(elsewhere, stranger)
    with pytest.raises(services.OutreachInputError) as refused:
        services.record_contact(contact_input(event=foreign), by=worker)
    assert "event" in refused.value.errors


def test_only_outreach_workers_of_a_region_record(refused_roles):
    for user in refused_roles.values():
        with pytest.raises(PermissionDenied):
            services.record_contact(contact_input(), by=user)
    assert not OutreachContact.objects.exists()


def test_who_reads_which_contacts(worker, teammate, other_team, coordinator, stranger):
    mine, _ = services.record_contact(contact_input(), by=worker)
    theirs, _ = services.record_contact(contact_input(), by=other_team)
    foreign, _ = services.record_contact(contact_input(), by=stranger)
    assert set(services.visible_to(worker)) == {mine}
    assert set(services.visible_to(teammate)) == {mine}  # the same team
    assert set(services.visible_to(other_team)) == {theirs}
    assert set(services.visible_to(coordinator)) == {mine, theirs}
    assert set(services.visible_to(stranger)) == {foreign}


def test_reading_the_list_is_audited(worker):
    services.record_contact(contact_input(), by=worker)
    listed = services.contacts_for(worker)
    assert len(listed["contacts"]) == 1
    assert AuditEvent.objects.filter(action="read_outreach", actor=worker).exists()


def test_a_replay_is_found_whatever_its_moment_says_today(worker):
    data = contact_input(met_at=timezone.now() - timedelta(days=29, hours=23))
    services.record_contact(data, by=worker)
    # Sent again later, from a phone whose clock correction now puts it past 30 days.
    again = contact_input(**{**data.__dict__, "clock_offset": -timedelta(hours=2)})
    found, created = services.record_contact(again, by=worker)
    assert not created and OutreachContact.objects.count() == 1
