#!/usr/bin/env bash
# Rebuild requirements.txt (production) and requirements-dev.txt (production + dev tools) from the direct
# dependencies in pyproject.toml, each in an empty virtual environment: pip install, then pip freeze.
# Usage: scripts/lock.sh [PYTHON]   (default: python3.13, else python3)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${1:-$(command -v python3.13 || command -v python3)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

direct() {  # the direct dependencies: "prod", or "dev" for production + dev tools
  "$PYTHON" - "$1" <<'PY'
import sys, tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
deps = project["dependencies"] + (project["optional-dependencies"]["dev"] if sys.argv[1] == "dev" else [])
print("\n".join(deps))
PY
}

for kind in prod dev; do
  "$PYTHON" -m venv "$work/$kind"
  direct "$kind" > "$work/$kind.in"
  "$work/$kind/bin/pip" install --quiet --disable-pip-version-check -r "$work/$kind.in"
  "$work/$kind/bin/pip" freeze --disable-pip-version-check | LC_ALL=C sort -f > "$work/$kind.txt"
done

{
  echo "# Production lock: what a PaaS installs (\`pip install -r requirements.txt\`), and nothing else."
  echo "# The direct dependencies are pyproject.toml's [project] dependencies; this pins their whole tree."
  echo "# Rebuilt by scripts/lock.sh in an empty virtual environment: pip install <direct dependencies>; pip freeze."
  cat "$work/prod.txt"
} > requirements.txt
{
  echo "# Development and test lock: the production lock plus pyproject.toml's [project.optional-dependencies] dev"
  echo "# tools (tests, browser tests, load test, lint) with their own dependencies. \`make\` and .ci/run install it."
  echo "# Rebuilt by scripts/lock.sh in an empty virtual environment (production and dev direct dependencies),"
  echo "# keeping below only what the production lock does not already pin."
  echo "-r requirements.txt"
  # Same resolver, same index: a package of both trees has the same version in both (checked here).
  "$PYTHON" - "$work/prod.txt" "$work/dev.txt" <<'PY'
import sys
def pins(path):
    rows = (line.strip().split("==") for line in open(path) if "==" in line)
    return {name.lower().replace("_", "-"): (name, version) for name, version in rows}
prod, dev = pins(sys.argv[1]), pins(sys.argv[2])
for key, (name, version) in prod.items():
    if key in dev and dev[key][1] != version:
        sys.exit(f"{name}: {version} in production, {dev[key][1]} with the dev tools")
for key in sorted(dev, key=str.lower):
    if key not in prod:
        print("==".join(dev[key]))
PY
} > requirements-dev.txt
echo "requirements.txt: $(grep -c '==' requirements.txt) pins; requirements-dev.txt: $(grep -c '==' requirements-dev.txt) more"
