from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = "Ärenden och sammanträden"

    def ready(self):
        # Apps above casework that print papers for a meeting register them in
        # <app>/meeting_papers.py (see casework.meeting_papers).
        autodiscover_modules("meeting_papers")
