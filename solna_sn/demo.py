"""Demo data for Solna: organisation and one user per role. Idempotent: existing rows are kept.

Later parts of the product add their own demo data through `load_demo` as well.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction

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
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            user.units.set(Unit.objects.filter(code__in=demo.unit_codes))
        result.append((demo, created))
    return result
