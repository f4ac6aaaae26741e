"""What waits in avtal: agreements whose current term (used extensions included) ends within
six months. Enhetens staff see their enheters avtal; förvaltningsledning sees all."""

from django.db.models import Max
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from contracts.models import Contract
from solna_sn import permissions
from solna_sn.lib.periods import Month
from solna_sn.models import Role
from solna_sn.worklist import MAX_LINES, Line, register

EXPIRY_MONTHS = 6


def contract_lines(user) -> list[Line]:
    if not permissions.can_view_contracts(user) or user.role == Role.ADMINISTRATOR:
        return []
    today = timezone.localdate()
    horizon = Month.from_date(today).plus(EXPIRY_MONTHS).last_day
    contracts = Contract.objects.filter(end_date__isnull=False).annotate(
        ends=Coalesce(Max("extensions__end_date"), "end_date")
    )
    if user.role not in (Role.GRANSKARE, Role.FORVALTNINGSCHEF):
        contracts = contracts.filter(unit__in=user.units.all())
    expiring = contracts.filter(ends__gte=today, ends__lte=horizon).order_by("ends", "name")
    return [
        Line(
            f"Avtalet ”{contract.name}” löper ut {contract.ends:%Y-%m-%d}",
            reverse("contracts:contract_detail", args=[contract.pk]),
            "löper ut",
        )
        for contract in expiring[:MAX_LINES]
    ]


register(contract_lines)
