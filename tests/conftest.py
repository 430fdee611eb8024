import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"


def shared_path(*parts: str) -> Path:
    """A path in ../shared, or a skip (a failure in CI, where it must be there)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("PROXIMA_REQUIRE_SHARED"):
            pytest.fail(f"{path} is missing but PROXIMA_REQUIRE_SHARED is set")
        pytest.skip(f"{path} not found: the shared open-data folder is not beside the repository")
    return path


@pytest.fixture
def need_domains(db):
    from proxima.directory.services.taxonomy import load_need_domains

    load_need_domains()


@pytest.fixture(autouse=True)
def _english_off(settings):
    """Tests run in the default locale (French) unless they switch."""
    settings.LANGUAGE_CODE = "fr"
