"""The outreach form on a phone without network, in Chromium: installed by its service
worker, opened and filled offline, its contacts kept in IndexedDB and shown as waiting,
sent once the network is back; the queue replayed stores nothing twice."""

import pytest
from playwright.sync_api import expect

from proxima.core.models import Region
from proxima.core.roles import Role
from proxima.intake.models import Channel, ContactEpisode
from proxima.outreach.models import OutreachContact
from tests.browser.conftest import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

QUEUE = """() => new Promise((resolve, reject) => {
  const opening = indexedDB.open("proxima-outreach", 1);
  opening.onerror = () => reject(opening.error);
  opening.onsuccess = () => {
    const reading = opening.result.transaction("queue").objectStore("queue").getAll();
    reading.onsuccess = () => resolve(reading.result);
  };
})"""

PUT_BACK = """(items) => new Promise((resolve, reject) => {
  const opening = indexedDB.open("proxima-outreach", 1);
  opening.onsuccess = () => {
    const writing = opening.result.transaction("queue", "readwrite");
    items.forEach((item) => writing.objectStore("queue").put(item));
    writing.oncomplete = () => resolve(items.length);
    writing.onerror = () => reject(writing.error);
  };
})"""


@pytest.fixture
def worker():
    region = Region.objects.create(code="03", name="Capitale-Nationale")
    return UserFactory(
        role=Role.CLSC_WORKER, region=region, team="mobile_outreach", username="proximite"
    )


def record(page, place: str, people: str) -> None:
    page.locator("#id_place").fill(place)
    page.locator("#id_people_count").fill(people)
    page.locator("#id_age_band input[value='18-24']").check()
    page.locator("#id_help_given input[value='listening']").check()
    page.locator(".outreach-save").click()


def test_contacts_recorded_offline_are_sent_once_when_the_network_is_back(page, worker):
    context = page.context
    sign_in(page, page.base_url, worker, "secret-pass-123", "/outreach/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now under the service worker's control
    page.wait_for_function("navigator.serviceWorker.controller !== null")

    context.set_offline(True)
    page.reload()  # the form opens from the phone's copy
    expect(page.locator("#outreach-network")).to_have_class("outreach-network offline")
    record(page, "Parc Victoria", "2")
    record(page, "Halte-chaleur", "1")
    waiting = page.locator("#outreach-waiting li")
    expect(waiting).to_have_count(2)
    expect(page.locator("#outreach-count")).to_have_text("2")
    expect(waiting.first).to_contain_text("Parc Victoria")
    assert OutreachContact.objects.count() == 0
    queued = page.evaluate(QUEUE)
    assert len(queued) == 2 and len({item["id"] for item in queued}) == 2

    context.set_offline(False)  # the page sends what waits as soon as it is online
    expect(page.locator("#outreach-sync-status")).to_have_text("Envoyé.", timeout=15_000)
    expect(page.locator("#outreach-count")).to_have_text("0")
    assert sorted(OutreachContact.objects.values_list("place", flat=True)) == [
        "Halte-chaleur",
        "Parc Victoria",
    ]
    assert set(OutreachContact.objects.values_list("was_queued", flat=True)) == {True}
    assert {str(pk) for pk in OutreachContact.objects.values_list("pk", flat=True)} == {
        item["id"] for item in queued
    }

    # The answer was lost: the phone sends the same queue again. Nothing is stored twice.
    assert page.evaluate(PUT_BACK, queued) == 2
    page.reload()  # the page sends what waits when it opens
    expect(page.locator("#outreach-sync-status")).to_have_text("Envoyé.", timeout=15_000)
    expect(page.locator("#outreach-count")).to_have_text("0")
    assert OutreachContact.objects.count() == 2
    assert ContactEpisode.objects.filter(channel=Channel.MOBILE_OUTREACH).count() == 2

    # Another contact under an id already used (a phone's copy edited, a bug, an attack):
    # not stored, shown apart with the reason; the worker corrects it, and it goes under
    # a new id.
    changed = {**queued[0], "place": "Ailleurs"}
    page.evaluate(PUT_BACK, [changed])
    page.reload()
    refused = page.locator("#outreach-refused li")
    expect(refused).to_have_count(1, timeout=15_000)
    expect(refused).to_contain_text("Ailleurs")
    expect(page.locator("#outreach-count")).to_have_text("0")
    assert OutreachContact.objects.filter(place="Ailleurs").count() == 0
    refused.get_by_role("button", name="Corriger").click()
    expect(page.locator("#outreach-refused-box")).to_be_hidden()
    expect(page.locator("#id_place")).to_have_value("Ailleurs")
    page.reload()  # the page closed before the correction was recorded: nothing lost
    expect(refused).to_have_count(1)
    refused.get_by_role("button", name="Corriger").click()
    expect(page.locator("#id_place")).to_have_value("Ailleurs")
    page.locator("#id_place").fill("Ailleurs, corrigé")
    page.locator(".outreach-save").click()
    expect(page.locator("#outreach-sync-status")).to_have_text("Envoyé.", timeout=15_000)
    corrected = OutreachContact.objects.get(place="Ailleurs, corrigé")
    assert str(corrected.pk) != queued[0]["id"]
    assert corrected.people_count == int(queued[0]["people_count"])
    assert page.evaluate(QUEUE) == []

    # A queue the server cannot read at all (a NUL character in one contact): the phone
    # sends the contacts one by one, stores the good one and sets the other apart.
    unreadable = {**queued[0], "id": "6b1f0c4e-0000-4000-8000-000000000001", "place": "A\0B"}
    good = {**queued[1], "id": "6b1f0c4e-0000-4000-8000-000000000002", "place": "Gare"}
    page.evaluate(PUT_BACK, [unreadable, good])
    page.reload()
    expect(page.locator("#outreach-refused li")).to_have_count(1, timeout=15_000)
    expect(page.locator("#outreach-count")).to_have_text("0")
    expect(page.locator("#outreach-sync-status")).to_have_text("Envoyé.")
    assert OutreachContact.objects.filter(place="Gare").count() == 1
    assert OutreachContact.objects.count() == 4
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#outreach-refused li").get_by_role("button", name="Supprimer").click()
    expect(page.locator("#outreach-refused-box")).to_be_hidden()

    # Signed out, the phone's copy of the form records nothing in the worker's name.
    page.get_by_role("button", name="Se déconnecter (proximite)").click()
    context.set_offline(True)
    page.goto(page.base_url + "/outreach/")
    expect(page.locator("#outreach-signed-out")).to_be_visible()
    expect(page.locator(".outreach-save")).to_be_disabled()
    context.set_offline(False)
