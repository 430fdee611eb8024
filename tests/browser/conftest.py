"""Browser tests: Playwright for Python driving Debian's Chromium (never a downloaded one).

They skip with the reason when /usr/bin/chromium is absent, except where
PROXIMA_REQUIRE_BROWSER is set (CI), where that is a failure.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
# beside one unless told it is safe (the live server and the test share no async code).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("PROXIMA_REQUIRE_BROWSER"):
            pytest.fail("PROXIMA_REQUIRE_BROWSER is set but /usr/bin/chromium is missing")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="fr-CA", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base_url = live_server.url
    blocked = watch_content_security_policy(page)
    visited = watch_addresses(context, live_server.url)
    yield page
    problems = check_accessibility(context, visited)
    context.close()
    assert not blocked, f"blocked by the Content-Security-Policy: {blocked}"
    assert not problems, "accessibility (axe-core):\n" + "\n".join(problems)


def watch_addresses(context, base_url: str) -> list[str]:
    """Every address of this site a page of the context showed (popups too)."""
    visited: list[str] = []

    def follow(page):
        def on_navigated(frame):
            if frame == page.main_frame and frame.url.startswith(base_url):
                visited.append(frame.url.split("#")[0])

        page.on("framenavigated", on_navigated)

    for page in context.pages:
        follow(page)
    context.on("page", follow)
    return visited


def check_accessibility(context, visited: list[str]) -> list[str]:
    """axe-core on each page visited, at desktop and phone width (accessibility.py); with
    PROXIMA_AXE_SURVEY=FILE the problems are appended there instead of failing."""
    from tests.browser.accessibility import check_pages

    if not visited:
        return []
    problems = check_pages(context.new_page(), visited)
    survey = os.environ.get("PROXIMA_AXE_SURVEY")
    if survey and problems:
        with open(survey, "a", encoding="utf-8") as report:
            report.write("\n".join(problems) + "\n")
        return []
    return problems


def watch_content_security_policy(page) -> list[str]:
    """What the browser refused under the Content-Security-Policy (inline script or style,
    another origin...): every journey must run without one."""
    blocked: list[str] = []

    def on_console(message):
        if "Content Security Policy" in message.text:
            blocked.append(message.text[:300])

    page.on("console", on_console)
    return blocked


def sign_in(page, base_url: str, user, password: str, next_url: str) -> None:
    """Through the pages, as a person does: the password, then the authenticator's code."""
    from proxima.accounts.services.two_factor import current_code
    from tests.factories import verified_device

    device = verified_device(user)
    # The same account signing in twice within one 30-second step would give the same
    # code, which is refused as a replay (tests/accounts); a test may sign in again.
    device.last_t = -1
    device.save(update_fields=["last_t"])
    page.goto(f"{base_url}/login/?next={next_url}")
    page.get_by_label("Nom d’utilisateur").fill(user.username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_label("Code à usage unique").fill(current_code(device))
    page.get_by_role("button", name="Continuer").click()
