from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """The plan and follow-up documents (verksamhetsplan, budgetuppföljning, delårsrapport,
    årsredovisning). The top layer: reads the modules through their `reporting.py`."""

    name = "reports"
    verbose_name = "Planer och uppföljningsrapporter"
