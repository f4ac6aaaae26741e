#!/usr/bin/env bash
# Create .venv and install the pinned dependencies (plus the extras named in $1, e.g. "test").
# Re-installs only when pyproject.toml or the extras change.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
PYTHON="${PYTHON:-python3}"

if ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "Hittar inte $PYTHON. Installera Python 3.11 eller senare (apt-get install python3 python3-venv)." >&2
  exit 1
fi
if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "Python 3.11 eller senare krävs; $PYTHON är $("$PYTHON" --version 2>&1)." >&2
  echo "Ange en annan tolk med PYTHON=/sökväg/till/python3.11 make …" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "==> Skapar virtuell miljö i .venv"
  "$PYTHON" -m venv .venv || {
    echo "Kunde inte skapa .venv: installera venv-modulen (apt-get install python3-venv)." >&2
    exit 1
  }
fi
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)-${extras:-base}"
if [ ! -f "$stamp" ]; then
  echo "==> Installerar beroenden${extras:+ ($extras)}"
  # setuptools warns on every editable install that a folder named like a package may shadow
  # it; here the checkout *is* the package, so the warning only hides real output.
  export PYTHONWARNINGS="ignore::Warning:setuptools.command.editable_wheel"
  .venv/bin/python -m pip install --quiet --upgrade "pip>=24,<27"
  if [ -n "$extras" ]; then
    .venv/bin/python -m pip install --quiet -e ".[$extras]"
  else
    .venv/bin/python -m pip install --quiet -e .
  fi
  touch "$stamp"
fi
