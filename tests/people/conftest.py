import pytest

from proxima.core.models import Region
from proxima.core.roles import Role
from tests.factories import UserFactory


@pytest.fixture
def region(db):
    return Region.objects.create(code="03", name="Capitale-Nationale")


@pytest.fixture
def other_region(db):
    return Region.objects.create(code="07", name="Outaouais")


@pytest.fixture
def worker(region):
    return UserFactory(role=Role.WORKER_811, region=region)
