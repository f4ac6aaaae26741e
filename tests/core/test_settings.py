"""Settings load from the environment and fail loudly in production."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "x7Qp2vLr9sKd0fWm3nZb8hJc4tYg6uEa1oRi5eXw2qVz7kNs0pMl",
    "DJANGO_ALLOWED_HOSTS": "sn.solna.example",
    "DATABASE_URL": "postgres://solna:hemligt@db.example:5432/solna_sn",
    "REDIS_URL": "redis://redis.example:6379/0",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    base.pop("REDIS_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_without_secret_key_refuses_to_start():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = manage("check", env={**PRODUCTION_ENV, "DJANGO_SECRET_KEY": "kort"})
    assert result.returncode != 0
    assert "too short" in result.stderr


def test_production_refuses_sqlite():
    result = manage("check", env={**PRODUCTION_ENV, "DATABASE_URL": "sqlite:///x.sqlite3"})
    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr


def test_production_settings_are_secure():
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS > 0, s.LANGUAGE_CODE, s.TIME_ZONE)"
    )
    result = manage("shell", "-c", code, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "False",
        "True",
        "True",
        "True",
        "True",
        "sv",
        "Europe/Stockholm",
    ]


def test_production_worker_gives_back_the_jobs_of_a_dead_worker():
    code = (
        "from solna_sn.celery import app; from printing.tasks import render_document as t; "
        "c = app.conf; "
        "print(c.task_acks_late, c.task_reject_on_worker_lost, c.worker_prefetch_multiplier, "
        "c.broker_transport_options['visibility_timeout'], t.time_limit, t.soft_time_limit)"
    )
    result = manage("shell", "-c", code, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    acks_late, reject, prefetch, visibility, hard, soft = (
        result.stdout.strip().splitlines()[-1].split()
    )
    assert (acks_late, reject, prefetch) == ("True", "True", "1")
    # A message comes back only after the longest render could have finished.
    assert int(soft) < int(hard) < int(visibility)


def test_demo_loader_refuses_production_mode():
    result = manage("load_demo", env=PRODUCTION_ENV)
    assert result.returncode != 0
    assert "load_demo körs inte i produktionsläge" in result.stderr


def test_unknown_environment_name_is_refused():
    result = manage("check", env={"DJANGO_ENV": "prod"})
    assert result.returncode != 0
    assert "DJANGO_ENV must be development, test or production" in result.stderr


@pytest.mark.django_db
def test_models_have_no_changes_without_migrations():
    # Raises SystemExit(1) when a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


# --- The zero-setup demo (`make run`): SQLite and error pages ------------------------------


def demo_env(var_dir: Path) -> dict[str, str]:
    """The environment scripts/run-demo.sh gives the web process, on a fresh var/."""
    return {"DJANGO_ENV": "development", "DJANGO_DEBUG": "false", "SOLNA_VAR_DIR": str(var_dir)}


def run_python(code: str, *, env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "SOLNA_VAR_DIR"):
        base.pop(name, None)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "solna_sn.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_demo_sqlite_waits_for_the_write_lock_in_immediate_transactions(tmp_path):
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default']))"
    )
    result = run_python(code, env=demo_env(tmp_path))
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout.strip().splitlines()[-1])
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "db.sqlite3")
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert config["OPTIONS"]["timeout"] >= 10
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


RACE = """
import json, threading, time
import django
django.setup()
from django.db import OperationalError, connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE race (id integer PRIMARY KEY, version integer NOT NULL)")
    cursor.execute("INSERT INTO race VALUES (1, 0)")
connection.close()

results = {}
both_started = threading.Barrier(2)


def save(name):
    # Like a save with an optimistic version check: read, work, write if nobody came first.
    try:
        both_started.wait()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT version FROM race WHERE id = 1")
            cursor.fetchone()
            time.sleep(0.3)
            cursor.execute("UPDATE race SET version = version + 1 WHERE id = 1 AND version = 0")
            results[name] = "saved" if cursor.rowcount == 1 else "conflict"
    except OperationalError as error:
        results[name] = f"error: {error}"
    finally:
        connection.close()


threads = [threading.Thread(target=save, args=(name,)) for name in ("a", "b")]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps(results))
"""


def test_two_racing_saves_on_the_demo_sqlite_give_one_save_and_one_conflict(tmp_path):
    # Before: the second writer got "database is locked" (a 500) instead of the conflict view.
    result = run_python(RACE, env=demo_env(tmp_path))
    assert result.returncode == 0, result.stderr
    results = json.loads(result.stdout.strip().splitlines()[-1])
    assert sorted(results.values()) == ["conflict", "saved"], results


ERROR_PAGES = """
import json
import django
django.setup()
from django.test import Client

client = Client(raise_request_exception=False, HTTP_HOST="127.0.0.1")
missing = client.get("/finns-inte/")
css = client.get("/static/css/app.css")
# A real failure: the database of this fresh var/ has no tables, so reading the session fails.
client.cookies["sessionid"] = "x" * 32
broken = client.get("/")
print(json.dumps({
    "missing": [missing.status_code, missing.content.decode()],
    "css": [css.status_code, b"".join(css.streaming_content).decode()[:200]
            if css.streaming else css.content.decode()[:200]],
    "broken": [broken.status_code, broken.content.decode()],
}))
"""


def test_demo_shows_the_swedish_404_and_500_pages_and_serves_static_files(tmp_path):
    result = run_python(ERROR_PAGES, env=demo_env(tmp_path))
    assert result.returncode == 0, result.stderr
    pages = json.loads(result.stdout.strip().splitlines()[-1])

    status, html = pages["missing"]
    assert status == 404
    assert "<h1>Sidan finns inte</h1>" in html and '<html lang="sv">' in html
    assert "Page not found" not in html and "URLconf" not in html

    status, html = pages["broken"]
    assert status == 500
    assert '<html lang="sv">' in html and "<h1>Något gick fel</h1>" in html
    assert "Traceback" not in html and "OperationalError" not in html
    assert "Server Error" not in html

    status, css = pages["css"]
    assert status == 200 and css.strip()


def test_make_run_starts_the_demo_with_debug_off():
    script = (ROOT / "scripts" / "run-demo.sh").read_text()
    assert 'export DJANGO_DEBUG="${DJANGO_DEBUG:-false}"' in script
