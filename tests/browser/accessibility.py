"""axe-core (vendored: vendor/axe-core) on every page a browser test visits, at desktop and
phone width: a violation fails the test that visited the page.

Pages are checked when the test ends, each address once per width, as the signed-in
browser sees them (a GET of the address shown: the page after a form's redirect too), once
they have drawn what scripts draw (the API docs' Swagger UI, its operations listed).
"""

from pathlib import Path

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
# Rules about WCAG 2.1 A and AA, and axe's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def violations_of(page) -> list[dict]:
    """axe's violations on the page as it is now (the script evaluated through the
    DevTools protocol: the pages' Content-Security-Policy forbids injected script tags)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE + "\n;0")
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                     resultTypes: ['violations']});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' — ' + n.failureSummary)
            }));
        }""",
        TAGS,
    )


# Pages drawn by a script after load: the element whose presence says the drawing is done.
DRAWN_BY_SCRIPT = {"#swagger-ui": "#swagger-ui .opblock"}


def wait_until_drawn(page) -> None:
    """Wait until what scripts draw on the page is there: axe checking an empty
    container passes whatever the script will draw."""
    for container, drawn in DRAWN_BY_SCRIPT.items():
        if page.query_selector(container):
            page.wait_for_selector(drawn, timeout=15_000)


def check_pages(page, addresses: list[str]) -> list[str]:
    """Each address at each width; one line per violation found."""
    problems = []
    for address in dict.fromkeys(addresses):
        for width, size in WIDTHS.items():
            page.set_viewport_size(size)
            page.goto(address)
            wait_until_drawn(page)
            for violation in violations_of(page):
                where = address.split("//", 1)[-1].split("/", 1)[-1]
                problems.append(
                    f"/{where} [{width}] {violation['id']} ({violation['impact']}): "
                    f"{violation['help']} — {'; '.join(violation['nodes'])}"
                )
    return problems
