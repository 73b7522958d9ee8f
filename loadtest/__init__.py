"""Load and speed testing: the synthetic portfolio (`generate_portfolio`), the page benchmark (`bench`) and
the locust scenario (locustfile.py, prepare.py, report.py, run by scripts/loadtest.sh)."""
