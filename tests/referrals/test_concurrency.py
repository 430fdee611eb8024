"""Two workers act on the same referral at the same moment, each on their own database
connection: one succeeds, the other gets a conflict, and no update is lost."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from proxima.referrals.models import Referral
from proxima.referrals.services.workflow import ReferralConflict, transition

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks between two real connections are tested on PostgreSQL")


def race(referral_id, actions):
    """Run each (user, status, extra) at once on its own connection; returns outcomes."""
    barrier = threading.Barrier(len(actions))
    outcomes: list = [None] * len(actions)

    def act(index, user, status, extra):
        try:
            referral = Referral.objects.get(pk=referral_id)
            barrier.wait(timeout=10)
            transition(referral, status, by=user, version=referral.version, **extra)
            outcomes[index] = "done"
        except ReferralConflict as conflict:
            outcomes[index] = ("conflict", conflict.referral.status)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(i, *action)) for i, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.parametrize("repeat", range(3))
def test_accept_and_cancel_at_once(postgresql_only, sent, partner, worker, repeat):
    appointment = {"first_appointment_at": timezone.now() + timedelta(days=1)}
    outcomes = race(
        sent.pk,
        [(partner, "accepted", appointment), (worker, "cancelled", {})],
    )
    assert sorted(map(str, outcomes)).count("done") == 1, outcomes
    final = Referral.objects.get(pk=sent.pk)
    winner = "accepted" if outcomes[0] == "done" else "cancelled"
    assert final.status == winner and final.version == sent.version + 1
    loser = outcomes[1] if outcomes[0] == "done" else outcomes[0]
    assert loser == ("conflict", winner)  # told what the referral became
    assert [e.to_status for e in final.events.all()][-1] == winner
    assert final.events.count() == 3  # draft, requested, and exactly one of the two
