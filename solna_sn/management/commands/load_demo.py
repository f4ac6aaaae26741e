from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import module_has_submodule

from solna_sn import demo, notifications
from solna_sn.lib.topo import stable_order
from solna_sn.models import User


def demo_modules(configs):
    """Each app may add its own demo data in <app>/demo.py: `load(by=user) -> summary text`,
    and `DEPENDS_ON = ("casework", …)` for the apps whose demo it builds on. The loaders run
    after what they depend on, otherwise in the order of INSTALLED_APPS."""
    found = {
        config.label: (config, import_module(f"{config.name}.demo"))
        for config in configs
        if config.name != "solna_sn" and module_has_submodule(config.module, "demo")
    }
    depends_on = {label: getattr(module, "DEPENDS_ON", ()) for label, (_, module) in found.items()}
    return [found[label] for label in stable_order(found, depends_on)]


class Command(BaseCommand):
    help = (
        "Lägger in demodata för Solna (organisation och en användare per roll). "
        "Säker att köra igen."
    )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "load_demo körs inte i produktionsläge (DJANGO_ENV=production): demoanvändarna "
                "har kända lösenord."
            )
        committee = demo.load_organisation()
        users = demo.load_users(committee)
        created = sum(1 for _, was_created in users if was_created)
        self.stdout.write(
            f"Demodata klar: {committee} med förvaltning och enheter, {created} nya demoanvändare."
        )
        controller = User.objects.get(username="controller")
        # The demo's story happened long ago: nobody is mailed about it.
        with notifications.paused():
            for config, module in demo_modules(apps.get_app_configs()):
                summary = module.load(by=controller)
                self.stdout.write(f"{config.verbose_name}: {summary}")
        self.stdout.write("Demoinloggningar (lösenord: demo):")
        for user, _ in users:
            self.stdout.write(f"  {user.username:<18} {user.role.label}")
