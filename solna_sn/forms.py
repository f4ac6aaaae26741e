"""Form helpers shared by every app: accessible error marking and Swedish date inputs."""

from django import forms
from django.core.exceptions import ValidationError

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": "Ange datum som ÅÅÅÅ-MM-DD.", "required": "Ange datum."}


class AccessibleForm(forms.Form):
    """Marks fields with errors for assistive technology (aria-invalid, aria-describedby),
    including errors added after validation from a service."""

    def _mark(self, name):
        if name in self.fields:
            widget = self.fields[name].widget
            widget.attrs["aria-invalid"] = "true"
            widget.attrs["aria-describedby"] = f"{self[name].auto_id}-fel"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            self._mark(name)

    def add_error(self, field, error):
        super().add_error(field, error)
        if field:
            self._mark(field)

    def add_service_errors(self, error: ValidationError) -> None:
        """Put a service's ValidationError on the matching fields (others on the form)."""
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                target = field if field in self.fields else None
                for message in messages:
                    self.add_error(target, message)
        else:
            for message in error.messages:
                self.add_error(None, message)
