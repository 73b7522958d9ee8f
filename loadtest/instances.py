"""Scale-out check of `make loadtest`: several gunicorn instances over one PostgreSQL share everything a person
needs. A person signs in through the login page of the first instance; the session works on every other one
(the dashboard answers 200, signed in); signing out on the last instance signs them out everywhere.

Usage: python loadtest/instances.py PLAN URL URL [URL…]   (exit status 1 on any failure)
"""

import json
import re
import sys

import requests

SIGNER_NAME = "Personne Multi-Instances"  # loadtest/prepare.py
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """Cookies kept by hand: the production settings mark them Secure, which `requests` would not send over the
    loopback's plain HTTP."""

    def __init__(self):
        self.cookies = {}

    def request(self, method: str, url: str, **kwargs) -> requests.Response:
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        response = requests.request(
            method, url, headers={"Cookie": cookie, "Referer": url}, allow_redirects=False, timeout=30, **kwargs
        )
        self.cookies.update(response.cookies.get_dict())
        return response

    def post_form(self, page_url: str, action_url: str, data: dict) -> requests.Response:
        """Read the page's CSRF token on one URL, post the form to another (possibly on another instance)."""
        token = CSRF_FIELD.search(self.request("GET", page_url).text).group(1)
        return self.request("POST", action_url, data={"csrfmiddlewaretoken": token, **data})


def main(plan_path: str, *urls: str) -> int:
    with open(plan_path, encoding="utf-8") as plan_file:
        plan = json.load(plan_file)
    first, last = urls[0], urls[-1]
    browser, failures = Browser(), []
    signed_in = browser.post_form(first + plan["login"], first + plan["login"], plan["signin"])
    print(f"   sign-in on {first}: HTTP {signed_in.status_code}")
    if signed_in.status_code != 302:
        failures.append(f"sign-in on {first}: HTTP {signed_in.status_code}")
    for url in urls:
        answer = browser.request("GET", url + plan["dashboard"])
        ok = answer.status_code == 200 and SIGNER_NAME in answer.text  # the signed-in person's name in the header
        print(f"   session opened on {first}, used on {url}: HTTP {answer.status_code}{'' if ok else '  <- FAILED'}")
        if not ok:
            failures.append(f"dashboard on {url}: HTTP {answer.status_code}")
    browser.post_form(last + plan["dashboard"], last + plan["logout"], {})
    after = browser.request("GET", first + plan["dashboard"])
    signed_out = after.status_code == 302
    print(f"   signed out on {last}, then {first}: HTTP {after.status_code}{'' if signed_out else '  <- FAILED'}")
    if not signed_out:
        failures.append(f"still signed in on {first} after signing out on {last}")
    for failure in failures:
        print(f"   FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
