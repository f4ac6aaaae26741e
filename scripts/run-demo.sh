#!/usr/bin/env bash
# `make run`: set up and start the demo on embedded defaults (SQLite in var/, filesystem broker,
# no Redis): web server and background worker together. Safe to run again; data is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8000}"
HOST="${HOST:-127.0.0.1}"
export DJANGO_ENV="${DJANGO_ENV:-development}"
# DEBUG off: the demo shows the product's own Swedish 404 and 500 pages, not Django's debug
# pages with tracebacks (static files are served by WhiteNoise, see settings).
export DJANGO_DEBUG="${DJANGO_DEBUG:-false}"
if [ "$HOST" = "0.0.0.0" ] || [ "$HOST" = "::" ]; then
  export DJANGO_ALLOWED_HOSTS="${DJANGO_ALLOWED_HOSTS:-*}"
else
  export DJANGO_ALLOWED_HOSTS="${DJANGO_ALLOWED_HOSTS:-localhost,127.0.0.1,[::1],$HOST}"
fi
unset DATABASE_URL REDIS_URL CELERY_BROKER_URL

# WeasyPrint (the PDFs) needs Pango from the system, and HarfBuzz's subsetter for speed.
libs="$({ ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null; } || true)"
if ! grep -q libpangoft2-1.0 <<<"$libs" || ! grep -q libharfbuzz-subset <<<"$libs"; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> Installerar Pango för PDF-framställningen"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null
  else
    if ! grep -q libpangoft2-1.0 <<<"$libs"; then
      echo "PDF-framställningen behöver Pango: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0" >&2
      exit 1
    fi
  fi
fi
scripts/bootstrap.sh
mkdir -p var
# A demo database from before the apps were re-layered (reports → casework + printing) cannot be
# migrated: the tables belong to other apps now. Say so instead of failing in the middle. Such a
# database has the old app's meeting table (today's reports app has its own 0001_initial, so
# the migration name alone says nothing).
if [ -f var/db.sqlite3 ] && .venv/bin/python - var/db.sqlite3 <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
try:
    old = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'reports_meeting'"
    ).fetchone()
except sqlite3.DatabaseError:
    old = None
sys.exit(0 if old else 1)
PY
then
  echo "Demodatabasen i var/ är från en äldre version av systemet och kan inte uppgraderas." >&2
  echo "Ta bort den och starta igen (demodatan läggs in på nytt): rm -rf var && make run" >&2
  exit 1
fi
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py load_demo

echo "==> Startar bakgrundsarbetaren (logg: var/worker.log)"
.venv/bin/celery -A solna_sn worker --loglevel=INFO --concurrency=2 --hostname="demo@%h" \
  >var/worker.log 2>&1 &
worker_pid=$!
stop_worker() {
  kill "$worker_pid" 2>/dev/null || return 0
  for _ in $(seq 20); do
    kill -0 "$worker_pid" 2>/dev/null || break
    sleep 0.5
  done
  # Still there after 10 s (a long PDF, or a pool that hangs on exit): a PDF cut off here is
  # taken up again when the worker next starts.
  kill -9 "$worker_pid" 2>/dev/null || true
  wait "$worker_pid" 2>/dev/null || true
}
trap stop_worker EXIT INT TERM

cat <<MSG

  Socialnämndens planering och uppföljning (demo)
  Öppna http://$HOST:$PORT/ i webbläsaren.
  Logga in med ett av användarnamnen ovan och lösenordet: demo
  Avsluta med Ctrl+C.

MSG
# Quiet start: the checks ran with migrate, and the demo knows it is not a production server.
export DJANGO_RUNSERVER_HIDE_WARNING=true
.venv/bin/python manage.py runserver --skip-checks "$HOST:$PORT"
