"""Screenshots of the demo served as in production (scripts/demo_site.py: gunicorn, WhiteNoise, DEBUG off).

    make screenshots        # or: .venv/bin/python scripts/screenshots.py [--output screenshots]

Every role's home, the dashboard, the synthesis, the network view, a review pack and the decision form, at
1366 px (desktop) and 390 px (phone) wide, in French and in English: full-page PNG files named
<page>.<language>.<width>.png in screenshots/ (ignored by git). Debian's Chromium driven by Playwright,
never a downloaded browser. Not run in CI.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from demo_site import ROOT, DemoSite  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
PAGES = [
    *(f"home-{role}" for role in ("coach", "intrapreneur", "committee", "staff", "team", "sponsor")),
    "synthesis",
    "network",
    "review-pack",
    "decision-form",
]
WIDTHS = {1366: 768, 390: 844}  # width: height of the window (the capture is of the whole page)
LANGUAGES = ("fr", "en")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "screenshots", help="folder of the PNG files")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        parser.error(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    args.output.mkdir(parents=True, exist_ok=True)
    with DemoSite() as site:
        # The database first: Playwright's sync API runs an event loop, in which Django refuses queries.
        every_page = site.pages()
        pages = {name: every_page[name] for name in PAGES}
        cookies_of = {(role, lang): site.cookies(role, lang) for _path, role in pages.values() for lang in LANGUAGES}
        with sync_playwright() as playwright:
            taken = shoot(playwright, site, pages, cookies_of, args.output)
    print(f"{taken} screenshots in {args.output}")
    return 0


def shoot(playwright, site, pages, cookies_of, output: Path) -> int:
    taken = 0
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
    for name, (path, role) in pages.items():
        for language in LANGUAGES:
            cookies = cookies_of[(role, language)]
            for width, height in WIDTHS.items():
                context = browser.new_context(
                    viewport={"width": width, "height": height},
                    device_scale_factor=1,
                    locale=f"{language}-FR" if language == "fr" else "en-GB",
                    is_mobile=width < 600,
                    has_touch=width < 600,
                )
                context.add_cookies(
                    [{"name": key, "value": value, "url": site.url("/")} for key, value in cookies.items()]
                )
                tab = context.new_page()
                response = tab.goto(site.url(path), wait_until="networkidle")
                if response is None or response.status != 200:
                    raise SystemExit(f"{name} ({path}) answered {response.status if response else 'nothing'}")
                file = output / f"{name}.{language}.{width}.png"
                tab.screenshot(path=file, full_page=True)
                context.close()
                taken += 1
                print(file.relative_to(ROOT) if file.is_relative_to(ROOT) else file, flush=True)
    browser.close()
    return taken


if __name__ == "__main__":
    sys.exit(main())
