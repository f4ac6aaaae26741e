"""The Celery application. Tasks are thin wrappers around services and take ids, never models."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solna_sn.settings")

app = Celery("solna_sn")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
