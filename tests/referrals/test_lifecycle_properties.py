"""The referral lifecycle as a property: any sequence of attempted changes, by either side
or a stranger, with the version they saw or a stale one, with or without what the status
requires, never reaches a status the lifecycle forbids, never succeeds on a stale version,
moves the version by one per change, and leaves a history that replays to the status."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proxima.referrals.lifecycle import (
    SET_BY,
    TERMINAL,
    Side,
    Status,
    is_legal,
    next_statuses,
)
from proxima.referrals.models import Referral
from proxima.referrals.services.workflow import (
    IllegalTransition,
    ReferralConflict,
    ReferralInput,
    ReferralInputError,
    create_referral,
    send,
    transition,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BOUNDED = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
ACTORS = ("requester", "target", "stranger")
ANY_ACTION = st.sampled_from(["send", *Status.values, "nonsense"])


def attempt(data, status: str, side: str | None) -> dict:
    """One attempted change: mostly one the lifecycle offers this side now (so that long
    paths are walked), otherwise anything; with the version seen or a stale one, with or
    without what the new status requires."""
    offered = next_statuses(status, side) if side else []
    onward = [s for s in offered if s not in TERMINAL]  # paths go further before they end
    action = ANY_ACTION
    if offered and data.draw(st.integers(0, 3), label="offered") > 0:
        action = st.sampled_from(onward if onward and data.draw(st.booleans()) else offered)
    return {
        "action": data.draw(action, label="action"),
        "stale": data.draw(st.integers(0, 4), label="stale") == 0,
        "complete": data.draw(st.integers(0, 4), label="complete") > 0,
    }


def actors_for(status: str) -> list[str]:
    """Anyone, the side that moves the referral on twice as often."""
    moving = "requester" if status == Status.DRAFT else "target"
    return [*ACTORS, moving, moving]


def requirements(status: str, complete: bool) -> dict:
    """What the new status asks for (an appointment to accept, a reason to decline...)."""
    if not complete:
        return {}
    return {
        Status.ACCEPTED: {"first_appointment_at": timezone.now() + timedelta(days=2)},
        Status.REJECTED: {"reason": "full"},
        Status.COMPLETED: {"outcome": "service_received"},
        Status.FAILED: {"note": "Plus de nouvelles"},
        Status.ENTERED_IN_ERROR: {"note": "Mauvaise personne"},
    }.get(status, {})


@pytest.fixture
def sides(worker, partner, region):
    return {
        "requester": (worker, Side.REQUESTER),
        "target": (partner, Side.TARGET),
        "stranger": (UserFactory(role=worker.role, region=None), None),
    }


def change(referral: Referral, step: dict, user) -> str:
    """Attempt the step; the status it asked for."""
    if step["action"] == "send":
        send(referral, by=user, version=step["version"], acknowledge_duplicates=True)
        return Status.REQUESTED
    transition(
        referral,
        step["action"],
        by=user,
        version=step["version"],
        **requirements(step["action"], step["complete"]),
    )
    return step["action"]


@BOUNDED
@given(data=st.data(), length=st.integers(0, 10))
def test_no_sequence_of_changes_breaks_the_lifecycle(
    sides, worker, person, service, consent, data, length
):
    referral = create_referral(
        ReferralInput("food", "Panier cette semaine", "72h", service=service, person=person),
        by=worker,
    )
    for _ in range(length):
        before = Referral.objects.get(pk=referral.pk)
        user, side = sides[data.draw(st.sampled_from(actors_for(before.status)), label="by")]
        step = attempt(data, before.status, side)
        step["version"] = before.version - 1 if step["stale"] else before.version
        try:
            new_status = change(before, step, user)
        except PermissionDenied:
            assert side is None
        except ReferralConflict:
            assert step["stale"]
        except (IllegalTransition, ReferralInputError):
            pass
        else:
            assert not step["stale"] and side is not None
            assert is_legal(before.status, new_status) and side in SET_BY[new_status]
        after = Referral.objects.get(pk=referral.pk)
        assert after.status in Status.values
        assert after.version == before.version + (after.status != before.status)

    events = list(Referral.objects.get(pk=referral.pk).events.order_by("at", "pk"))
    assert not events[0].from_status and events[0].to_status == Status.DRAFT
    for previous, event in zip(events, events[1:], strict=False):
        assert event.from_status == previous.to_status
        assert is_legal(event.from_status, event.to_status)
    current = Referral.objects.get(pk=referral.pk)
    assert events[-1].to_status == current.status and current.version == len(events)
