"""Summarise a load run: requests/s, p50/p95 and errors, split around the database restart.

Usage: python loadtest/report.py STATS_PREFIX REQUEST_LOG RESTART_FILE
RESTART_FILE holds two epoch times: when the restart began and when the database answered again.
A request counts "during the restart" if it was in flight at some point between the two (it
started before the database answered again and ended after the restart began); errors outside
that window fail the run (exit status 1).
"""

import csv
import sys


def main(prefix, log_path, restart_path):
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        stats = list(csv.DictReader(f))
    rows = []
    with open(log_path, encoding="utf-8") as f:
        for started, ended, _method, name, status, failed, exception in csv.reader(f):
            rows.append((float(started), float(ended), name, int(status), int(failed), exception))
    begin = end = None
    try:
        with open(restart_path, encoding="utf-8") as f:
            begin, end = (float(x) for x in f.read().split())
    except (OSError, ValueError):
        pass

    print(f"{'request':<22}{'count':>8}{'fail':>6}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}")
    for row in stats:
        print(
            f"{row['Name']:<22}{row['Request Count']:>8}{row['Failure Count']:>6}{float(row['Requests/s']):>8.1f}"
            f"{row['50%']:>8}{row['95%']:>8}{float(row['Max Response Time']):>8.0f}"
        )

    def window(started, ended):
        if begin is None:
            return "no restart"
        if ended < begin:
            return "before"
        if started > end:
            return "after"
        return "during"  # in flight at some point while the database was down

    errors = {"before": [], "during": [], "after": [], "no restart": []}
    for started, ended, name, status, failed, exception in rows:
        if failed:
            errors[window(started, ended)].append((name, status, exception))
    if begin is not None:
        print(f"\nPostgreSQL restart: {end - begin:.1f} s (database down, then answering again)")
        for when in ("before", "during", "after"):
            requests = sum(1 for r in rows if window(r[0], r[1]) == when)
            kinds = sorted({f"{n} {s or e}" for n, s, e in errors[when]})
            print(f"  {when:<7} the restart: {requests:>6} requests, {len(errors[when]):>4} errors  {kinds[:6]}")
    outside = errors["before"] + errors["after"] + errors["no restart"]
    print(f"\nerrors outside the restart window: {len(outside)}")
    return 1 if outside else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
