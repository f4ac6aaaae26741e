"""Reusable reads: the register with everything its rows need, in a constant number of
queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch

from contracts import rules
from contracts.models import Contract, ContractFollowUp, Procurement


def contracts_for_register():
    return (
        Contract.objects.select_related("unit", "template")
        .prefetch_related(
            "suppliers",
            "extensions",
            Prefetch("replacing_procurements", queryset=Procurement.objects.order_by("pk")),
        )
        .order_by("area", "name")
    )


@dataclass
class RegisterRow:
    contract: Contract
    current_end: datetime.date | None
    latest_possible_end: datetime.date | None
    procurements: list[Procurement]
    expires_soon: bool
    warning: bool
    ended: bool


def register_rows(contracts, today: datetime.date) -> list[RegisterRow]:
    rows = []
    for contract in contracts:
        end = contract.current_end
        procurements = list(contract.replacing_procurements.all())
        rows.append(
            RegisterRow(
                contract=contract,
                current_end=end,
                latest_possible_end=contract.latest_possible_end,
                procurements=procurements,
                expires_soon=rules.expires_soon(end, today) and end >= today,
                warning=rules.needs_procurement_warning(end, today, bool(procurements)),
                ended=end is not None and end < today,
            )
        )
    return rows


def followups_of_contract(contract: Contract):
    return (
        ContractFollowUp.objects.filter(contract=contract)
        .select_related("plan", "meeting")
        .order_by("-plan__year")
    )
