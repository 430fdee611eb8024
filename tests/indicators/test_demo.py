"""The demo's past year: the indicators dashboard of the demo region shows figures for
every indicator, nothing happens in the future, the inboxes stay light, and loading the
demo again adds nothing."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from proxima.core.models import Region
from proxima.indicators import services
from proxima.indicators.demo import FAMILY_NAMES, load_demo_history
from proxima.intake.models import ContactEpisode
from proxima.people.models import Person
from proxima.referrals.lifecycle import OPEN
from proxima.referrals.models import Referral, ReferralEvent

pytestmark = pytest.mark.django_db


def test_the_demo_region_has_a_year_of_figures(capsys):
    call_command("demo")
    assert "Demo history:" in capsys.readouterr().out
    region = Region.objects.get(code="03")
    now, today = timezone.now(), timezone.localdate()
    history = Person.objects.filter(region=region, family_name__in=FAMILY_NAMES)
    assert 300 <= history.count() <= 400
    contacts = ContactEpisode.objects.filter(region=region)
    assert 600 <= contacts.count() <= 900
    assert contacts.filter(started_at__gt=now).count() == 0
    assert contacts.filter(started_at__date__lt=today - timedelta(days=365)).count() == 0
    assert ReferralEvent.objects.filter(at__gt=now).count() == 0
    # Most of the year's referrals ended; a handful are still open.
    years = Referral.objects.filter(person__in=history)
    assert years.count() > 300
    assert years.filter(status__in=OPEN).count() <= 15

    scope = services.Scope(region.pk, today - timedelta(days=365), today)
    hidden = {}
    for result in services.dashboard(scope):
        values = [v for _label, v in result.headline] + [
            v for line in result.lines for v in line.values
        ]
        shown = [v for v in values if v.number not in (None, 0)]
        assert shown, f"{result.definition.code} shows no figure"
        hidden[result.definition.code] = sum(v.hidden for v in values)
    # Few cells are too small to show: night hours, not the year's main figures.
    assert hidden["contacts_by_hour"] > 0
    for code in ("contacts_by_channel", "reach_by_territory", "reach_by_deprivation"):
        assert hidden[code] == 0, code
    assert hidden["wellbeing_change"] == 0

    assert load_demo_history(region) == 0  # loaded once
