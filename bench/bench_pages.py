"""Page cost as data grows: SQL queries per request and mean request time for the start and
organisation pages, on a throwaway SQLite database with 4 and 40 units."""

import atexit
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["SOLNA_VAR_DIR"] = tempfile.mkdtemp(prefix="solna-bench-")
atexit.register(shutil.rmtree, os.environ["SOLNA_VAR_DIR"], ignore_errors=True)
os.environ["DJANGO_ENV"] = "test"
os.environ.pop("DATABASE_URL", None)
os.environ.pop("REDIS_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solna_sn.settings")

import django

django.setup()

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment

from solna_sn.models import Administration, Unit, User

setup_test_environment()  # allows the test client's host name
call_command("migrate", verbosity=0)
with open(os.devnull, "w") as devnull:
    call_command("load_demo", stdout=devnull)
client = Client()
client.force_login(User.objects.get(username="admin"))


def measure(url: str, label: str, repeats: int = 50) -> None:
    if client.get(url).status_code != 200:
        sys.exit(f"{url} did not answer 200")
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    query_count = len(queries.captured_queries)  # read now: each request resets the log
    start = time.perf_counter()
    for _ in range(repeats):
        client.get(url)
    elapsed = (time.perf_counter() - start) / repeats
    print(f"{label}_queries: {query_count} queries")
    print(f"{label}_time: {elapsed * 1000:.2f} ms")


measure("/", "start_page_4_units")
measure("/organisation/", "organisation_page_4_units")
administration = Administration.objects.get(code="SOF")
Unit.objects.bulk_create(
    Unit(administration=administration, code=f"BENCH{i}", name=f"Enhet {i}") for i in range(36)
)
measure("/organisation/", "organisation_page_40_units")
