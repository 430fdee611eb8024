"""The audit log of the privacy officer's region: filtered, paged, in words, with the
chain's state; every read of it is itself written to the log."""

import pytest
from django.test import Client
from django.urls import reverse

from proxima.core.audit import check_audit_chain
from proxima.core.audit_chain import audit_maintenance
from proxima.core.models import AuditEvent
from proxima.core.roles import Role
from proxima.privacy.services import log as log_services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("privacy:log")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def montreal_read(network):
    """A read by a worker of the other region, about a record of that region."""
    from proxima.people.services.records import PersonInput, create_person

    worker = UserFactory(role=Role.WORKER_811, region=network.other_region, first_name="Hugo")
    return create_person(PersonInput("Ariane", "Côté"), by=worker, confirmed_new=True)


def test_the_region_s_lines_in_words_never_another_region_s(network, lea, montreal_read):
    from proxima.people.services.records import read_person

    for _ in range(40):
        read_person(lea.person.pk, by=network.worker, reason="person page")
    page = signed_in(network.officer).get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "a consulté le dossier" in text and "Marie Tremblay" in text
    assert ">read_person<" not in text  # a code only as a filter's value, never shown
    assert "Hugo" not in text and str(montreal_read.pk)[:8] not in text
    entries = page.context["page"].object_list
    assert len(entries) == log_services.PAGE_SIZE  # newest first, paged
    assert entries[0].sequence > entries[-1].sequence


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"actor": "tremblay"}, {"Marie Tremblay"}),
        ({"action": "record_measure"}, {"Jo"}),
        ({"object_type": "referrals.referral", "actor": "sam"}, {"Sam"}),
    ],
)
def test_filters(network, lea, query, expected):
    page = signed_in(network.officer).get(URL, query)
    assert {entry.line.who for entry in page.context["page"].object_list} == expected


def test_by_person_and_by_dates(network, lea, zephyrin):
    client = signed_in(network.officer)
    page = client.get(URL, {"person": str(lea.person.pk)})
    shown = {e.object_id for e in page.context["page"].paginator.object_list}
    assert {str(lea.person.pk), str(lea.contact.pk), str(lea.referral.pk)} <= shown
    assert not shown & {str(zephyrin.person.pk), str(zephyrin.contact.pk)}
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    assert client.get(URL, {"since": today, "until": today}).context["page"].paginator.count > 0
    assert client.get(URL, {"until": "2020-01-01"}).context["page"].paginator.count == 0
    wrong = client.get(URL, {"since": today, "until": "2020-01-01"})
    assert wrong.status_code == 400 and "avant son début" in wrong.content.decode()


def test_each_read_is_written_to_the_log_with_its_filters(network, lea):
    client = signed_in(network.officer)
    client.get(URL, {"action": "read_person", "page": "2"})
    event = AuditEvent.objects.filter(action="read_audit_log").get()
    assert event.actor == network.officer and event.region_id == network.region.pk
    assert event.detail == {"action": "read_person", "page": 1}  # one page only: the first


def test_a_record_of_another_region_cannot_be_a_filter(network, montreal_read):
    client = signed_in(network.officer)
    before = AuditEvent.objects.count()
    page = client.get(URL, {"person": str(montreal_read.pk)})
    assert page.status_code == 400
    assert "Aucun dossier de votre région" in page.content.decode()
    assert AuditEvent.objects.count() == before


def test_proxima_s_own_lines_show_in_every_region(network, lea):
    check_audit_chain()
    page = signed_in(network.other_officer).get(URL)
    whos = {
        entry.line.who
        for entry in page.context["page"].object_list
        if entry.line.who != network.other_officer.username  # signing in, if audited
    }
    assert whos == {"Proxima (automatique)"}
    assert "entrées, intactes" in page.content.decode()


def test_the_chain_state_is_shown(network, lea):
    client = signed_in(network.officer)
    assert "Chaîne du journal vérifiée" in client.get(URL).content.decode()
    assert log_services.chain_state().status == "verified"
    check_audit_chain()
    with audit_maintenance():  # an entry checked last night: found by the next full check
        AuditEvent.objects.filter(sequence=5).update(reason="rien")
    assert log_services.chain_state().status == "verified"
    check_audit_chain()
    state = log_services.chain_state()
    assert (state.status, state.broken_at) == ("broken", 5)
    assert "Chaîne du journal rompue depuis l’entrée nº 5" in client.get(URL).content.decode()


def test_an_entry_changed_since_the_last_check_is_found_by_the_page(network, lea):
    check_audit_chain()
    checked = AuditEvent.objects.order_by("sequence").last().sequence
    signed_in(network.officer).get(URL)  # one more entry
    with audit_maintenance():
        AuditEvent.objects.filter(sequence=checked + 1).update(reason="rien")
    state = log_services.chain_state()
    assert (state.status, state.broken_at) == ("broken", checked + 1)


def test_a_long_chain_not_yet_checked_in_full_says_so(network, lea):
    state = log_services.chain_state(limit=10)
    assert (state.status, state.through) == ("unverified", 10)


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_period_at_the_ends_of_the_calendar_is_a_form_error(network, day):
    """The end of the period is read up to the next midnight: after 9999-12-31 there
    is none, which was a 500."""
    response = signed_in(network.officer).get(URL, {"since": day, "until": day})
    assert response.status_code == 400
    assert "Donnez une date entre 1900 et 2199." in response.content.decode()


def test_a_search_that_finds_nothing_is_a_page_not_an_error(network):
    response = signed_in(network.officer).get(URL, {"actor": "zzzz"})
    assert response.status_code == 200
