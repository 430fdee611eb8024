"""The `proxima` console commands: import/export HSDS, synth, demo, reindex."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from proxima.core.models import User
from proxima.directory import models as m
from proxima.directory.services.search import SearchQuery, search_services
from tests.factories import make_service

pytestmark = pytest.mark.django_db


def test_export_then_import_through_the_commands(need_domains, tmp_path):
    make_service("Dépannage alimentaire", "Paniers.", domain="food", point=(46.81, -71.22))
    target = tmp_path / "services.json"
    call_command("export-hsds", str(target), verbosity=0)
    exported = json.loads(target.read_text())
    assert [s["name"] for s in exported] == ["Dépannage alimentaire"]
    m.Service.objects.all().delete()
    call_command("import-hsds", str(target), verbosity=0)
    assert m.Service.objects.get().name == "Dépannage alimentaire"


def test_confidential_export_is_audited(need_domains, tmp_path):
    from proxima.core.models import AuditEvent

    call_command("export-hsds", str(tmp_path / "public.json"), verbosity=0)
    assert not AuditEvent.objects.exists()
    call_command("export-hsds", str(tmp_path / "staff.json"), include_confidential=True)
    assert AuditEvent.objects.get().action == "export_confidential_locations"


def test_bad_import_fails_with_the_file_record_and_field_and_changes_nothing(
    need_domains, tmp_path
):
    bad = tmp_path / "services.json"
    bad.write_text(json.dumps([{"id": "s1", "status": "active"}]))
    with pytest.raises(CommandError) as error:
        call_command("import-hsds", str(bad), verbosity=0)
    assert "services.json" in str(error.value) and "name" in str(error.value)
    assert not m.Service.objects.exists()


def test_the_console_script_exits_non_zero_on_a_bad_file(tmp_path):
    bad = tmp_path / "services.json"
    bad.write_text('[{"id": "s1", "name": "trunc')
    script = Path(sys.executable).with_name("proxima")
    database = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    env = {"DATABASE_URL": database, "PATH": str(script.parent)}
    subprocess.run([script, "migrate", "-v0"], env=env, check=True, timeout=120)
    done = subprocess.run(
        [script, "import-hsds", str(bad)], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1
    assert "services.json" in done.stderr


def test_synth_generates_searchable_services_idempotently(need_domains):
    call_command("synth", services=40, verbosity=0)
    count = m.Service.objects.count()
    assert count >= 40 and m.SearchDocument.objects.count() == count
    call_command("synth", services=40, verbosity=0)
    assert m.Service.objects.count() == count
    assert m.Service.objects.filter(is_demo=False).count() == 0
    assert search_services(SearchQuery(text="aide alimentaire")).total > 0


def test_synth_refuses_a_non_positive_size():
    with pytest.raises(CommandError):
        call_command("synth", services=0)


def test_demo_loads_the_territory_and_one_account_per_role(capsys):
    call_command("demo")
    assert m.Organization.objects.filter(is_demo=True).count() >= 120
    assert m.Service.objects.filter(is_demo=True).count() >= 300
    assert m.SearchDocument.objects.count() == m.Service.objects.count()
    from proxima.core.roles import Role

    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    printed = capsys.readouterr().out
    assert "proxima-demo" in printed and "info811" in printed
    # The administrator's password is generated for this installation, never published.
    admin = User.objects.get(username="admin")
    assert not admin.check_password("proxima-demo")
    admin_line = next(line for line in printed.splitlines() if line.strip().startswith("admin "))
    generated = admin_line.split("password")[1].split()[0]
    assert admin.check_password(generated)
    # The others come with an authenticator whose secret is printed beside them.
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from proxima.accounts.services.two_factor import secret_of

    worker_device = TOTPDevice.objects.get(user__username="info811", confirmed=True)
    assert secret_of(worker_device) in printed
    call_command("demo-code", "info811")
    assert capsys.readouterr().out.strip().isdigit()
    from proxima.referrals.lifecycle import Status
    from proxima.referrals.models import Referral
    from proxima.referrals.services.responsiveness import service_responsiveness

    assert set(Referral.objects.values_list("status", flat=True)) == set(Status.values)
    assert Referral.objects.filter(parent__isnull=False).exists()  # a chain passed on
    partner = User.objects.get(username="partenaire")
    inbox_service = Referral.objects.filter(target_organization=partner.organization).first()
    measured = service_responsiveness(inbox_service.service_id)
    assert measured.published and measured.median_hours < 48  # answered within hours
    from proxima.prescriptions.models import Prescription

    statuses = set(Prescription.objects.values_list("status", flat=True))
    assert statuses == {"active", "completed", "stopped"}
    # The scenes' prescriptions are measured before and after; the history's (indicators'
    # demo) at the start, and again once under way.
    from proxima.indicators.demo import FAMILY_NAMES

    scenes = Prescription.objects.exclude(person__family_name__in=FAMILY_NAMES)
    assert scenes.count() == 3 and all(p.measurements.count() == 2 for p in scenes)
    assert all(p.measurements.count() in (1, 2) for p in Prescription.objects.all())
    before = (m.Service.objects.count(), Referral.objects.count())
    call_command("demo")  # again: refreshed, nothing duplicated or lost
    assert (m.Service.objects.count(), Referral.objects.count()) == before


def test_reindex_rebuilds_the_whole_index(need_domains):
    make_service("Aide au logement", domain="housing", index=False)
    assert search_services(SearchQuery(text="logement")).total == 0
    call_command("reindex")
    assert search_services(SearchQuery(text="logement")).total == 1
