"""No page wider than the screen: every page each role may read (the permission matrix of tests/access.py,
the same journeys as the accessibility test), at a phone's width (390 px) and a laptop's (1366 px).
On the dashboard, the startup and alerts columns stay within the screen."""

import pytest
from django.urls import reverse

from tests.a11y.test_axe import Tab, pages_for, signed_in_context
from tests.access import ADMIN, COACH, COMMITTEE, INTRAPRENEUR, STAFF, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 1366)
# The demo roles of issue 14: each one's main journeys are the pages it may read.
JOURNEY_ROLES = (COACH, STAFF, INTRAPRENEUR, COMMITTEE, ADMIN)

# The page's width, and for the report the first elements reaching past the screen's right edge.
OVERFLOW = """() => {
  const beyond = (el) => el.getBoundingClientRect().right > window.innerWidth + 1;
  const name = (el) => el.tagName.toLowerCase() + (typeof el.className === 'string' && el.className
    ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    widest: [...document.querySelectorAll('body *')].filter(beyond).slice(0, 3)
      .map((el) => name(el) + ' ' + Math.round(el.getBoundingClientRect().right) + 'px'),
  };
}"""


@pytest.mark.parametrize("role", JOURNEY_ROLES)
def test_no_page_is_wider_than_the_screen(role, browser, live_server):
    world = build_world()
    context = signed_in_context(browser, live_server, world.people[role])
    tab, report, visited = Tab(context), [], 0
    for width in WIDTHS:
        tab.page.set_viewport_size({"width": width, "height": 800})
        for name, path in pages_for(world, role):
            page = tab.visit(path)
            visited += 1
            measure = page.evaluate(OVERFLOW)
            if measure["scrollWidth"] > measure["innerWidth"]:
                wide, beyond = measure["scrollWidth"], measure["widest"]
                report.append(f"  {width} px {name} {path}: {wide} px wide; beyond the edge: {beyond}")
    context.close()
    assert visited, f"no page was visited as {role}"
    assert not report, f"Pages wider than the screen as {role}:\n" + "\n".join(report)


COLUMN_EDGES = """() => {
  const table = document.querySelector('#tableau-startups table');
  const container = table.closest('.fr-table__container');
  const region = container.getBoundingClientRect();
  const visible = (cell) => {
    const box = cell.getBoundingClientRect();
    const left = Math.max(0, region.left) - 1, right = Math.min(window.innerWidth, region.right) + 1;
    return box.width > 0 && box.left >= left && box.right <= right;
  };
  const headers = [...table.querySelectorAll('thead th')];
  const row = table.querySelector('tbody tr');
  return {
    startup: visible(headers[0]) && visible(row.cells[0]),
    alerts: visible(headers[1]) && visible(row.cells[1]),
    alertsLabel: headers[1].innerText.trim(),
    regionName: container.getAttribute('aria-label') || container.getAttribute('aria-labelledby') || '',
    focusable: container.tabIndex === 0,
  };
}"""


SCROLL_TABLE = "(x) => { document.querySelector('#tableau-startups .fr-table__container').scrollLeft = x; }"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("role", (COACH, STAFF))
def test_the_dashboard_keeps_the_startup_and_its_alerts_in_view(role, width, browser, live_server):
    world = build_world()
    context = signed_in_context(browser, live_server, world.people[role])
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 800})
    for query in ("", "?vue=incubateur", "?vue=reseau"):
        page.goto(reverse("dashboard:home") + query, wait_until="load")
        # Scrolled to the far right of the table region: the sticky columns stay.
        for scroll in (0, 10000):
            page.evaluate(SCROLL_TABLE, scroll)
            edges = page.evaluate(COLUMN_EDGES)
            assert edges["startup"], f"startup column out of view at {width} px ({query}, scrolled {scroll})"
            assert edges["alerts"], f"alerts column out of view at {width} px ({query}, scrolled {scroll})"
        assert edges["alertsLabel"].startswith("Alertes")
        assert edges["regionName"] and edges["focusable"]
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    context.close()
