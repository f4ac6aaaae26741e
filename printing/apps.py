from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class PrintingConfig(AppConfig):
    """The PDF pipeline: rendered documents by content hash, the worker task, status and file
    views, the print base template. Knows nothing of memos or meetings: a document names its
    subject by model label and id, and the owning app says who may read it (`access`)."""

    name = "printing"
    verbose_name = "PDF-framställning"

    def ready(self):
        # Each app that prints says who besides staff reads its documents, in <app>/pdf_access.py
        # (found like admin.py is; see printing.access).
        autodiscover_modules("pdf_access")
