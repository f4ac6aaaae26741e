from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from solna_sn import demo


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
        self.stdout.write("Demoinloggningar (lösenord: demo):")
        for user, _ in users:
            self.stdout.write(f"  {user.username:<18} {user.role.label}")
