"""Page cost as data grows: SQL queries per request and mean request time for the start and
organisation pages, on a throwaway SQLite database with 4 and 40 units."""

import sys
import time

import _demo_db

_demo_db.setup()

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from solna_sn.models import Administration, Unit, User

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
