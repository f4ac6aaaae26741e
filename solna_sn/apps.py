from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.module_loading import autodiscover_modules


class SolnaSnConfig(AppConfig):
    name = "solna_sn"
    verbose_name = "Organisation och användare"

    def ready(self):
        # Each app says what waits for a user on the start page in <app>/worklist.py
        # (see solna_sn.worklist).
        autodiscover_modules("worklist")
        # Each module registers its part of the verksamhetsplan in <app>/planning.py
        # (see solna_sn.planning).
        autodiscover_modules("planning")


class SolnaAdminConfig(AdminConfig):
    default_site = "solna_sn.admin_site.SolnaAdminSite"
