"""The start page's "Det här väntar på dig": per role, collected from each app's worklist.py."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import MemoState
from solna_sn import worklist
from solna_sn.models import Role
from tests.factories import ContractFactory, MemoFactory, UserFactory


def start_page(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("start"))
    assert response.status_code == 200
    return response.content.decode()


def test_every_app_registers_its_provider():
    modules = {provider.__module__ for provider in worklist._providers}
    assert modules >= {
        "casework.worklist",
        "controls.worklist",
        "contracts.worklist",
        "reports.worklist",
        "goals.worklist",
        "metrics.worklist",
    }


def test_granskare_sees_memo_in_review_with_a_link(client, user_with_role):
    granskare = user_with_role(Role.GRANSKARE)
    memo = MemoFactory(title="Riktlinjer för försörjningsstöd", state=MemoState.REVIEW)
    html = start_page(client, granskare)
    assert '<h2 id="worklist-heading">Det här väntar på dig</h2>' in html
    url = reverse("casework:memo_detail", args=[memo.pk])
    assert f'<a href="{url}">Granska tjänsteskrivelsen ”Riktlinjer för försörjningsstöd”' in html


def test_handlaggare_sees_returned_memo_with_the_comment(client, user_with_role):
    writer = user_with_role(Role.HANDLAGGARE)
    memo = MemoFactory(
        title="Avgifter i hemtjänsten",
        created_by=writer,
        state=MemoState.DRAFT,
        review_comment="Förtydliga konsekvenserna för barn.",
    )
    MemoFactory(title="Någon annans", state=MemoState.DRAFT, review_comment="Inte din.")
    html = start_page(client, writer)
    url = reverse("casework:memo_detail", args=[memo.pk])
    assert f'<a href="{url}">Tjänsteskrivelsen ”Avgifter i hemtjänsten”' in html
    assert "har återförts till dig" in html
    assert "Kommentar: Förtydliga konsekvenserna för barn." in html
    assert "Någon annans" not in html


def test_namndledamot_sees_nothing_of_this(client, namndledamot):
    MemoFactory(title="Under granskning", state=MemoState.REVIEW)
    html = start_page(client, namndledamot)
    assert "Det här väntar på dig" not in html
    assert "Inget väntar på dig" not in html
    assert "Under granskning" not in html


def test_empty_state_text(client, user_with_role):
    html = start_page(client, user_with_role(Role.HANDLAGGARE))
    assert "Det här väntar på dig" in html
    assert "<p>Inget väntar på dig just nu.</p>" in html


def test_expiring_contract_of_my_unit_is_listed(client, user_with_role, unit):
    today = timezone.localdate()
    soon = ContractFactory(
        name="Familjehemsvård",
        unit=unit,
        start_date=today - datetime.timedelta(days=700),
        end_date=today + datetime.timedelta(days=60),
    )
    ContractFactory(
        name="Långt avtal",
        unit=unit,
        start_date=today - datetime.timedelta(days=700),
        end_date=today + datetime.timedelta(days=900),
    )
    html = start_page(client, user_with_role(Role.HANDLAGGARE))
    url = reverse("contracts:contract_detail", args=[soon.pk])
    assert f'<a href="{url}">Avtalet ”Familjehemsvård” löper ut' in html
    assert "Långt avtal" not in html


@pytest.mark.django_db
def test_start_page_queries_do_not_grow_with_more_memos(
    client, user_with_role, django_assert_max_num_queries
):
    granskare = user_with_role(Role.GRANSKARE)
    writer = UserFactory(role=Role.HANDLAGGARE)
    MemoFactory(state=MemoState.REVIEW, created_by=writer)
    client.force_login(granskare)
    with django_assert_max_num_queries(1000) as few:
        client.get(reverse("start"))
    for _ in range(5):
        MemoFactory(state=MemoState.REVIEW, created_by=writer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("start"))
    assert response.content.decode().count("Granska tjänsteskrivelsen") == 6


def test_start_page_renders_for_every_role(client, user_with_role, any_role):
    html = start_page(client, user_with_role(any_role))
    assert ("Det här väntar på dig" in html) == (any_role != Role.NAMNDLEDAMOT)
