"""FHIR import acts only for the caller's own side: a Task already known is changed only by
one of its two sides, by the lifecycle's rules and with the version they saw; a new Task
arrives as a request; `partOf` links only to a referral the caller takes part in."""

import json

import pytest
from django.test import Client

from proxima.core.models import Region
from proxima.core.roles import Role
from proxima.referrals.models import Referral, ReferralEvent
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

TASK_ID = "clinic-task-42"


# The person agreed to share with the receiver (the sending system says so).
CONSENT = {
    "resourceType": "Consent",
    "id": "c1",
    "status": "active",
    "scope": {"coding": [{"code": "patient-privacy"}]},
    "category": [{"coding": [{"code": "IDSCL"}]}],
    "patient": {"reference": "Patient/p1"},
    "provision": {"type": "permit"},
}


def bundle(
    owner_id: str,
    *,
    status="requested",
    family="Tremblay",
    task_id=TASK_ID,
    consent: dict | None = CONSENT,
    **task,
):
    """A clinical system's referral: Task, ServiceRequest, Patient and its Consent."""
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {
                "resource": {
                    "resourceType": "Task",
                    "id": task_id,
                    "status": status,
                    "intent": "order",
                    "code": {"coding": [{"code": "fulfill"}]},
                    "focus": {"reference": f"ServiceRequest/sr-{task_id}"},
                    "for": {"reference": "Patient/p1"},
                    "owner": {"reference": f"Organization/{owner_id}"},
                    "authoredOn": "2026-11-20T10:00:00-05:00",
                    **task,
                }
            },
            {
                "resource": {
                    "resourceType": "ServiceRequest",
                    "id": f"sr-{task_id}",
                    "status": "active",
                    "intent": "order",
                    "subject": {"reference": "Patient/p1"},
                    "code": {"text": "Aide alimentaire"},
                }
            },
            {
                "resource": {
                    "resourceType": "Patient",
                    "id": "p1",
                    "name": [{"family": family, "given": ["Julie"]}],
                    "telecom": [{"system": "phone", "value": "418-555-0199"}],
                }
            },
            *([{"resource": consent}] if consent else []),
        ],
    }


def post(user, body) -> object:
    client = Client()
    client.force_login(user)
    return client.post("/api/referrals/fhir", json.dumps(body), content_type="application/json")


@pytest.fixture
def imported(worker, partner_org):
    response = post(worker, bundle(partner_org.id))
    assert response.status_code == 201, response.content
    return Referral.objects.get(external_id=TASK_ID)


def snapshot(referral: Referral) -> tuple:
    referral.refresh_from_db()
    return (
        referral.status,
        referral.version,
        json.dumps(referral.external_resources, sort_keys=True),
        ReferralEvent.objects.filter(referral=referral).count(),
    )


def test_a_known_task_cannot_be_rewritten_by_someone_who_is_on_neither_side(
    imported, partner_org, region
):
    before = snapshot(imported)
    elsewhere = Region.objects.create(code="07", name="Outaouais")
    other_org = OrganizationFactory()
    strangers = [
        UserFactory(role=Role.PARTNER_ADMIN, organization=other_org),
        UserFactory(role=Role.PARTNER_WORKER, organization=other_org),
        UserFactory(role=Role.CLSC_WORKER, region=region, team="social_consultation"),
        UserFactory(role=Role.WORKER_811, region=elsewhere, team="info_social"),
    ]
    for stranger in strangers:
        for status in ("cancelled", "requested"):
            attack = bundle(partner_org.id, status=status, family="Pirate", meta={"versionId": "2"})
            response = post(stranger, attack)
            assert response.status_code in (403, 404), (stranger.role, response.content)
            assert snapshot(imported) == before, stranger.role
    assert Referral.objects.count() == 1


def test_the_sending_side_cancels_with_the_version_it_saw(imported, worker, partner_org):
    seen_before = str(imported.version - 1)
    stale = post(
        worker, bundle(partner_org.id, status="cancelled", meta={"versionId": seen_before})
    )
    assert stale.status_code == 409 and snapshot(imported)[0] == "requested"
    unversioned = post(worker, bundle(partner_org.id, status="cancelled"))
    assert unversioned.status_code == 400 and "versionId" in unversioned.json()["detail"]
    current = str(imported.version)
    done = post(worker, bundle(partner_org.id, status="cancelled", meta={"versionId": current}))
    assert done.status_code == 201, done.content
    assert snapshot(imported)[0] == "cancelled"


