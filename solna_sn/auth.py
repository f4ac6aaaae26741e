"""Login with throttling against password guessing.

Failed attempts are stored in the database (not a per-process cache) so the limit holds across
any number of web processes. After too many failures for one user name, or from one address,
within the window, every attempt is refused, even with the right password, until the window has
passed.
"""

import datetime

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone

from solna_sn.models import LoginFailure


def client_address(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _window_start() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)


def is_throttled(*, username: str, address: str | None) -> bool:
    recent = LoginFailure.objects.filter(at__gte=_window_start())
    if recent.filter(username=username.lower()).count() >= settings.LOGIN_MAX_FAILURES_PER_USERNAME:
        return True
    return bool(
        address
        and recent.filter(address=address).count() >= settings.LOGIN_MAX_FAILURES_PER_ADDRESS
    )


def login_failure_record(*, username: str, address: str | None) -> None:
    LoginFailure.objects.create(username=username.lower()[:150], address=address)


def login_failures_clear(*, username: str) -> None:
    LoginFailure.objects.filter(username=username.lower()).delete()


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
        login_failures_clear(username=username)
        return cleaned
