"""The lifecycle table matches the FHIR SDOH referral Task state machine, and every
legal and illegal transition is enforced for the side that may set it."""

import itertools
import json

import pytest

from proxima.referrals.lifecycle import (
    FROM_ANY_STATE,
    INITIAL,
    SET_BY,
    TERMINAL,
    TRANSITIONS,
    Side,
    Status,
    is_legal,
    next_statuses,
)
from tests.conftest import shared_path


def test_the_table_is_the_igs_state_machine():
    machine = json.loads(
        shared_path("ext", "fhir-sdoh", "referral-task-state-machine.json").read_text()
    )["referral_task"]
    assert {k: set(v) for k, v in machine["transitions"].items()} == {
        str(k): {str(s) for s in v} for k, v in TRANSITIONS.items()
    }
    assert set(machine["any_state_to"]) == FROM_ANY_STATE
    assert set(machine["initial"]) == INITIAL
    assert set(machine["terminal"]) == TERMINAL
    sides = {"requester": {Side.REQUESTER}, "referral target": {Side.TARGET}}
    sides["requester or referral target"] = {Side.REQUESTER, Side.TARGET}
    assert {status: sides[who] for status, who in machine["set_by"].items()} == SET_BY


ALL_PAIRS = list(itertools.product(Status.values, Status.values))


@pytest.mark.parametrize(("current", "new"), ALL_PAIRS)
def test_every_pair_of_statuses(current, new):
    legal = new in TRANSITIONS.get(current, set()) or (new in FROM_ANY_STATE and current != new)
    assert is_legal(current, new) is legal
    if current in TERMINAL and new not in FROM_ANY_STATE:
        assert not is_legal(current, new)


def test_what_each_side_may_do_next():
    assert next_statuses(Status.REQUESTED, Side.TARGET) == ["accepted", "rejected", "cancelled"]
    assert next_statuses(Status.REQUESTED, Side.REQUESTER) == ["cancelled", "entered-in-error"]
    assert next_statuses(Status.ON_HOLD, Side.TARGET) == [
        "cancelled",
        "in-progress",
        "completed",
        "failed",
    ]
    assert next_statuses(Status.COMPLETED, Side.TARGET) == []
    assert next_statuses(Status.ENTERED_IN_ERROR, Side.REQUESTER) == []
