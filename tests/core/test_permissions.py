"""Permission predicates and the role × page matrix for the foundation pages."""

import pytest
from django.urls import reverse

from solna_sn import permissions
from solna_sn.models import Role
from tests.factories import UserFactory

H, C, G, F, N, A = (
    Role.HANDLAGGARE,
    Role.CONTROLLER,
    Role.GRANSKARE,
    Role.FORVALTNINGSCHEF,
    Role.NAMNDLEDAMOT,
    Role.ADMINISTRATOR,
)
STAFF = {H, C, G, F, A}


@pytest.mark.parametrize(
    ("predicate", "allowed"),
    [
        (permissions.is_staff_member, STAFF),
        (permissions.can_view_drafts, STAFF),
        (permissions.can_view_organisation, STAFF),
        (permissions.can_read_committee_papers, {H, C, G, F, N, A}),
        (permissions.can_administer, {A}),
        (permissions.can_read_audit_trail, {A}),
    ],
)
def test_role_predicates(db, any_role, predicate, allowed):
    user = UserFactory(role=any_role)
    assert predicate(user) is (any_role in allowed)


def test_anonymous_and_inactive_users_may_do_nothing(db):
    from django.contrib.auth.models import AnonymousUser

    inactive = UserFactory(role=Role.ADMINISTRATOR, is_active=False)
    for user in (AnonymousUser(), inactive, None):
        assert not permissions.can_read_committee_papers(user)
        assert not permissions.can_view_drafts(user)
        assert not permissions.can_administer(user)


def test_namndledamot_never_sees_drafts(db):
    assert not permissions.can_view_drafts(UserFactory(role=Role.NAMNDLEDAMOT))


@pytest.mark.parametrize(
    ("role", "in_own_unit", "in_other_unit"),
    [
        (H, True, False),
        (C, True, False),
        (G, True, True),
        (F, True, True),
        (A, True, True),
        (N, False, False),
    ],
)
def test_staff_edit_within_their_units(
    user_with_role, unit, other_unit, role, in_own_unit, in_other_unit
):
    user = user_with_role(role)
    assert permissions.can_edit_in_unit(user, unit) is in_own_unit
    assert permissions.can_edit_in_unit(user, other_unit) is in_other_unit


PAGES = [
    # (name, method, url, allowed roles)
    ("start", "get", lambda: reverse("start"), {H, C, G, F, N, A}),
    ("organisation", "get", lambda: reverse("organisation"), STAFF),
    ("systemstatus", "get", lambda: reverse("system_status"), {A}),
    ("systemkontroll", "post", lambda: reverse("system_status"), {A}),
    ("admin", "get", lambda: reverse("admin:index"), {A}),
    ("granskningslogg", "get", lambda: reverse("admin:solna_sn_auditentry_changelist"), {A}),
    ("enheter", "get", lambda: reverse("admin:solna_sn_unit_changelist"), {A}),
    ("användare", "get", lambda: reverse("admin:solna_sn_user_changelist"), {A}),
]


@pytest.mark.parametrize(("page", "method", "url", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_permission_matrix(client, user_with_role, any_role, page, method, url, allowed):
    client.force_login(user_with_role(any_role))
    response = getattr(client, method)(url())
    if any_role in allowed:
        assert response.status_code in (200, 302)
        if method == "get":
            assert response.status_code == 200
            assert b"Logga ut" in response.content
    elif page in {"admin", "granskningslogg", "enheter", "användare"}:
        # The admin sends users without access to its own login page.
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
    else:
        assert response.status_code == 403
        assert "Åtkomst nekad" in response.content.decode()


@pytest.mark.parametrize(("page", "method", "url", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_anonymous_visitors_are_sent_to_login(client, db, page, method, url, allowed):
    response = getattr(client, method)(url())
    assert response.status_code == 302
    assert response["Location"].startswith(("/logga-in/", "/admin/login/"))
