"""Forms check types and shapes; the services check the rules. Messages are Swedish."""

from django import forms
from django.core.exceptions import ValidationError

from controls import rules
from controls.models import (
    Action,
    ControlMethod,
    ControlPlan,
    DeviationLevel,
    FollowUpPeriod,
    Process,
    ResultFigure,
    Risk,
    RiskCategory,
)
from solna_sn.forms import DATE_ERRORS, DATE_INPUT, AccessibleForm, integer_limits, text_max_length
from solna_sn.lib.numbers import format_number
from solna_sn.lib.periods import MONTH_NAMES
from solna_sn.models import Unit


def _integer(label, *, required=False, min_value=None, max_value=None, column=None, **kwargs):
    """A whole-number field with Swedish messages. `column` (model, field name) narrows the
    limits to what the database column holds, so a number too large for it gets a message
    here instead of a database error."""
    if column is not None:
        limits = integer_limits(*column)
        min_value = (
            limits["min_value"] if min_value is None else max(min_value, limits["min_value"])
        )
        max_value = (
            limits["max_value"] if max_value is None else min(max_value, limits["max_value"])
        )
    error_messages = {"invalid": "Ange ett heltal."}
    if min_value is not None:
        error_messages["min_value"] = f"Ange ett tal som är minst {format_number(min_value)}."
    if max_value is not None:
        error_messages["max_value"] = f"Ange ett tal som är högst {format_number(max_value)}."
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=min_value,
        max_value=max_value,
        error_messages=error_messages,
        **kwargs,
    )


class PlanCreateForm(AccessibleForm):
    year = _integer("År", required=True, min_value=2000, max_value=2100)
    copy_from = forms.ModelChoiceField(
        label="Utgå från",
        queryset=None,
        required=False,
        empty_label="(tom plan)",
        help_text="Kopiera processer, risker och kontrollmoment från en tidigare plan.",
    )

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copy_from"].queryset = plans
        self.fields["year"].error_messages["required"] = "Ange vilket år planen gäller."


class RiskForm(AccessibleForm):
    process_name = forms.CharField(
        label="Process",
        max_length=text_max_length(Process, "name"),
        widget=forms.TextInput(attrs={"list": "processer"}),
        help_text="Till exempel Myndighetsbeslut eller Placeringar. En ny process skapas om "
        "namnet inte finns.",
    )
    title = forms.CharField(label="Risk", widget=forms.Textarea(attrs={"rows": 3}))
    category = forms.ChoiceField(label="Kategori", choices=RiskCategory.choices)
    likelihood = _integer("Sannolikhet", column=(Risk, "likelihood"))
    consequence = _integer("Konsekvens", column=(Risk, "consequence"))
    risk_index = _integer(
        "Riskindex",
        min_value=1,
        max_value=100,
        column=(Risk, "risk_index"),
        help_text="Räknas fram av sannolikhet × konsekvens. Fyll bara i själv om faktorerna "
        "inte är kända.",
    )
    control_activity = forms.CharField(
        label="Kontrollmoment", widget=forms.Textarea(attrs={"rows": 3})
    )
    method = forms.ChoiceField(label="Metod", choices=ControlMethod.choices)
    sample_size = _integer(
        "Stickprovets storlek",
        min_value=1,
        max_value=rules.SAMPLE_SIZE_MAX,
        column=(Risk, "sample_size"),
    )
    how_when = forms.CharField(
        label="Hur ska kontrollen utföras och när", widget=forms.Textarea(attrs={"rows": 4})
    )
    control_months = forms.TypedMultipleChoiceField(
        label="Kontrollmånader",
        choices=[(n, name.capitalize()) for n, name in enumerate(MONTH_NAMES, start=1)],
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Välj minst en månad då kontrollen ska göras.",
            "invalid_choice": "Kontrollmånaden %(value)s finns inte; välj bland januari–december.",
        },
    )
    responsible_unit = forms.ModelChoiceField(
        label="Ansvarig enhet", queryset=Unit.objects.none(), required=False, empty_label="(ingen)"
    )
    responsible_role = forms.CharField(
        label="Ansvarig funktion",
        max_length=text_max_length(Risk, "responsible_role"),
        required=False,
        help_text="Till exempel Enhetschef.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    REQUIRED = {
        "process_name": "Ange vilken process risken hör till.",
        "title": "Beskriv risken.",
        "control_activity": "Beskriv kontrollmomentet.",
        "how_when": "Beskriv hur och när kontrollen ska utföras.",
    }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].queryset = Unit.objects.filter(
            administration__committee=plan.committee
        )
        for name in ("likelihood", "consequence"):  # the scale itself is checked by the service
            self.fields[name].widget.attrs.update({"min": 1, "max": plan.scale_max})
            self.fields[name].help_text = f"1–{plan.scale_max}"
        for name, message in self.REQUIRED.items():
            self.fields[name].error_messages["required"] = message

    @staticmethod
    def initial_for(risk):
        return {
            "process_name": risk.process.name,
            "title": risk.title,
            "category": risk.category,
            "likelihood": risk.likelihood,
            "consequence": risk.consequence,
            "risk_index": risk.risk_index,
            "control_activity": risk.control_activity,
            "method": risk.method,
            "sample_size": risk.sample_size,
            "how_when": risk.how_when,
            "control_months": risk.control_months,
            "responsible_unit": risk.responsible_unit_id,
            "responsible_role": risk.responsible_role,
            "version": risk.version,
        }


FIGURE_ROWS_EXTRA = 2
ACTION_ROWS_EXTRA = 2


