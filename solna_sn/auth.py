"""Login with throttling against password guessing.

Failed attempts are stored in the database (not a per-process cache) so the limits hold across
any number of web processes. Within the window, a user name is refused, even with the right
password, once it has too many failures from one address (LOGIN_MAX_FAILURES_PER_USERNAME_AND_
ADDRESS) or from all addresses together (LOGIN_MAX_FAILURES_PER_USERNAME, which catches guessing
spread over many addresses).

Failures are never counted per address alone when deciding whether to refuse: behind the
production proxy (and in any office behind one NAT) everyone may share one address, and an
address-wide lock-out would let anyone lock the whole förvaltning out with a script of random
user names. An address over LOGIN_MAX_FAILURES_PER_ADDRESS is logged for the operator instead;
password spraying (one common password over many user names) is held back by the password rules
(12 characters, no common passwords) rather than by refusing everyone on that address.

Only a successful login clears failures, and only those of its own user name.
"""

import datetime
import ipaddress
import logging

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone

from solna_sn.models import LoginFailure

logger = logging.getLogger(__name__)


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The address the request came from. With TRUSTED_PROXY_COUNT = n > 0 (the number of
    reverse proxies in front of the web process, each appending to X-Forwarded-For), it is the
    n-th address from the right of X-Forwarded-For: the one the outermost trusted proxy saw.
    Anything further left was written by the client and is ignored. Without trusted proxies
    (the default) the header is ignored entirely, since any client can send it."""
    if request is None:
        return None
    remote = _valid_ip(request.META.get("REMOTE_ADDR") or "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote  # did not come through every trusted proxy
    return _valid_ip(forwarded[-count]) or remote


def _key(username: str) -> str:
    return username.strip().lower()[:150]


def _recent():
    since = timezone.now() - datetime.timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
    return LoginFailure.objects.filter(at__gte=since)


def is_throttled(*, username: str, address: str | None) -> bool:
    """Is this user name over one of its own limits? Never true because of other user names'
    failures."""
    failures = _recent().filter(username=_key(username))
    if failures.count() >= settings.LOGIN_MAX_FAILURES_PER_USERNAME:
        return True
    return bool(
        address
        and failures.filter(address=address).count()
        >= settings.LOGIN_MAX_FAILURES_PER_USERNAME_AND_ADDRESS
    )


def login_failure_record(*, username: str, address: str | None) -> None:
    LoginFailure.objects.create(username=_key(username), address=address)
    if address:
        from_address = _recent().filter(address=address).count()
        if from_address == settings.LOGIN_MAX_FAILURES_PER_ADDRESS:
            logger.warning(
                "%s failed logins from %s within %s minutes (many user names, or a shared "
                "proxy address: see TRUSTED_PROXY_COUNT)",
                from_address,
                address,
                settings.LOGIN_FAILURE_WINDOW_MINUTES,
            )


def login_failures_clear(*, username: str) -> None:
    LoginFailure.objects.filter(username=_key(username)).delete()


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Fel användarnamn eller lösenord. Observera att båda fälten kan vara "
        "skiftlägeskänsliga.",
        "inactive": "Kontot är inaktiverat. Kontakta systemets administratör.",
        "throttled": "För många misslyckade inloggningsförsök. Vänta %(minutes)s minuter och "
        "försök igen.",
    }

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip()
        address = client_address(self.request)
        if username and is_throttled(username=username, address=address):
            raise forms.ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": settings.LOGIN_FAILURE_WINDOW_MINUTES},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                login_failure_record(username=username, address=address)
            raise
        # AuthenticationForm.clean() skips authentication when a field is empty: only a user
        # actually authenticated here proves the password and may clear the failures.
        if self.user_cache is not None:
            login_failures_clear(username=username)
        return cleaned
