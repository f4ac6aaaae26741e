"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

# The browser and page fixtures live in tests/conftest.py, so browser tests in any folder share
# one Playwright instance (a second sync_playwright() in the same process fails).
from tests.conftest import AXE_SOURCE, CHROMIUM, CHROMIUM_FLAGS  # noqa: F401


def run_axe(page) -> list[dict]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the current page; return violations."""
    # evaluate() goes through the DevTools protocol, so our Content-Security-Policy (which
    # forbids inline scripts, as it should) does not block the checker.
    page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"""
    )
    return result["violations"]


def serious(violations: list[dict]) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
