"""Shared bench setup: Django on a throwaway SQLite database with the demo data loaded."""

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path


def setup() -> None:
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
    from django.test.utils import setup_test_environment

    setup_test_environment()  # allows the test client's host name
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as devnull:
        call_command("load_demo", stdout=devnull)