class ResultForm(AccessibleForm):
    """Level, finding, figures (rows of group/antal/kontrollerade/avvikelser) and åtgärder
    (rows of what/who/by when/done). Rows are plain prefixed fields, so the page works
    without JavaScript."""

    level = forms.ModelChoiceField(
        label="Avvikelsenivå",
        queryset=DeviationLevel.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Välj avvikelsenivå.",
            "invalid_choice": "Välj en avvikelsenivå i listan.",
        },
    )
    finding = forms.CharField(
        label="Iakttagelse",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Vad kontrollen visade, med siffror i text om det behövs.",
    )
    explanation = forms.CharField(
        label="Förklaring om ingen åtgärd behövs",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, levels, figure_rows=0, action_rows=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = levels
        self.fields["level"].label_from_instance = lambda level: f"{level.symbol} {level.label}"
        self.figure_count = figure_rows + FIGURE_ROWS_EXTRA
        self.action_count = action_rows + ACTION_ROWS_EXTRA
        for i in range(self.figure_count):
            self.fields[f"figure-{i}-group"] = forms.CharField(
                label="Grupp", max_length=text_max_length(ResultFigure, "group"), required=False
            )
            for part, label in (
                ("population", rules.POPULATION),
                ("checked", rules.CHECKED),
                ("deviations", rules.DEVIATIONS),
            ):
                self.fields[f"figure-{i}-{part}"] = _integer(
                    label, min_value=0, column=(ResultFigure, part)
                )
            self.fields[f"figure-{i}-note"] = forms.CharField(
                label="Övrigt", max_length=text_max_length(ResultFigure, "note"), required=False
            )
        for i in range(self.action_count):
            self.fields[f"action-{i}-description"] = forms.CharField(
                label="Åtgärd", required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[f"action-{i}-responsible"] = forms.CharField(
                label="Ansvarig", max_length=text_max_length(Action, "responsible"), required=False
            )
            self.fields[f"action-{i}-due"] = forms.DateField(
                label="Klar senast",
                required=False,
                widget=DATE_INPUT,
                error_messages=DATE_ERRORS,
            )
            self.fields[f"action-{i}-done_on"] = forms.DateField(
                label="Genomförd",
                required=False,
                widget=DATE_INPUT,
                error_messages=DATE_ERRORS,
            )

    def add_service_errors(self, error):
        """Figure and åtgärd errors belong to their tables; the rest as usual."""
        self.group_errors = {"figures": [], "actions": []}
        if hasattr(error, "error_dict"):
            rest = {}
            for key, messages in error.message_dict.items():
                if key in self.group_errors:
                    self.group_errors[key].extend(messages)
                else:
                    rest[key] = messages
            if not rest:
                return
            error = ValidationError(rest)
        super().add_service_errors(error)

    @property
    def figure_errors(self):
        return getattr(self, "group_errors", {}).get("figures", [])

    @property
    def action_errors(self):
        return getattr(self, "group_errors", {}).get("actions", [])

    FIGURE_PARTS = ("group", "population", "checked", "deviations", "note")
    ACTION_PARTS = ("description", "responsible", "due", "done_on")

    @staticmethod
    def initial_for(result):
        initial = {
            "level": result.level_id,
            "finding": result.finding,
            "explanation": result.explanation,
            "version": result.version,
        }
        for i, figure in enumerate(result.figures.all()):
            for part in ResultForm.FIGURE_PARTS:
                initial[f"figure-{i}-{part}"] = getattr(figure, part)
        for i, action in enumerate(result.actions.all()):
            for part in ResultForm.ACTION_PARTS:
                initial[f"action-{i}-{part}"] = getattr(action, part)
        return initial

    def figure_rows(self):
        """Bound fields per figure row, for the template."""
        return [
            [self[f"figure-{i}-{p}"] for p in self.FIGURE_PARTS] for i in range(self.figure_count)
        ]

    def action_rows(self):
        return [
            [self[f"action-{i}-{p}"] for p in self.ACTION_PARTS] for i in range(self.action_count)
        ]

    def figures_data(self) -> list[dict]:
        return [
            {p: self.cleaned_data.get(f"figure-{i}-{p}") for p in self.FIGURE_PARTS}
            for i in range(self.figure_count)
        ]

    def actions_data(self) -> list[dict]:
        return [
            {p: self.cleaned_data.get(f"action-{i}-{p}") for p in self.ACTION_PARTS}
            for i in range(self.action_count)
        ]


class FollowUpForm(AccessibleForm):
    assessment = forms.CharField(
        label="Samlad bedömning",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Skriv den samlade bedömningen."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AdoptForm(AccessibleForm):
    adopted_on = forms.DateField(
        label="Fastställd datum", widget=DATE_INPUT, error_messages=DATE_ERRORS
    )
    decision_reference = forms.CharField(
        label="Beslut",
        max_length=text_max_length(ControlPlan, "decision_reference"),
        required=False,
    )


class ReasonForm(AccessibleForm):
    reason = forms.CharField(
        label="Skäl",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Ange skälet."},
    )


class CommentForm(AccessibleForm):
    comment = forms.CharField(
        label="Vad behöver ändras?",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Skriv vad som behöver ändras."},
    )


class ImportForm(AccessibleForm):
    year = _integer("Planen gäller år", required=True, min_value=2000, max_value=2100)
    file = forms.FileField(label="Excelfil (.xlsx)")

    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("Filen måste vara en Excelfil med ändelsen .xlsx.")
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("Filen är för stor (högst 5 MB).")
        if upload.size == 0:
            raise forms.ValidationError("Filen är tom.")
        return upload


PERIOD_SLUGS = {
    "april": FollowUpPeriod.APRIL,
    "augusti": FollowUpPeriod.AUGUST,
    "helar": FollowUpPeriod.YEAR,
}
