"""axe-core on every page, light and dark: no serious or critical violation anywhere."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from .screens import SCREENS

AXE = Axe()
BLOCKING = {"serious", "critical"}


def describe(violations) -> str:
    lines = []
    for violation in violations:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}\n    on {targets[:8]}"
        )
        for node in violation["nodes"][:3]:
            lines.append(f"    {node.get('failureSummary', '').replace(chr(10), ' ')}")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("screen", SCREENS, ids=lambda screen: screen.name)
def test_it_has_no_serious_accessibility_violations(screen, scheme, screen_page):
    page = screen_page(screen, color_scheme=scheme)

    violations = AXE.run(page).response["violations"]

    blocking = [violation for violation in violations if violation["impact"] in BLOCKING]
    if blocking:
        pytest.fail(f"{screen.name} ({scheme}) has accessibility violations:\n{describe(blocking)}")
