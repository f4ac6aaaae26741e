"""Demo data for Solna: organisation and one user per role. Idempotent: existing rows are kept.

Later parts of the product add their own demo data through `load_demo` as well.
"""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone

from solna_sn.models import Administration, Committee, Municipality, Role, Unit, UnitName, User

DEMO_PASSWORD = "demo"

# The four enheter of Socialförvaltningen (VP 2025, Organisation).
UNITS = [
    ("STAB", "Stabsenheten", 10),
    ("EA", "Ekonomi- och arbetsmarknadsenheten", 20),
    ("BOU", "Barn- och ungdomsenheten", 30),
    ("VUX", "Vuxenenheten", 40),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    title: str
    unit_codes: tuple[str, ...] = ()


# Verksamhetsplan och budget 2025 was fastställd at the meeting of 7 October 2024 (goal
# tree, budget version and internkontrollplan together). The protokoll's § is not in the
# sources: a demo assumption, shared by every loader that records or adopts the decision.
VP_2025_DECIDED_ON = datetime.date(2024, 10, 7)
VP_2025_PARAGRAPH = "§ 64"

DEMO_USERS = [
    DemoUser("handlaggare", "Hanna", "Berg", Role.HANDLAGGARE, "Utredare", ("BOU",)),
    DemoUser("controller", "Carl", "Ekström", Role.CONTROLLER, "Controller", ("EA", "BOU", "VUX")),
    DemoUser("granskare", "Greta", "Sundin", Role.GRANSKARE, "Stabschef", ("STAB",)),
    DemoUser("forvaltningschef", "Fredrik", "Holm", Role.FORVALTNINGSCHEF, "Förvaltningschef"),
    DemoUser("namndledamot", "Nora", "Lind", Role.NAMNDLEDAMOT, "Ledamot, socialnämnden"),
    DemoUser("admin", "Adam", "Nyberg", Role.ADMINISTRATOR, "Systemförvaltare"),
]


@transaction.atomic
def load_organisation() -> Committee:
    solna, _ = Municipality.objects.get_or_create(
        code="SOLNA", defaults={"name": "Solna stad", "valid_from": datetime.date(1971, 1, 1)}
    )
    committee, _ = Committee.objects.get_or_create(
        code="SN",
        defaults={"municipality": solna, "name": "Socialnämnden", "dnr_prefix": "SN"},
    )
    administration, _ = Administration.objects.get_or_create(
        code="SOF", defaults={"committee": committee, "name": "Socialförvaltningen"}
    )
    for code, name, sort_order in UNITS:
        unit, created = Unit.objects.get_or_create(
            code=code,
            defaults={
                "administration": administration,
                "name": name,
                "sort_order": sort_order,
                "valid_from": datetime.date(2015, 1, 1),
            },
        )
        if created and code == "STAB":
            # Demo assumption: the staff unit was called "Stab och central ledning" until 2022.
            UnitName.objects.create(
                unit=unit,
                name="Stab och central ledning",
                valid_from=datetime.date(2015, 1, 1),
                valid_to=datetime.date(2022, 12, 31),
            )
    return committee


@transaction.atomic
def load_users(committee: Committee) -> list[tuple[DemoUser, bool]]:
    """Create the demo users that are missing; returns (user, created) pairs."""
    result = []
    for demo in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=demo.username,
            defaults={
                "first_name": demo.first_name,
                "last_name": demo.last_name,
                "role": demo.role,
                "title": demo.title,
                "email": f"{demo.username}@example.invalid",
                "committee": committee if demo.role == Role.NAMNDLEDAMOT else None,
                # Before the demo's story begins (the verksamhetsplan 2024, autumn 2023).
                "date_joined": story_datetime(datetime.date(2023, 9, 1), 8),
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            user.units.set(Unit.objects.filter(code__in=demo.unit_codes))
        result.append((demo, created))
    return result


# --- Story time ---------------------------------------------------------------------------------


def story_datetime(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """`day` at `hour`:`minute`, Swedish time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class Story:
    """The demo's events happen on the dates of their story (a month of 2024 is locked in
    2024, the kallelse of 7 October 2024 is sent before that meeting), not on the day the demo
    is loaded. The loaders call the services as users would, and after each step say when it
    happened: `story.happened(day)` moves every timestamp written since the previous step
    (created and updated times, sent and approved times, audit entries …) to that day. Only
    the loader does this, after the fact; the services always record the real time."""

    def __init__(self):
        self._fields = [
            (model, field.attname)
            for model in apps.get_models()
            if model._meta.managed and not model._meta.proxy
            for field in model._meta.concrete_fields
            if isinstance(field, models.DateTimeField)
        ]
        self._since = timezone.now()

    def happened(self, day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
        when = story_datetime(day, hour, minute)
        until = timezone.now()
        for model, name in self._fields:
            model._base_manager.filter(
                **{f"{name}__gte": self._since, f"{name}__lte": until}
            ).update(**{name: when})
        self._since = timezone.now()
        return when

    def skip(self) -> None:
        """What was written since the previous step happens now (it keeps the real time)."""
        self._since = timezone.now()
