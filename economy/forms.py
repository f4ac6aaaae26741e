"""Forms check types and shapes; the services check the rules. Messages are Swedish."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from economy.models import (
    AccountMapping,
    BudgetVersion,
    BudgetVersionKind,
    DecisionBody,
    Period,
    PersonnelValue,
    QualityDeclaration,
    RegisterStatus,
    TableDefinition,
    Tariff,
)
from solna_sn.forms import DATE_ERRORS, DATE_INPUT, AccessibleForm, decimal_limits
from solna_sn.lib.numbers import NumberFormatError, parse_number

YEAR_ERRORS = {
    "invalid": "Ange ett årtal, till exempel 2024.",
    "required": "Ange år.",
    "min_value": "Året måste vara %(limit_value)s eller senare.",
    "max_value": "Året måste vara %(limit_value)s eller tidigare.",
}
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def year_field(label="År"):
    return forms.IntegerField(
        label=label, min_value=2000, max_value=2100, error_messages=YEAR_ERRORS
    )


def date_field(label, *, required=False):
    return forms.DateField(
        label=label, required=required, widget=DATE_INPUT, error_messages=DATE_ERRORS
    )


class SwedishDecimalField(forms.CharField):
    """A figure typed the Swedish way ("1 023", "-43,3"); blank is None. The model column's
    limits give the messages for too many digits or decimals."""

    def __init__(self, *args, model=None, field_name=None, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 40)
        super().__init__(*args, **kwargs)
        self.limits = decimal_limits(model, field_name) if model else {}
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("autocomplete", "off")

    def clean(self, value):
        text = super().clean(value)
        if text in (None, ""):
            return None
        try:
            return parse_number(text, **self.limits)
        except NumberFormatError as error:
            raise ValidationError(str(error), code="number") from None


class PeriodChoiceField(forms.ChoiceField):
    def __init__(self, *args, periods=None, **kwargs):
        choices = [(p.value, p.label.capitalize()) for p in (periods or Period)]
        super().__init__(*args, choices=choices, **kwargs)
        self.error_messages["required"] = "Välj period."
        self.error_messages["invalid_choice"] = "Välj en av perioderna i listan."


class SheetCreateForm(AccessibleForm):
    definition = forms.ModelChoiceField(
        label="Tabell",
        queryset=TableDefinition.objects.none(),
        error_messages={"required": "Välj tabell.", "invalid_choice": "Välj en tabell i listan."},
    )
    year = year_field()
    period = PeriodChoiceField(label="Period")
    budget_version = forms.ModelChoiceField(
        label="Budgetversion",
        queryset=BudgetVersion.objects.none(),
        required=False,
        empty_label="(ingen)",
        help_text="Versionen som tabellens årsbudget hämtas från.",
    )
    previous_budget_version = forms.ModelChoiceField(
        label="Föregående års budgetversion",
        queryset=BudgetVersion.objects.none(),
        required=False,
        empty_label="(ingen)",
        help_text="Bara verksamhetsplanens tabeller: versionen för kolumnen Budget föregående år.",
    )

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["definition"].queryset = TableDefinition.objects.order_by("sort_order")
        versions = BudgetVersion.objects.filter(committee=committee)
        self.fields["budget_version"].queryset = versions
        self.fields["previous_budget_version"].queryset = versions


class SheetVersionsForm(AccessibleForm):
    budget_version = SheetCreateForm.base_fields["budget_version"]
    previous_budget_version = SheetCreateForm.base_fields["previous_budget_version"]

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        versions = BudgetVersion.objects.filter(committee=committee)
        self.fields["budget_version"].queryset = versions
        self.fields["previous_budget_version"].queryset = versions


class ReasonForm(AccessibleForm):
    reason = forms.CharField(
        label="Motivering",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Ange varför tabellen behöver öppnas igen."},
    )


class FootnotesForm(AccessibleForm):
    footnotes = forms.CharField(
        label="Fotnoter",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="En fotnot per rad. De skrivs ut i kursiv under tabellen.",
    )
    expected = forms.CharField(required=False, widget=forms.HiddenInput)

    def lines(self, name="footnotes") -> list[str]:
        return [line for line in self.cleaned_data.get(name, "").splitlines() if line.strip()]


class CommentaryForm(AccessibleForm):
    text = forms.CharField(
        label="Kommentar", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    revision = forms.IntegerField(
        min_value=0,
        widget=forms.HiddenInput,
        error_messages={"required": "Versionsnummer saknas.", "invalid": "Felaktig version."},
    )


class ImportUploadForm(AccessibleForm):
    mapping = forms.ModelChoiceField(
        label="Kontokoppling",
        queryset=AccountMapping.objects.none(),
        error_messages={"required": "Välj kontokoppling."},
        help_text="Hur exportens konton hör till tabellernas rader (underhålls av "
        "administratören).",
    )
    year = year_field()
    period = PeriodChoiceField(
        label="Period", periods=[Period.APRIL, Period.AUGUST, Period.FULL_YEAR]
    )
    file = forms.FileField(
        label="Export från ekonomisystemet (.xlsx)",
        error_messages={"required": "Välj en fil.", "empty": "Filen är tom."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mapping"].queryset = AccountMapping.objects.order_by("name")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError("Filen måste vara en Excelfil med ändelsen .xlsx.")
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError("Filen är för stor (högst 5 MB).")
        return upload


class BudgetVersionForm(AccessibleForm):
    year = year_field("Budgetår")
    kind = forms.ChoiceField(label="Typ", choices=BudgetVersionKind.choices)
    name = forms.CharField(
        label="Namn",
        max_length=200,
        help_text="Så som dokumenten anger versionen, till exempel Justerad budget 2024.",
        error_messages={"required": "Ge versionen ett namn."},
    )
    decided_on = date_field("Beslutad")
    decided_by = forms.CharField(label="Beslutad av", max_length=100, required=False)
    note = forms.CharField(
        label="Anteckning", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    copy_from = forms.ModelChoiceField(
        label="Utgå från",
        queryset=BudgetVersion.objects.none(),
        required=False,
        empty_label="(tom version)",
        help_text="Kopiera beloppen från en annan version.",
    )

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copy_from"].queryset = BudgetVersion.objects.filter(committee=committee)


class PersonnelSheetForm(AccessibleForm):
    year = year_field()
    period = PeriodChoiceField(
        label="Period", periods=[Period.APRIL, Period.AUGUST, Period.FULL_YEAR]
    )


class PersonnelRowForm(AccessibleForm):
    value = SwedishDecimalField(label="Värde", model=PersonnelValue, field_name="value")
    comparison_value = SwedishDecimalField(
        label="Jämförelsevärde", model=PersonnelValue, field_name="comparison_value"
    )
    change = SwedishDecimalField(
        label="Förändring (som tryckt)",
        model=PersonnelValue,
        field_name="change",
        help_text="Tomt: beräknas när jämförelseperioden är samma period året före.",
    )
    measured_from = date_field("Mätperiod från")
    measured_to = date_field("Mätperiod till och med")
    comparison_from = date_field("Jämförelseperiod från")
    comparison_to = date_field("Jämförelseperiod till och med")

    def __init__(self, *args, figure, **kwargs):
        self.figure = figure
        super().__init__(*args, **kwargs)
        for name in ("value", "comparison_value", "change"):
            self.fields[name].widget.attrs["size"] = 8

    def clean(self):
        cleaned = super().clean()
        for start, end in (("measured_from", "measured_to"), ("comparison_from", "comparison_to")):
            first, last = cleaned.get(start), cleaned.get(end)
            if (first is None) != (last is None):
                self.add_error(end if first else start, "Ange både första och sista dagen.")
            elif first and last and last < first:
                self.add_error(end, "Slutdatum kan inte ligga före startdatum.")
        for name in ("value", "comparison_value", "change"):
            number = cleaned.get(name)
            if (
                number is not None
                and -number.normalize().as_tuple().exponent > self.figure.decimals
            ):
                unit = "decimal" if self.figure.decimals == 1 else "decimaler"
                self.add_error(
                    name,
                    f"{self.figure.label} har {self.figure.decimals} {unit}."
                    if self.figure.decimals
                    else f"{self.figure.label} anges i heltal.",
                )
        return cleaned


class TariffForm(AccessibleForm):
    name = forms.CharField(label="Taxa eller avgift", max_length=300)
    decided_by = forms.ChoiceField(label="Beslutad av", choices=DecisionBody.choices)
    decided_on = date_field("Beslutsdatum", required=True)
    status = forms.ChoiceField(label="Status", choices=RegisterStatus.choices)
    new_decision_on = date_field("Datum för nytt beslut")
    valid_from = date_field("Gäller från och med", required=True)
    sort_order = forms.IntegerField(
        label="Ordning",
        min_value=0,
        max_value=10_000,
        error_messages={"invalid": "Ange ett heltal."},
    )
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    model = Tariff


class QualityDeclarationForm(AccessibleForm):
    name = forms.CharField(label="Kvalitetsdeklaration", max_length=300)
    decided_on = date_field("Beslutsdatum", required=True)
    status = forms.ChoiceField(label="Status", choices=RegisterStatus.choices)
    sort_order = forms.IntegerField(
        label="Ordning",
        min_value=0,
        max_value=10_000,
        error_messages={"invalid": "Ange ett heltal."},
    )
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    model = QualityDeclaration
