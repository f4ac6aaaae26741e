from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class SolnaSnConfig(AppConfig):
    name = "solna_sn"
    verbose_name = "Organisation och användare"


class SolnaAdminConfig(AdminConfig):
    default_site = "solna_sn.admin_site.SolnaAdminSite"
