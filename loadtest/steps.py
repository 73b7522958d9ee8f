"""Step mode of `make loadtest`: capacity measured, not offered.

Users are added in steps (each step a fresh headless locust run of LOADTEST_STEP_SECONDS, statistics reset once
every user has started) until the 95th percentile passes LOADTEST_P95_MS (500 ms) or a request fails. Users wait
LOADTEST_WAIT seconds between requests (0 by default: each user sends its next request as soon as the last one
answered), so that a few users saturate the server and the figure is the server's, not the offered load's.
The saturated throughput is the best requests/s of a step still within the limits (the knee).

Usage: python loadtest/steps.py LABEL HOST PLAN OUT_DIR USER_CLASS [USER_CLASS…]
Prints one line per step and, last, `knee LABEL <req/s> <users>` for scripts/loadtest.sh to collect.
"""

import csv
import os
import subprocess
import sys
from pathlib import Path

STEPS = [int(n) for n in os.environ.get("LOADTEST_STEP_USERS", "1 2 4 8 16 32 64").split()]
SECONDS = int(os.environ.get("LOADTEST_STEP_SECONDS", "20"))
P95_LIMIT = float(os.environ.get("LOADTEST_P95_MS", "500"))
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"


def run_step(label: str, host: str, plan: str, out: Path, classes: list[str], users: int) -> dict:
    prefix = out / f"{label}-{users}"
    env = {**os.environ, "LOADTEST_PLAN": plan, "LOADTEST_LOG": str(out / f"{label}-requests.csv")}
    env.setdefault("LOADTEST_WAIT", "0")
    locust = Path(sys.executable).parent / "locust"
    subprocess.run(
        [str(locust), "-f", str(LOCUSTFILE), "--headless", "-u", str(users), "-r", str(users), "-t", f"{SECONDS}s"]
        + ["--host", host, "--csv", str(prefix), "--reset-stats", "--only-summary", "--loglevel", "ERROR", *classes],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,  # locust exits 1 when a request failed: the statistics decide
    )
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats_file:
        total = next(row for row in csv.DictReader(stats_file) if row["Name"] == "Aggregated")
    return {
        "users": users,
        "rps": float(total["Requests/s"]),
        "p50": float(total["50%"] or 0),
        "p95": float(total["95%"] or 0),
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
    }


def main(label: str, host: str, plan: str, out_dir: str, *classes: str) -> int:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    print(f"-- {label}: {' + '.join(classes)}, steps of {SECONDS} s, limit p95 {P95_LIMIT:.0f} ms or any error")
    print(f"   {'users':>5} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'requests':>9} {'errors':>7}")
    # Warm-up, not counted: every gunicorn worker imports, connects and fills its caches.
    run_step(f"{label}-warmup", host, plan, out, list(classes), max(STEPS[0], 4))
    knee = first = None
    for users in STEPS:
        step = run_step(label, host, plan, out, list(classes), users)
        first = first or step
        within = step["p95"] <= P95_LIMIT and step["failures"] == 0
        print(
            f"   {step['users']:>5} {step['rps']:>8.1f} {step['p50']:>7.0f} {step['p95']:>7.0f} "
            f"{step['requests']:>9} {step['failures']:>7}{'' if within else '  <- past the knee'}",
            flush=True,
        )
        if not within:
            break
        if knee is None or step["rps"] > knee["rps"]:
            knee = step
    if knee is None:
        print("   (past the limits from the first step: its throughput is the figure)")
        knee = first
    print(f"knee {label} {knee['rps']:.1f} {knee['users']}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 6:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
