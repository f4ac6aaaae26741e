"""One error vocabulary for every app's services, mapped onto forms by
`solna_sn.forms.AccessibleForm.add_service_errors` (ValidationError) and onto pages by the views.

- `require(allowed)`: the role or object check of a service; PermissionDenied (403) otherwise.
- `StateError`: a step the object's current state does not allow; str() is Swedish.
- `StaleEditError`: someone saved a newer version first; `current` holds the stored values.
- Field problems are Django's ValidationError with a dict of field → Swedish message.
"""

from django.core.exceptions import PermissionDenied


class StateError(Exception):
    """A step the object's current state does not allow; str() is Swedish."""


class StaleEditError(Exception):
    """Someone saved a newer version first. `current` holds the stored values."""

    def __init__(self, current: dict | None = None, message: str = ""):
        super().__init__(message or "Någon annan har sparat en nyare version.")
        self.current = current or {}


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied
