"""Login (Swedish page, throttling), role start pages, navigation, logout."""

import pytest
from django.urls import reverse

from solna_sn.auth import client_address
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


def test_random_user_names_from_one_address_do_not_lock_out_other_users(client, db):
    # Behind the proxy everyone shares one address: a script of random user names must not
    # lock out the förvaltning (31 failures used to lock out every user, admin included).
    UserFactory(username="admin", role=Role.ADMINISTRATOR)
    for number in range(31):
        client.post(reverse("login"), {"username": f"slump{number}", "password": "x"})
    assert LoginFailure.objects.filter(address="127.0.0.1").count() == 31
    response = client.post(reverse("login"), {"username": "admin", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_user_name_over_its_limit_from_one_address_is_refused_there_only(client, db, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_MAX_FAILURES_PER_USERNAME_AND_ADDRESS = 3
    UserFactory(username="carl", role=Role.CONTROLLER)
    guesser = {"HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    for _ in range(3):
        client.post(reverse("login"), {"username": "carl", "password": "gissning"}, **guesser)
    response = client.post(reverse("login"), {"username": "carl", "password": PASSWORD}, **guesser)
    assert "För många misslyckade inloggningsförsök" in response.content.decode()
    assert "_auth_user_id" not in client.session

    response = client.post(
        reverse("login"),
        {"username": "carl", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.20",
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_user_name_over_its_limit_from_all_addresses_is_refused_everywhere(client, db, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_MAX_FAILURES_PER_USERNAME = 4
    UserFactory(username="carl", role=Role.CONTROLLER)
    for number in range(4):
        client.post(
            reverse("login"),
            {"username": "carl", "password": "gissning"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number + 1}",
        )
    assert set(LoginFailure.objects.values_list("address", flat=True)) == {
        "198.51.100.1",
        "198.51.100.2",
        "198.51.100.3",
        "198.51.100.4",
    }
    response = client.post(
        reverse("login"),
        {"username": "carl", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.20",
    )
    assert "För många misslyckade inloggningsförsök" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted(client, db, settings):
    assert settings.TRUSTED_PROXY_COUNT == 0  # the default
    settings.LOGIN_MAX_FAILURES_PER_USERNAME_AND_ADDRESS = 3
    UserFactory(username="carl", role=Role.CONTROLLER)
    # A guesser who writes a new X-Forwarded-For on every attempt still counts as one address.
    for number in range(3):
        client.post(
            reverse("login"),
            {"username": "carl", "password": "gissning"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number + 1}",
        )
    assert set(LoginFailure.objects.values_list("address", flat=True)) == {"127.0.0.1"}
    response = client.post(
        reverse("login"),
        {"username": "carl", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.20",
    )
    assert "För många misslyckade inloggningsförsök" in response.content.decode()


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "198.51.100.7", "10.0.0.2"),
        (1, "198.51.100.7", "198.51.100.7"),
        # The client may write anything left of what the proxy appended.
        (1, "192.0.2.66, 198.51.100.7", "198.51.100.7"),
        (2, "192.0.2.66, 198.51.100.7, 10.0.0.3", "198.51.100.7"),
        (1, "2001:db8::1", "2001:db8::1"),
        (1, "inte-en-adress", "10.0.0.2"),
        (2, "198.51.100.7", "10.0.0.2"),  # not through both proxies
        (1, "", "10.0.0.2"),
    ],
)
def test_client_address_trusts_only_the_configured_proxies(
    rf, settings, count, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = count
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_empty_password_does_not_clear_failures(client, db, settings):
    settings.LOGIN_MAX_FAILURES_PER_USERNAME_AND_ADDRESS = 3
    UserFactory(username="carl", role=Role.CONTROLLER)
    for _ in range(2):
        client.post(reverse("login"), {"username": "carl", "password": "gissning"})
    response = client.post(reverse("login"), {"username": "carl", "password": ""})
    assert "Detta fält måste fyllas i." in response.content.decode()
    assert LoginFailure.objects.filter(username="carl").count() == 2

    client.post(reverse("login"), {"username": "carl", "password": "gissning"})
    response = client.post(reverse("login"), {"username": "carl", "password": PASSWORD})
    assert "För många misslyckade inloggningsförsök" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_successful_login_clears_only_its_own_failures(client, db):
    UserFactory(username="carl", role=Role.CONTROLLER)
    client.post(reverse("login"), {"username": "carl", "password": "fel"})
    client.post(reverse("login"), {"username": "greta", "password": "fel"})
    client.post(reverse("login"), {"username": "carl", "password": PASSWORD})
    assert client.session["_auth_user_id"]
    assert not LoginFailure.objects.filter(username="carl").exists()
    assert LoginFailure.objects.filter(username="greta").count() == 1


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
    "Ekonomi",
    "Mål",
    "Rapporter",
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
    # The page itself and "Det här väntar på dig" (a few queries per app, see solna_sn.worklist).
    with django_assert_max_num_queries(15) as one:
        client.get(reverse("start"))
    user.units.add(UnitFactory(), UnitFactory())
    with django_assert_max_num_queries(15) as three:
        client.get(reverse("start"))
    assert len(one.captured_queries) == len(three.captured_queries)
