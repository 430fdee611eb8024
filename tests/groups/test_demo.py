"""The demo's parenting group and collective project, loaded once with the demo."""

import pytest
from django.core.management import call_command

from proxima.groups.models import Attendance, CollectiveProject, GroupActivity

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_parenting_group_and_a_collective_project(capsys):
    call_command("demo")
    group = GroupActivity.objects.get(created_by__username="clsc")
    assert group.capacity == 8 and group.theme == "parenting"
    assert group.registrations.filter(status="registered").count() == 8
    assert group.registrations.filter(status="waitlisted").count() == 2
    assert group.sessions.count() == 3
    assert (
        Attendance.objects.filter(session__activity=group).values("session").distinct().count() == 2
    )
    project = CollectiveProject.objects.get()
    assert project.citizens_involved == 40 and project.need_domains == ["food"]
    assert project.partners.count() == 2 and project.activities.count() == 2
    call_command("demo")  # again: nothing doubled
    assert GroupActivity.objects.count() == 1 and CollectiveProject.objects.count() == 1
    assert "Demo groups" in capsys.readouterr().out
