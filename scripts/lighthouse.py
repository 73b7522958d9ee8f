"""Lighthouse (mobile preset, the default) on the main signed-in pages of the demo, served as in production.

    scripts/lighthouse.sh            # installs Lighthouse 12 in a temporary folder, then runs this
    LIGHTHOUSE=/path/to/node_modules/.bin/lighthouse .venv/bin/python scripts/lighthouse.py [--desktop] [page…]

Each page is measured signed in as the demo account that sees it: its session cookie is passed to Lighthouse
through --extra-headers. Prints one line per page (performance, CLS, accessibility, best practices) and
exits with 1 when a page misses the targets of issue 14 (performance >= 90, CLS < 0.1, accessibility and
best practices 100). Not run in CI: the figures depend on the machine's load.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from demo_site import DemoSite  # noqa: E402

PAGES = ["home-coach", "startup", "synthesis", "network", "session", "interview-form"]


def measure(lighthouse: str, url: str, cookies: dict[str, str], *, desktop: bool, folder: Path, name: str) -> dict:
    report = folder / f"{name}.json"
    command = [
        lighthouse,
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        "--only-categories=performance,accessibility,best-practices",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        "--extra-headers=" + json.dumps({"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}),
    ]
    if desktop:
        command.append("--preset=desktop")
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": chrome})
    data = json.loads(report.read_text(encoding="utf-8"))
    categories, audits = data["categories"], data["audits"]
    failed = {
        key: [audits[ref["id"]]["id"] for ref in categories[key]["auditRefs"] if audits[ref["id"]]["score"] == 0]
        for key in ("accessibility", "best-practices")
    }
    return {
        "performance": round(categories["performance"]["score"] * 100),
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "accessibility": round(categories["accessibility"]["score"] * 100),
        "best-practices": round(categories["best-practices"]["score"] * 100),
        "failed": failed,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", default=PAGES, help=f"pages to measure (default: {' '.join(PAGES)})")
    parser.add_argument("--desktop", action="store_true", help="the desktop preset instead of the mobile one")
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median performance is kept")
    parser.add_argument("--reports", type=Path, help="keep Lighthouse's JSON reports in this folder (<page>.json)")
    args = parser.parse_args()
    lighthouse = os.environ.get("LIGHTHOUSE")
    if not lighthouse:
        parser.error("LIGHTHOUSE must name the lighthouse executable (scripts/lighthouse.sh installs one).")
    ok = True
    with DemoSite() as site, tempfile.TemporaryDirectory() as temporary:
        folder = args.reports or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        pages = site.pages()
        unknown = [name for name in args.pages if name not in pages]
        if unknown:
            parser.error(f"unknown page(s): {', '.join(unknown)}; known: {', '.join(pages)}")
        print(f"{'page':<16} {'path':<40} perf    CLS  a11y  b.p.", flush=True)
        for name in args.pages:
            path, role = pages[name]
            try:
                runs = [
                    measure(
                        lighthouse, site.url(path), site.cookies(role), desktop=args.desktop, folder=folder, name=name
                    )
                    for _ in range(args.runs)
                ]
            except subprocess.CalledProcessError as error:
                print(f"{name:<16} {path:<40} Lighthouse failed ({error})", flush=True)
                ok = False
                continue
            result = sorted(runs, key=lambda run: run["performance"])[len(runs) // 2]
            good = (
                result["performance"] >= 90
                and result["cls"] < 0.1
                and result["accessibility"] == 100
                and result["best-practices"] == 100
            )
            ok &= good
            print(
                f"{name:<16} {path:<40} {result['performance']:>4} {result['cls']:>6.3f} {result['accessibility']:>5}"
                f" {result['best-practices']:>5}{'' if good else '  <- below target'}"
                + "".join(f"\n    {key}: {', '.join(ids)}" for key, ids in result["failed"].items() if ids),
                flush=True,
            )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
