"""The demo data: what the sources describe, loaded through the services, and idempotent."""

import datetime
from decimal import Decimal

from django.core.management import call_command

from contracts import reporting
from contracts.demo import load
from contracts.models import (
    Contract,
    ContractExtension,
    ContractFollowUp,
    FollowUpKind,
    FollowUpPlan,
    FollowUpStatus,
    Procurement,
    Supplier,
)
from solna_sn import demo as solna_demo
from solna_sn.models import AuditEntry, User


def counts():
    return [
        model.objects.count()
        for model in (
            Contract,
            Procurement,
            Supplier,
            ContractExtension,
            ContractFollowUp,
            AuditEntry,
        )
    ]


def test_demo_contracts_follow_the_sources(db):
    committee = solna_demo.load_organisation()
    solna_demo.load_users(committee)
    summary = load(by=User.objects.get(username="controller"))
    assert "5 avtal" in summary

    group_homes = Contract.objects.prefetch_related("extensions").get(
        area="Grupp- och träningsbostäder"
    )
    assert group_homes.current_end == datetime.date(2025, 2, 28)
    assert group_homes.replacing_procurements.get().dnr == "SN/2024:23"
    ombud = Contract.objects.prefetch_related("extensions").get(dnr="SN/2020:101")
    assert [s.name for s in ombud.suppliers.all()] == ["Stiftelsen Parasoll"]
    new_ombud = Procurement.objects.get(dnr="SN/2024:49")
    assert len(new_ombud.partner_list) == 6 and new_ombud.coordinator == "Solna"
    barnahus = Contract.objects.get(dnr="SN/2024:70")
    assert barnahus.annual_value == Decimal("438000.00")
    assert (barnahus.start_date, barnahus.end_date) == (
        datetime.date(2025, 1, 1),
        datetime.date(2029, 12, 31),
    )
    assert list(reporting.procurements_to_tender(2025).values_list("dnr", flat=True)) == [
        "SN/2023:94"
    ]

    plan = FollowUpPlan.objects.get(year=2024)
    assert plan.is_approved
    assert not plan.followups.filter(contract=barnahus).exists()  # not in force in 2024
    family = ContractFollowUp.objects.get(plan=plan, contract__area="Familjerådgivning")
    assert family.kind == FollowUpKind.ORDINARY and family.status == FollowUpStatus.APPROVED
    assert not family.items.filter(rating="").exists()
    assert family.deficiencies.count() == 2
    text = reporting.followup_paragraph(2024, today=datetime.date(2024, 9, 15))
    assert "genomfört en ordinarie avtalsuppföljning av familjerådgivning" in text
    assert "en förenklad uppföljning av grupp- och träningsbostäder" in text


def test_load_demo_twice_creates_nothing_new(db):
    call_command("load_demo")
    before = counts()
    assert before[0] == 5
    call_command("load_demo")
    assert counts() == before