def test_the_sending_side_cannot_set_what_only_the_receiver_sets(imported, worker, partner_org):
    before = snapshot(imported)
    version = {"versionId": str(imported.version)}
    response = post(worker, bundle(partner_org.id, status="completed", meta=version))
    assert response.status_code == 400
    assert snapshot(imported) == before


def test_the_receiver_accepts_by_the_same_rules_as_the_api(imported, partner, partner_org):
    version = {"versionId": str(imported.version)}
    without_date = post(partner, bundle(partner_org.id, status="accepted", meta=version))
    assert without_date.status_code == 400  # an acceptance needs its first appointment
    accepted = post(
        partner,
        bundle(
            partner_org.id,
            status="accepted",
            meta=version,
            executionPeriod={"start": "2026-12-03T09:00:00-05:00"},
        ),
    )
    assert accepted.status_code == 201, accepted.content
    imported.refresh_from_db()
    assert imported.status == "accepted" and imported.first_appointment_at is not None
    # The receiver changed the status; what the sender sent about the person is intact.
    rewrite = post(
        partner,
        bundle(partner_org.id, status="accepted", family="Autre", meta=version),
    )
    assert rewrite.status_code == 403
    patient = imported.external_resources["Patient/p1"]
    assert patient["name"][0]["family"] == "Tremblay"


def test_a_new_task_arrives_only_as_a_request(worker, partner_org):
    for status in ("completed", "accepted", "in-progress", "failed"):
        response = post(worker, bundle(partner_org.id, status=status, task_id=f"t-{status}"))
        assert response.status_code == 400, status
        assert "requested" in response.json()["detail"] or "demandée" in response.json()["detail"]
    assert Referral.objects.count() == 0


def test_a_task_without_part_of_is_attached_to_nothing(sent, worker, partner_org):
    assert sent.external_id == ""  # an ordinary referral of the network
    response = post(worker, bundle(partner_org.id, task_id="lonely", partOf=[]))
    assert response.status_code == 201
    assert Referral.objects.get(external_id="lonely").parent is None


def test_part_of_cannot_name_someone_elses_referral(worker, partner_org, region):
    elsewhere = Region.objects.create(code="07", name="Outaouais")
    other_worker = UserFactory(role=Role.WORKER_811, region=elsewhere, team="info_social")
    post(other_worker, bundle(partner_org.id, task_id="theirs"))
    theirs = Referral.objects.get(external_id="theirs")
    response = post(
        worker, bundle(partner_org.id, task_id="mine", partOf=[{"reference": "Task/theirs"}])
    )
    assert response.status_code == 400
    assert not Referral.objects.filter(external_id="mine").exists()
    assert not Referral.objects.filter(parent=theirs).exists()


def test_the_history_command_moves_past_referrals_in_with_their_status(
    worker, partner_org, tmp_path
):
    from django.core.management import CommandError, call_command

    path = tmp_path / "past.json"
    path.write_text(json.dumps(bundle(partner_org.id, status="completed")))
    with pytest.raises(CommandError, match="requested|demandée"):
        call_command("import-fhir", str(path), "--as", worker.username)
    assert Referral.objects.count() == 0
    call_command("import-fhir", str(path), "--as", worker.username, "--history")
    assert Referral.objects.get(external_id=TASK_ID).status == "completed"


def test_the_command_speaks_the_sending_accounts_language(worker, partner_org, tmp_path):
    from io import StringIO

    from django.core.management import CommandError, call_command

    bad = tmp_path / "bad.json"
    bad.write_text("{")
    with pytest.raises(CommandError, match="ce n’est pas un fichier JSON lisible"):
        call_command("import-fhir", str(bad), "--as", worker.username)
    with pytest.raises(CommandError, match="Aucun compte actif nommé personne"):
        call_command("import-fhir", str(bad), "--as", "personne")
    worker.preferred_language = "en"
    worker.save()
    good = tmp_path / "good.json"
    good.write_text(json.dumps(bundle(partner_org.id)))
    out = StringIO()
    call_command("import-fhir", str(good), "--as", worker.username, stdout=out)
    assert "Imported 1 referral from" in out.getvalue()
