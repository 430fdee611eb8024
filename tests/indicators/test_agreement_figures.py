"""An agreement's indicators, live from the referrals under it (protected as on the
dashboard) or as the parties reported them, on a hand-checked set of referrals."""

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from proxima.agreements.models import Agreement, Indicator
from proxima.core.models import Region
from proxima.core.roles import Role
from proxima.indicators.services import agreement_figures
from tests.factories import OrganizationFactory, UserFactory, sent_referral

pytestmark = pytest.mark.django_db
MONTREAL = ZoneInfo("America/Montreal")


@pytest.fixture
def region():
    return Region.objects.create(code="03", name="Capitale-Nationale")


@pytest.fixture
def food_bank():
    return OrganizationFactory(name="Comptoir alimentaire")


@pytest.fixture
def agreement(region, food_bank):
    made = Agreement.objects.create(
        region=region,
        title_fr="Corridor 811 – dépannage alimentaire",
        kind="referral_corridor",
        status="active",
        need_domains=["food"],
        starts_on=date(2026, 1, 1),
        review_on=date(2027, 6, 1),
    )
    made.parties.create(role="établissement")
    made.parties.create(organization=food_bank, role="service receveur")
    for kind, target in (
        ("referrals_sent", None),
        ("referrals_accepted", None),
        ("acceptance_rate", 80),
        ("median_response_hours", 72),
        ("other", 150),
    ):
        Indicator.objects.create(
            agreement=made,
            kind=kind,
            target=target,
            label="Paniers" if kind == "other" else "",
            reported_value=112 if kind == "other" else None,
        )
    return made


def _send_the_set(region, food_bank, worker, elsewhere):
    """Six referrals under the agreement, answered after 10, 20, 30 and 40 hours (three
    accepted) or not at all, and five that are not under it."""
    sent_referral(region, food_bank, worker, "accepted", (2026, 3, 2, 9), 10)
    sent_referral(region, food_bank, worker, "completed", (2026, 3, 9, 9), 20)
    sent_referral(region, food_bank, worker, "rejected", (2026, 4, 1, 9), 30)
    sent_referral(region, food_bank, worker, "requested", (2026, 5, 1, 9))
    # Accepted, then cancelled: it was accepted (the one meaning, lifecycle.was_accepted);
    # cancelled before any answer: it was not.
    sent_referral(region, food_bank, worker, "cancelled", (2026, 5, 4, 9), 40)
    sent_referral(region, food_bank, worker, "cancelled", (2026, 5, 5, 9))
    # Not under the agreement: before it, another need, another organization, a draft,
    # an entry in error.
    sent_referral(region, food_bank, worker, "accepted", (2025, 12, 1, 9), 1)
    sent_referral(region, food_bank, worker, "draft", (2026, 3, 3, 9))
    sent_referral(region, food_bank, worker, "entered-in-error", (2026, 3, 3, 9), 1)
    sent_referral(region, food_bank, worker, "accepted", (2026, 3, 2, 9), 1, need="housing")
    sent_referral(region, elsewhere, worker, "accepted", (2026, 3, 2, 9), 1)


def _figures(agreement) -> dict:
    return {
        f.indicator.kind: ("hidden" if f.value.hidden else f.value.number, f.live)
        for f in agreement_figures(agreement)
    }


def test_live_indicators_on_a_small_set_are_protected(region, agreement, food_bank):
    worker = UserFactory(role=Role.WORKER_811, region=region, team="info_social")
    _send_the_set(region, food_bank, worker, OrganizationFactory())
    # 6 sent (shown: five and more); 3 accepted of 6, and 3 not: hidden, with the share;
    # 4 answers (10, 20, 30, 40 h): a median of fewer than five is hidden.
    assert _figures(agreement) == {
        "referrals_sent": (6, True),
        "referrals_accepted": ("hidden", True),
        "acceptance_rate": ("hidden", True),
        "median_response_hours": ("hidden", True),
        "other": (112.0, False),  # reported by the parties: shown as written
    }


def test_live_indicators_on_a_hand_checked_set_of_referrals(region, agreement, food_bank):
    worker = UserFactory(role=Role.WORKER_811, region=region, team="info_social")
    elsewhere = OrganizationFactory()
    for _ in range(5):
        _send_the_set(region, food_bank, worker, elsewhere)
    # 5 x 6 = 30 sent; 5 x 3 = 15 accepted (accepted, completed, cancelled after the
    # answer): 15 / 30 = 50.0 %. 20 answers, five each after 10, 20, 30 and 40 hours: the
    # median is the mean of the 10th and 11th, (20 + 30) / 2 = 25.0 hours.
    assert _figures(agreement) == {
        "referrals_sent": (30, True),
        "referrals_accepted": (15, True),
        "acceptance_rate": (50.0, True),
        "median_response_hours": (25.0, True),
        "other": (112.0, False),
    }


def test_an_agreement_without_indicators_has_no_figures(region, agreement):
    agreement.indicators.all().delete()
    assert agreement_figures(agreement) == []


def test_an_evaluator_reads_the_agreements_figures_perturbed(region, agreement, food_bank):
    from django.test import Client
    from django.urls import reverse

    from proxima.core.perturbation import PERTURBED

    worker = UserFactory(role=Role.WORKER_811, region=region, team="info_social")
    elsewhere = OrganizationFactory()
    for _ in range(5):
        _send_the_set(region, food_bank, worker, elsewhere)
    figures = {f.indicator.kind: f.value.number for f in agreement_figures(agreement, PERTURBED)}
    # 30 sent and 15 accepted (exact above), each moved by 2 at most; the share of the two
    # shown; the median (25.0 h) and the parties' reported figure as they are.
    sent, accepted = figures["referrals_sent"], figures["referrals_accepted"]
    assert abs(sent - 30) <= 2 and abs(accepted - 15) <= 2
    assert figures["acceptance_rate"] == round(100 * accepted / sent, 1)
    assert figures["median_response_hours"] == 25.0 and figures["other"] == 112.0
    # The agreement's page shows an evaluator these, a coordinator the exact ones.
    for role, expected in ((Role.EVALUATOR, sent), (Role.COORDINATOR, 30)):
        client = Client()
        client.force_login(UserFactory(role=role, region=region))
        page = client.get(reverse("agreements:detail", args=[agreement.pk]))
        assert page.status_code == 200, role
        assert f"<td>{expected}</td>" in page.content.decode(), role
