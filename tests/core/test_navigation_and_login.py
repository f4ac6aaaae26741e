"""Login (Swedish page, throttling), role start pages, navigation, logout."""

import pytest
from django.urls import reverse

from solna_sn.models import LoginFailure, Role
from tests.factories import UserFactory

PASSWORD = "rätt-lösenord-123"


def nav_labels(response) -> list[str]:
    return [item["label"] for item in response.context["nav_items"]]


def test_login_page_is_swedish_and_labelled(client, db):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert '<html lang="sv">' in html
    assert "<h1>Logga in</h1>" in html
    assert '<label for="id_username">Användarnamn</label>' in html
    assert '<label for="id_password">Lösenord</label>' in html
    assert response["Content-Security-Policy"].startswith("default-src 'self'")


def test_login_lands_on_start_page_for_the_role(client, db):
    UserFactory(username="carl", first_name="Carl", role=Role.CONTROLLER)
    response = client.post(
        reverse("login"), {"username": "carl", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("start")
    html = response.content.decode()
    assert "Välkommen, Carl" in html
    assert "<strong>Controller</strong>" in html
    assert "verksamhetsmått" in html


def test_wrong_password_gives_swedish_message_and_records_failure(client, db):
    UserFactory(username="carl", role=Role.CONTROLLER)
    response = client.post(reverse("login"), {"username": "carl", "password": "fel"})
    assert response.status_code == 200
    assert "Fel användarnamn eller lösenord" in response.content.decode()
    assert LoginFailure.objects.filter(username="carl").count() == 1
    assert "_auth_user_id" not in client.session


def test_repeated_failures_throttle_even_the_right_password(client, db, settings):
    settings.LOGIN_MAX_FAILURES_PER_USERNAME = 3
    UserFactory(username="carl", role=Role.CONTROLLER)
    for _ in range(3):
        client.post(reverse("login"), {"username": "carl", "password": "gissning"})
    response = client.post(reverse("login"), {"username": "Carl", "password": PASSWORD})
    assert "För många misslyckade inloggningsförsök" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_throttling_by_address_covers_many_user_names(client, db, settings):
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 4
    UserFactory(username="carl", role=Role.CONTROLLER)
    for name in ("a", "b", "c", "d"):
        client.post(reverse("login"), {"username": name, "password": "x"})
    response = client.post(reverse("login"), {"username": "carl", "password": PASSWORD})
    assert "För många misslyckade inloggningsförsök" in response.content.decode()


def test_successful_login_clears_earlier_failures(client, db):
    UserFactory(username="carl", role=Role.CONTROLLER)
    client.post(reverse("login"), {"username": "carl", "password": "fel"})
    client.post(reverse("login"), {"username": "carl", "password": PASSWORD})
    assert client.session["_auth_user_id"]
    assert not LoginFailure.objects.filter(username="carl").exists()


def test_missing_fields_are_reported_in_swedish(client, db):
    response = client.post(reverse("login"), {"username": "", "password": ""})
    assert "Detta fält måste fyllas i." in response.content.decode()


STAFF_NAV = [
    "Start",
    "Läsrum",
    "Ärenden",
    "Tjänsteskrivelser",
    "Sammanträden",
    "Verksamhetsmått",
    "Internkontroll",
    "Avtal",
    "Organisation",
]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.HANDLAGGARE, STAFF_NAV),
        (Role.CONTROLLER, STAFF_NAV),
        (Role.GRANSKARE, STAFF_NAV),
        (Role.FORVALTNINGSCHEF, STAFF_NAV),
        (Role.NAMNDLEDAMOT, ["Start", "Läsrum"]),
        (Role.ADMINISTRATOR, [*STAFF_NAV, "Systemstatus", "Administration"]),
    ],
)
def test_navigation_shows_only_what_the_role_may_use(client, db, role, expected):
    client.force_login(UserFactory(role=role))
    response = client.get(reverse("start"))
    assert nav_labels(response) == expected
    html = response.content.decode()
    assert '<nav class="main-nav" aria-label="Huvudmeny">' in html
    assert 'href="/" aria-current="page">Start</a>' in html
    if "Administration" not in expected:
        assert 'href="/admin/"' not in html


def test_logout_requires_post_and_ends_the_session(client, db):
    client.force_login(UserFactory(role=Role.HANDLAGGARE))
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get(reverse("start")).status_code == 302


def test_logout_is_protected_by_csrf(db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(role=Role.HANDLAGGARE))
    assert client.post(reverse("logout")).status_code == 403
    assert client.get(reverse("start")).status_code == 200


def test_start_page_query_count_does_not_grow_with_units(client, db, django_assert_max_num_queries):
    from tests.factories import UnitFactory

    user = UserFactory(role=Role.HANDLAGGARE, units=[UnitFactory()])
    client.force_login(user)
    with django_assert_max_num_queries(8) as one:
        client.get(reverse("start"))
    user.units.add(UnitFactory(), UnitFactory())
    with django_assert_max_num_queries(8) as three:
        client.get(reverse("start"))
    assert len(one.captured_queries) == len(three.captured_queries)
