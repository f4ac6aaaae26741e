#!/usr/bin/env bash
# `make test`: install what the tests need, start a throwaway PostgreSQL cluster and Redis on
# free local ports, run lint and the whole suite, and stop them again. Extra arguments go to
# pytest (scripts/test.sh -k numbers). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

missing=()
PG_BIN="$(pg_bin)"
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then missing+=(postgresql); fi
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x /usr/bin/chromium ] || missing+=(chromium)
# WeasyPrint renders PDFs with Pango; DejaVu covers glyphs the embedded font lacks.
libs="$({ ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null; } || true)"
grep -q libpangoft2-1.0 <<<"$libs" || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
grep -q libharfbuzz-subset <<<"$libs" || missing+=(libharfbuzz-subset0)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> Installerar systempaket: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    PG_BIN="$(pg_bin)"
  else
    echo "Testerna behöver systempaketen: ${missing[*]}" >&2
    echo "Installera dem, till exempel: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

scripts/bootstrap.sh test

free_port() {
  .venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

work="$(mktemp -d -t solna-test.XXXXXX)"
chmod 755 "$work"
mkdir -p "$work/pg" "$work/redis"
as_pg=()
if [ "$(id -u)" = 0 ]; then
  # initdb refuses to run as root: the cluster belongs to the postgres user.
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$work/pg" postgres
  chown postgres "$work/pg"
  as_pg=(runuser -u postgres --)
fi

cleanup() {
  status=$?
  "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$work/pg/data" -m immediate stop >/dev/null 2>&1 || true
  if [ -f "$work/redis/redis.pid" ]; then kill "$(cat "$work/redis/redis.pid")" 2>/dev/null || true; fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT INT TERM

PG_PORT="$(free_port)"
echo "==> Startar PostgreSQL ($("$PG_BIN/postgres" --version | awk '{print $3}')) på port $PG_PORT"
"${as_pg[@]}" "$PG_BIN/initdb" -D "$work/pg/data" -U postgres --auth=trust -E UTF8 \
  --locale=C.UTF-8 >"$work/pg/initdb.log" 2>&1 || { cat "$work/pg/initdb.log" >&2; exit 1; }
"${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w -t 60 \
  -o "-p $PG_PORT -k $work/pg -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
  start >/dev/null || { cat "$work/pg/server.log" >&2; exit 1; }

REDIS_PORT="$(free_port)"
echo "==> Startar Redis på port $REDIS_PORT"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
  --dir "$work/redis" --pidfile "$work/redis/redis.pid" --logfile "$work/redis/redis.log"
for _ in $(seq 50); do
  redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
  sleep 0.1
done

export DJANGO_ENV=test
export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/solna_sn"
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export SOLNA_VAR_DIR="$work/var"
unset CELERY_BROKER_URL DJANGO_SECRET_KEY DJANGO_DEBUG

if [ -z "${SKIP_LINT:-}" ]; then
  echo "==> Lint (ruff, import-linter)"
  .venv/bin/ruff check .
  .venv/bin/lint-imports --no-cache
fi

echo "==> Tester (pytest)"
.venv/bin/pytest "$@"
