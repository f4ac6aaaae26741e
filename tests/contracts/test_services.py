"""Services on PostgreSQL: contracts, extensions, procurements, the yearly plan and the
follow-ups with their approval. Bad input: a Swedish message and nothing saved."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from casework import documents as casework_documents
from casework.models import Memo
from contracts import reporting, services, tasks
from contracts.models import (
    ActivityStatus,
    CheckResult,
    Contract,
    ContractExtension,
    ContractFollowUp,
    FollowUpItem,
    FollowUpKind,
    FollowUpPlan,
    FollowUpStatus,
    Frequency,
    Outcome,
    Procurement,
    ProcurementStatus,
    Rating,
    Supplier,
)
from contracts.services import followups
from solna_sn.models import AuditEntry
from tests.contracts.conftest import contract_data

D = datetime.date


def messages(error: ValidationError) -> str:
    return " ".join(m for ms in error.message_dict.values() for m in ms)


# --- Avtal ----------------------------------------------------------------------------------


def test_contract_is_registered_with_suppliers_and_audited(unit, handlaggare):
    contract = services.contract_create(
        by=handlaggare,
        suppliers=[
            services.SupplierInput("Familjecentrum AB", "5560360793"),
            services.SupplierInput("Samtalsstöd i Solna"),
        ],
        annual_value=Decimal("438000"),
        **contract_data(
            unit, term_pattern="2 + 1+1", start_date=D(2021, 5, 2), end_date=D(2023, 5, 1)
        ),
    )
    assert contract.term_pattern == "2+1+1"
    assert sorted(s.org_number for s in contract.suppliers.all()) == ["", "556036-0793"]
    entry = AuditEntry.objects.get(action="contract.created")
    assert entry.target_id == str(contract.pk) and entry.actor_username == "hanna"
    assert entry.changes["name"] == [None, "Familjerådgivning"]


def test_end_before_start_is_refused_and_nothing_saved(unit, handlaggare):
    with pytest.raises(ValidationError) as error:
        services.contract_create(by=handlaggare, **contract_data(unit, end_date=D(2021, 12, 31)))
    assert error.value.message_dict["end_date"] == ["Slutdatum kan inte ligga före startdatum."]
    assert not Contract.objects.exists() and not AuditEntry.objects.exists()


def test_bad_term_pattern_is_refused(unit, handlaggare):
    with pytest.raises(ValidationError) as error:
        services.contract_create(by=handlaggare, **contract_data(unit, term_pattern="2,1,1"))
    assert "till exempel 2+1+1" in error.value.message_dict["term_pattern"][0]
    assert not Contract.objects.exists()


def test_term_pattern_must_fit_the_base_term(unit, handlaggare):
    with pytest.raises(ValidationError) as error:
        services.contract_create(by=handlaggare, **contract_data(unit, term_pattern="2+1+1"))
    assert "ska avtalet sluta 2023-12-31" in error.value.message_dict["term_pattern"][0]


def test_bad_org_number_check_digit_is_refused_and_no_supplier_saved(unit, handlaggare):
    with pytest.raises(ValidationError) as error:
        services.contract_create(
            by=handlaggare,
            suppliers=[services.SupplierInput("Familjecentrum AB", "556036-0794")],
            **contract_data(unit),
        )
    assert "fel kontrollsiffra" in error.value.message_dict["suppliers"][0]
    assert not Supplier.objects.exists() and not Contract.objects.exists()


def test_missing_fields_and_wrong_types_are_refused(unit, handlaggare):
    with pytest.raises(ValidationError) as error:
        services.contract_create(
            by=handlaggare,
            name=" ",
            area="",
            acquisition="köpt",
            start_date="2024-01-01",
            end_date=None,
            unit=unit,
            annual_value="mycket",
            dnr="SN 2024 1",
        )
    fields = error.value.message_dict
    assert fields["name"] == ["Ange avtalets namn."]
    assert fields["area"] == ["Ange avtalsområde."]
    assert fields["acquisition"] == ["Välj avtalsform."]
    assert fields["start_date"] == ["Ange datum som ÅÅÅÅ-MM-DD."]
    assert "kronor" in fields["annual_value"][0]
    assert "diarienummer" in fields["dnr"][0]
    assert not Contract.objects.exists()


def test_another_units_contract_cannot_be_registered_or_changed(
    unit, other_unit, handlaggare, other_handlaggare, make_contract
):
    with pytest.raises(PermissionDenied):
        services.contract_create(by=handlaggare, **contract_data(other_unit))
    contract = make_contract()
    with pytest.raises(PermissionDenied):
        services.contract_update(
            contract=contract, by=other_handlaggare, **contract_data(other_unit, name="Nytt")
        )
    contract.refresh_from_db()
    assert contract.name == "Familjerådgivning"


def test_update_records_the_changed_fields(make_contract, handlaggare, unit):
    contract = make_contract()
    services.contract_update(
        contract=contract, by=handlaggare, **contract_data(unit, name="Familjerådgivning LOV")
    )
    entry = AuditEntry.objects.get(action="contract.updated")
    assert entry.changes == {"name": ["Familjerådgivning", "Familjerådgivning LOV"]}


def test_extensions_move_the_current_end(make_contract, handlaggare):
    contract = make_contract(term_pattern="2+1+1", start_date=D(2021, 5, 2), end_date=D(2023, 5, 1))
    services.contract_extension_add(
        contract=contract, start_date=D(2023, 5, 2), end_date=D(2024, 5, 1), by=handlaggare
    )
    contract = Contract.objects.prefetch_related("extensions").get(pk=contract.pk)
    assert contract.current_end == D(2024, 5, 1)
    assert contract.latest_possible_end == D(2025, 5, 1)
    assert contract.options_left == 1


def test_overlapping_extension_is_refused_and_nothing_saved(make_contract, handlaggare):
    contract = make_contract(term_pattern="2+1+1", start_date=D(2021, 5, 2), end_date=D(2023, 5, 1))
    with pytest.raises(ValidationError) as error:
        services.contract_extension_add(
            contract=contract, start_date=D(2023, 1, 1), end_date=D(2023, 12, 31), by=handlaggare
        )
    assert "överlappar avtalets grundperiod" in messages(error.value)
    assert not ContractExtension.objects.exists()


def test_only_the_last_extension_can_be_removed(make_contract, handlaggare):
    contract = make_contract(term_pattern="2+1+1", start_date=D(2021, 5, 2), end_date=D(2023, 5, 1))
    first = services.contract_extension_add(
        contract=contract, start_date=D(2023, 5, 2), end_date=D(2024, 5, 1), by=handlaggare
    )
    services.contract_extension_add(
        contract=contract, start_date=D(2024, 5, 2), end_date=D(2025, 5, 1), by=handlaggare
    )
    with pytest.raises(ValidationError, match="senaste"):
        services.contract_extension_remove(extension=first, by=handlaggare)
    assert ContractExtension.objects.count() == 2


# --- Upphandlingar --------------------------------------------------------------------------


def test_procurement_with_partners_replaces_a_contract(make_contract, handlaggare, unit):
    contract = make_contract()
    procurement = services.procurement_create(
        by=handlaggare,
        designation="Personligt ombud",
        dnr="sn/2024:49",
        status=ProcurementStatus.ONGOING,
        partners="Danderyd\nSigtuna\n\nSigtuna\nSollentuna",
        coordinator="Solna",
        planned_start=D(2024, 9, 17),
        unit=unit,
        replaces=[contract],
    )
    assert procurement.dnr == "SN/2024:49"
    assert procurement.partner_list == ["Danderyd", "Sigtuna", "Sollentuna"]
    assert list(contract.replacing_procurements.all()) == [procurement]
    assert list(reporting.procurements_followed_up(2024)) == [procurement]
    assert list(reporting.procurements_followed_up(2023)) == []


def test_procurement_bad_input_is_refused(handlaggare, unit):
    with pytest.raises(ValidationError) as error:
        services.procurement_create(
            by=handlaggare,
            designation="",
            status="klar",
            plan_year="nästa år",
            completed_on=D(2024, 1, 1),
            unit=unit,
        )
    fields = error.value.message_dict
    assert set(fields) >= {"designation", "status", "plan_year"}
    assert not Procurement.objects.exists()


def test_competition_plan_lists_the_years_procurements(handlaggare, unit):
    fordon = services.procurement_create(
        by=handlaggare,
        designation="Avrop av fordon till socialförvaltningen",
        dnr="SN/2023:94",
        plan_year=2025,
        unit=unit,
    )
    assert list(reporting.procurements_to_tender(2025)) == [fordon]
    assert list(reporting.procurements_to_tender(2024)) == []


# --- Tidsplan --------------------------------------------------------------------------------


def test_plan_proposes_alternating_kinds_for_contracts_in_force(
    make_contract, controller, granskare, committee
):
    old = make_contract(name="Ended", start_date=D(2019, 1, 1), end_date=D(2022, 12, 31))
    both = make_contract(name="Both years", start_date=D(2021, 1, 1), end_date=D(2026, 12, 31))
    new = make_contract(name="New", start_date=D(2024, 6, 1), end_date=None, dnr="")
    plan_2023 = services.plan_generate(year=2023, by=controller)
    assert {f.contract for f in plan_2023.followups.all()} == {both}
    followup = plan_2023.followups.get()
    assert followup.kind == followup.proposed_kind == FollowUpKind.ORDINARY

    plan_2024 = services.plan_generate(year=2024, by=controller)
    kinds = {f.contract: (f.proposed_kind, f.kind) for f in plan_2024.followups.all()}
    assert kinds == {
        both: (FollowUpKind.SIMPLIFIED, FollowUpKind.SIMPLIFIED),
        new: (FollowUpKind.ORDINARY, FollowUpKind.ORDINARY),
    }
    assert old not in kinds
    # The user decides: the proposal stays visible next to the choice.
    row = plan_2024.followups.get(contract=both)
    services.plan_followup_update(
        followup=row, kind=FollowUpKind.ORDINARY, planned_date=D(2024, 10, 1), by=controller
    )
    row.refresh_from_db()
    assert (row.proposed_kind, row.kind) == (FollowUpKind.SIMPLIFIED, FollowUpKind.ORDINARY)
    # Generating again keeps decisions and adds nothing twice.
    services.plan_generate(year=2024, by=controller)
    assert ContractFollowUp.objects.filter(plan=plan_2024).count() == 2
    assert ContractFollowUp.objects.get(pk=row.pk).kind == FollowUpKind.ORDINARY


def test_follow_up_for_a_contract_not_in_force_is_refused(make_contract, controller, committee):
    contract = make_contract(start_date=D(2025, 1, 1), end_date=D(2029, 12, 31))
    plan = FollowUpPlan.objects.create(committee=committee, year=2024)
    with pytest.raises(ValidationError) as error:
        services.plan_followup_add(plan=plan, contract=contract, by=controller)
    assert error.value.message_dict["contract"] == [
        "Avtalet gäller inte under 2024 (2025-01-01–2029-12-31) och kan inte följas upp det året."
    ]
    assert not ContractFollowUp.objects.exists()


def test_plan_approval_needs_dates_and_then_locks_the_kinds(
    make_contract, controller, granskare, handlaggare
):
    make_contract()
    plan = services.plan_generate(year=2024, by=controller)
    with pytest.raises(PermissionDenied):
        services.plan_approve(plan=plan, by=controller)
    with pytest.raises(ValidationError, match="ange sammanträde eller planerat datum"):
        services.plan_approve(plan=plan, by=granskare)
    row = plan.followups.get()
    services.plan_followup_update(
        followup=row, kind=row.kind, planned_date=D(2024, 11, 15), by=controller
    )
    plan = services.plan_approve(plan=plan, by=granskare)
    assert plan.is_approved and plan.approved_by == granskare
    with pytest.raises(ValidationError, match="typen kan inte ändras"):
        services.plan_followup_update(
            followup=row,
            kind=FollowUpKind.SIMPLIFIED,
            planned_date=D(2024, 11, 15),
            by=controller,
        )
    # Rescheduling stays possible and is audited.
    services.plan_followup_update(
        followup=row, kind=row.kind, planned_date=D(2024, 12, 1), by=controller
    )
    assert AuditEntry.objects.filter(action="followup.replanned").count() == 2
    with pytest.raises(ValidationError, match="godkänd"):
        services.plan_generate(year=2024, by=controller)
    with pytest.raises(PermissionDenied):
        services.plan_generate(year=2025, by=handlaggare)


def test_overdue_follow_ups_are_those_past_their_date_and_not_done(make_contract, controller):
    make_contract()
    plan = services.plan_generate(year=2024, by=controller)
    row = plan.followups.get()
    services.plan_followup_update(
        followup=row, kind=row.kind, planned_date=D(2024, 3, 1), by=controller
    )
    row.refresh_from_db()
    assert row.is_overdue(D(2024, 3, 2)) and not row.is_overdue(D(2024, 3, 1))


# --- Uppföljningar ---------------------------------------------------------------------------


@pytest.fixture
def ordinary(make_contract, controller, handlaggare, template):
    contract = make_contract(template=template)
    plan = services.plan_generate(year=2024, by=controller)
    followup = plan.followups.get(contract=contract)
    return services.followup_start(followup=followup, by=handlaggare)


def rate_all(followup, by, rating=Rating.GOOD, **extra):
    data = {
        "items": {item.pk: (rating, "Enligt avtalet.") for item in followup.items.all()},
        "method_documents": "Genomförandeplaner och avvikelserapporter",
        "method_interviews": "Verksamhetschef och två behandlare",
        "verdict": "Verksamheten fungerar väl.",
        "outcome": Outcome.FULFILLED,
        "completed_on": D(2024, 9, 1),
    }
    data.update(extra)
    return services.followup_save(followup=followup, data=data, by=by)


def test_ordinary_follow_up_copies_the_template_items(ordinary):
    codes = [(item.code, item.area_title) for item in ordinary.items.all()]
    assert codes == [
        ("1.1", "Verksamhetens innehåll"),
        ("1.2", "Verksamhetens innehåll"),
        ("4.1", "Delaktighet"),
    ]
    assert ordinary.status == FollowUpStatus.IN_PROGRESS
    assert ordinary.template_name == "Boende enligt SoL"


def test_rating_not_on_the_scale_is_refused_and_nothing_saved(ordinary, handlaggare):
    first, second, _ = ordinary.items.all()
    with pytest.raises(ValidationError) as error:
        services.followup_save(
            followup=ordinary,
            data={
                "items": {first.pk: (Rating.GOOD, "Bra"), second.pk: ("utmärkt", "")},
                "verdict": "Ändrad",
            },
            by=handlaggare,
        )
    assert "Punkt 1.2: ”utmärkt” finns inte på skalan" in messages(error.value)
    first.refresh_from_db()
    ordinary.refresh_from_db()
    assert first.rating == "" and ordinary.verdict == ""


def test_rating_counts_are_computed_from_the_items(ordinary, handlaggare):
    first, second, third = ordinary.items.all()
    services.followup_save(
        followup=ordinary,
        data={
            "items": {
                first.pk: (Rating.VERY_GOOD, ""),
                second.pk: (Rating.DEFICIENT, "Saknas"),
                third.pk: (Rating.DEFICIENT, ""),
            }
        },
        by=handlaggare,
    )
    full = services.followups_with_content().get(pk=ordinary.pk)
    assert [(label, n) for _, label, n in reporting.rating_counts(full)] == [
        ("Mycket väl fungerande", 1),
        ("Fungerande", 0),
        ("Bristfällig", 2),
        ("Ej bedömd", 0),
    ]


def test_approving_with_unrated_items_is_refused(ordinary, handlaggare, granskare):
    first = ordinary.items.first()
    rate_all(ordinary, handlaggare)
    FollowUpItem.objects.filter(pk=first.pk).update(rating="")
    with pytest.raises(ValidationError) as error:
        services.followup_approve(followup=ordinary, by=granskare)
    assert "Punkt 1.1 saknar bedömning." in messages(error.value)
    ordinary.refresh_from_db()
    assert ordinary.status == FollowUpStatus.IN_PROGRESS and ordinary.approved_at is None


def test_approved_follow_up_is_locked(ordinary, handlaggare, granskare):
    rate_all(ordinary, handlaggare)
    services.deficiency_add(
        followup=ordinary,
        description="Fakturor saknar underlag",
        action="Bifoga underlag",
        deadline=D(2024, 12, 1),
        by=handlaggare,
    )
    with pytest.raises(PermissionDenied):
        services.followup_approve(followup=ordinary, by=handlaggare)
    approved = services.followup_approve(followup=ordinary, by=granskare)
    assert approved.status == FollowUpStatus.APPROVED and approved.approved_by == granskare
    with pytest.raises(ValidationError) as error:
        rate_all(approved, handlaggare, rating=Rating.DEFICIENT, verdict="Ändrat i efterhand")
    assert "godkänd och låst" in messages(error.value)
    approved.refresh_from_db()
    assert approved.verdict == "Verksamheten fungerar väl."
    assert set(approved.items.values_list("rating", flat=True)) == {Rating.GOOD}
    with pytest.raises(ValidationError, match="låst"):
        services.deficiency_remove(deficiency=approved.deficiencies.get(), by=handlaggare)


def test_another_units_follow_up_cannot_be_edited(ordinary, other_handlaggare):
    with pytest.raises(PermissionDenied):
        rate_all(ordinary, other_handlaggare)


def test_checklist_statuses_per_place(ordinary, handlaggare):
    activity = services.activity_add(
        followup=ordinary,
        frequency=Frequency.MONTHLY,
        text="Brandövning",
        status=ActivityStatus.ONGOING,
        by=handlaggare,
    )
    services.activity_update(
        activity=activity,
        status=ActivityStatus.ONGOING,
        places={"Sunnängen": ActivityStatus.DEVIATION, "Västra vägen": ActivityStatus.ONGOING},
        by=handlaggare,
    )
    assert [(p.place, p.status) for p in activity.places.all()] == [
        ("Sunnängen", ActivityStatus.DEVIATION)
    ]
    with pytest.raises(ValidationError) as error:
        services.activity_add(
            followup=ordinary, frequency="dagligen", text="", status="klar", by=handlaggare
        )
    assert set(error.value.message_dict) == {"frequency", "text", "status"}


def test_simplified_follow_up_has_four_checks(make_contract, controller, handlaggare, granskare):
    contract = make_contract()
    plan = services.plan_generate(year=2024, by=controller)
    followup = plan.followups.get(contract=contract)
    services.plan_followup_update(
        followup=followup,
        kind=FollowUpKind.SIMPLIFIED,
        planned_date=D(2024, 10, 1),
        by=controller,
    )
    followup = services.followup_start(followup=followup, by=handlaggare)
    checks = list(followup.checks.all())
    assert [c.get_topic_display() for c in checks] == [
        "Ekonomisk ställning",
        "Giltigt tillstånd från IVO",
        "Tillsynsärenden hos IVO",
        "Uppföljningsmöte",
    ]
    with pytest.raises(ValidationError, match="Kontroller utan resultat"):
        services.followup_approve(followup=followup, by=granskare)
    services.followup_save(
        followup=followup,
        data={
            "checks": {c.pk: (CheckResult.PASS, "Kontrollerat.") for c in checks},
            "verdict": "Inga anmärkningar.",
            "outcome": Outcome.FULFILLED,
            "completed_on": D(2024, 9, 20),
        },
        by=handlaggare,
    )
    assert services.followup_approve(followup=followup, by=granskare).is_locked


def test_memo_is_created_once_with_summary_from_the_follow_up(
    ordinary, handlaggare, granskare, unit
):
    rate_all(ordinary, handlaggare)
    with pytest.raises(ValidationError, match="när uppföljningen är godkänd"):
        services.followup_memo_create(followup=ordinary, by=handlaggare)
    services.followup_approve(followup=ordinary, by=granskare)
    memo = services.followup_memo_create(followup=ordinary, by=handlaggare)
    assert memo.title == "Ordinarie avtalsuppföljning 2024 av familjerådgivning"
    assert memo.case.title == memo.title and memo.unit == unit
    assert "- Fungerande: 3" in memo.summary
    assert memo.decision_proposal.startswith("Socialnämnden tar del av den ordinarie")
    again = services.followup_memo_create(followup=ordinary, by=handlaggare)
    assert again.pk == memo.pk and Memo.objects.count() == 1
    ordinary.refresh_from_db()
    assert ordinary.memo_id == memo.pk


def test_report_paragraph_names_done_and_planned_follow_ups(
    make_contract, controller, handlaggare, granskare, template
):
    done_contract = make_contract(template=template)
    make_contract(name="Gruppbostäder", area="Grupp- och träningsbostäder")
    plan = services.plan_generate(year=2024, by=controller)
    followup = services.followup_start(
        followup=plan.followups.get(contract=done_contract), by=handlaggare
    )
    rate_all(followup, handlaggare)
    services.followup_approve(followup=followup, by=granskare)
    text = reporting.followup_paragraph(2024, today=D(2024, 9, 1))
    assert text.startswith(
        "Nämnden har i enlighet med årets plan för avtalsuppföljningar genomfört en ordinarie "
        "avtalsuppföljning av familjerådgivning."
    )
    assert "bedömer förvaltningen: avtalet följs." in text
    assert text.endswith(
        "Under resten av året planeras en ordinarie uppföljning av grupp- och träningsbostäder."
    )


def test_follow_up_save_with_wrong_types_is_refused(ordinary, handlaggare):
    item = ordinary.items.first()
    with pytest.raises(ValidationError) as error:
        services.followup_save(
            followup=ordinary,
            data={
                "completed_on": "2024-09-01",
                "verdict": 42,
                "outcome": "bra",
                "items": {item.pk: Rating.GOOD},
            },
            by=handlaggare,
        )
    fields = error.value.message_dict
    assert fields["completed_on"] == ["Ange datum som ÅÅÅÅ-MM-DD."]
    assert fields["verdict"] == ["Ange text."]
    assert fields["outcome"] == ["Välj ett resultat i listan."]
    assert "ange bedömning och kommentar" in fields[f"item-{item.pk}-rating"][0]
    ordinary.refresh_from_db()
    assert ordinary.completed_on is None and ordinary.outcome == ""


def test_the_last_one_who_changed_a_follow_up_may_not_approve_it(
    ordinary, granskare, forvaltningschef, client
):
    rate_all(ordinary, granskare)
    with pytest.raises(ValidationError) as error:
        services.followup_approve(followup=ordinary, by=granskare)
    assert "fyraögonprincipen" in messages(error.value)
    ordinary.refresh_from_db()
    assert ordinary.status == FollowUpStatus.IN_PROGRESS
    client.force_login(granskare)
    page = client.get(reverse("contracts:followup_detail", args=[ordinary.pk])).content.decode()
    assert "Du har själv senast ändrat uppföljningen" in page
    assert "Godkänn uppföljningen</button>" not in page
    assert (
        services.followup_approve(followup=ordinary, by=forvaltningschef).approved_by
        == forvaltningschef
    )


def test_the_follow_ups_pdf_is_listed_in_its_memos_handlingar(
    ordinary, handlaggare, granskare, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(
        followups.celery_app, "send_task", lambda name, kwargs: sent.append((name, kwargs))
    )
    rate_all(ordinary, handlaggare)
    services.followup_approve(followup=ordinary, by=granskare)
    with django_capture_on_commit_callbacks(execute=True):
        memo = services.followup_memo_create(followup=ordinary, by=handlaggare)
    assert sent == [
        ("contracts.attach_followup_pdf", {"followup_id": ordinary.pk, "by_id": handlaggare.pk})
    ]
    tasks.attach_followup_pdf(**sent[0][1])
    tasks.attach_followup_pdf(**sent[0][1])  # a second run adds nothing
    attachment = memo.attachments.get()
    assert attachment.title == (
        "Avtalsuppföljning: Ordinarie avtalsuppföljning 2024 av familjerådgivning"
    )
    assert attachment.page_count >= 1 and attachment.file.read(5) == b"%PDF-"
    assert attachment.title in casework_documents.memo_html(Memo.objects.get(pk=memo.pk))
