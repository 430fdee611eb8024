import pytest

from proxima.core.models import Region
from proxima.core.roles import Role
from proxima.intake.services.questionnaires import load_questionnaires
from tests.factories import UserFactory


@pytest.fixture
def region(db):
    return Region.objects.create(code="03", name="Capitale-Nationale")


@pytest.fixture
def worker(region):
    return UserFactory(role=Role.WORKER_811, region=region)


@pytest.fixture
def questionnaires(db):
    load_questionnaires()
