"""Form helpers shared by every app: accessible error marking, Swedish date inputs, and the
checks every free-text field gets (no control characters, a length limit)."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db.backends.base.operations import BaseDatabaseOperations

from solna_sn.lib.text import TEXT_MAX_LENGTH, text_problem

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": "Ange datum som ÅÅÅÅ-MM-DD.", "required": "Ange datum."}


def decimal_limits(model, name: str) -> dict:
    """`max_digits` and `decimal_places` of a model's DecimalField, for `parse_number`."""
    model_field = model._meta.get_field(name)
    return {"max_digits": model_field.max_digits, "decimal_places": model_field.decimal_places}


def integer_limits(model, name: str) -> dict:
    """`min_value` and `max_value` an integer column holds (PositiveSmallIntegerField 0–32 767,
    PositiveIntegerField 0–2 147 483 647 …), the same on every database: SQLite would store a
    larger number that PostgreSQL refuses."""

    internal_type = model._meta.get_field(name).get_internal_type()
    low, high = BaseDatabaseOperations.integer_field_ranges[internal_type]
    return {"min_value": low, "max_value": high}


def text_max_length(model, name: str) -> int:
    """The column's max_length, or the product's limit for unlimited text."""
    return model._meta.get_field(name).max_length or TEXT_MAX_LENGTH


class TextValidator:
    """Refuses control characters and text over `max_length`, with a Swedish message."""

    def __init__(self, *, max_length: int, multiline: bool):
        self.max_length = max_length
        self.multiline = multiline

    def __call__(self, value):
        problem = text_problem(value, max_length=self.max_length, multiline=self.multiline)
        if problem:
            raise ValidationError(problem, code="text")


class AccessibleForm(forms.Form):
    """Marks fields with errors for assistive technology (aria-invalid, aria-describedby),
    including errors added after validation from a service.

    Every CharField gets the text checks: no control characters (line breaks only in text
    areas) and a length limit, its own max_length or the product's limit for free text."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_text_checks()

    def _add_text_checks(self) -> None:
        """Give every CharField the text checks, once. Run again before cleaning, for fields a
        subclass adds after `__init__` (one per memo section, per follow-up item …)."""
        for field in self.fields.values():
            if not isinstance(field, forms.CharField) or any(
                isinstance(v, TextValidator) for v in field.validators
            ):
                continue
            limit = field.max_length or TEXT_MAX_LENGTH
            multiline = isinstance(field.widget, forms.Textarea)
            # The text check covers NUL and length, with one Swedish message each.
            field.validators = [
                v
                for v in field.validators
                if not isinstance(v, ProhibitNullCharactersValidator | MaxLengthValidator)
            ]
            field.validators.append(TextValidator(max_length=limit, multiline=multiline))

    def _mark(self, name):
        if name in self.fields:
            widget = self.fields[name].widget
            widget.attrs["aria-invalid"] = "true"
            widget.attrs["aria-describedby"] = f"{self[name].auto_id}-fel"

    def full_clean(self):
        self._add_text_checks()
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


class PreferencesForm(AccessibleForm):
    """Mina inställningar."""

    notify_by_email = forms.BooleanField(
        label="Skicka e-post till mig om handlingar",
        required=False,
        help_text="När något lämnas tillbaka till dig, lämnas till dig för granskning eller "
        "godkänns. E-posten går till den adress som står här ovanför.",
    )
