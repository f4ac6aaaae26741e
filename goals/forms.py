"""Forms check types and shapes; the services check the rules. Messages are Swedish."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from goals.models import (
    Activity,
    ActivityStatus,
    Agenda2030Goal,
    AggregationChoice,
    AssessmentState,
    Assignment,
    Direction,
    Goal,
    GoalAssessment,
    Level,
    Measure,
    MeasureSource,
    MeasureValue,
    ScaleStep,
)
from solna_sn import figures, permissions
from solna_sn.forms import DATE_ERRORS, DATE_INPUT, AccessibleForm, decimal_limits
from solna_sn.lib.numbers import NumberFormatError, format_number, parse_number
from solna_sn.models import Committee, Unit, User

SORT_HELP = "Lägre tal visas först."


def _integer(label, *, required=False, min_value=0, max_value=100_000, **kwargs):
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=min_value,
        max_value=max_value,
        error_messages={
            "invalid": "Ange ett heltal.",
            "required": "Ange ett heltal.",
            "min_value": f"Ange ett tal som är minst {format_number(min_value)}.",
            "max_value": f"Ange ett tal som är högst {format_number(max_value)}.",
        },
        **kwargs,
    )


def _version():
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class SwedishDecimalField(forms.CharField):
    """A number typed the Swedish way ("1 023", "138,2", "−43,3"); empty is None."""

    def __init__(self, *, column, **kwargs):
        self.limits = decimal_limits(*column)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return parse_number(text, **self.limits)
        except NumberFormatError as error:
            raise ValidationError(str(error), code="number") from None

    def prepare_value(self, value):
        if value is None or isinstance(value, str):
            return value
        return format_number(value, max(0, -value.normalize().as_tuple().exponent))


class GoalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.level.name}: {obj}"


class StepChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.symbol} {obj.label}"


class CommitteeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class CommitteeMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class WriterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        units = ", ".join(u.name for u in obj.units.all())
        name = obj.get_full_name() or obj.username
        return f"{name} ({obj.get_role_display()}{', ' + units if units else ''})"


class PlanCreateForm(AccessibleForm):
    year = _integer("År", required=True, min_value=2000, max_value=2100)


class CopyForm(AccessibleForm):
    """The confirm step carries the target year, so a repeated POST cannot copy twice."""

    year = _integer("År", required=True, min_value=2000, max_value=2100, widget=forms.HiddenInput)


class RevisionForm(AccessibleForm):
    """Why a fastställd goal tree is changed (a new revision)."""

    reason = forms.CharField(
        label="Skäl till den nya revisionen",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Ange varför målträdet ändras."},
    )


class GoalForm(AccessibleForm):
    level = forms.ModelChoiceField(label="Nivå", queryset=Level.objects.none(), empty_label=None)
    parent = GoalChoiceField(
        label="Hör till",
        queryset=Goal.objects.none(),
        required=False,
        empty_label="(inget, högsta nivån)",
        help_text="Ett mål hör till ett mål på nivån närmast ovanför.",
    )
    title = forms.CharField(label="Måltext", widget=forms.Textarea(attrs={"rows": 3}))
    description = forms.CharField(
        label="Beskrivning",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Den beskrivande texten som skrivs under målet, om det finns en.",
    )
    agenda2030 = forms.ModelMultipleChoiceField(
        label="Agenda 2030",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Bara för nivåer som kopplas till Agenda 2030.",
    )
    responsible_unit = forms.ModelChoiceField(
        label="Ansvarig enhet", queryset=Unit.objects.none(), required=False, empty_label="(ingen)"
    )
    sort_order = _integer("Sorteringsordning", help_text=SORT_HELP)
    version = _version()

    def __init__(self, *args, plan, goal=None, **kwargs):

        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = Level.objects.filter(committee_id=plan.committee_id)
        parents = plan.goals.select_related("level").order_by("level__order", "sort_order", "pk")
        if goal is not None:
            parents = parents.exclude(pk=goal.pk)
        self.fields["parent"].queryset = parents
        self.fields["agenda2030"].queryset = Agenda2030Goal.objects.order_by("number")
        self.fields["responsible_unit"].queryset = Unit.objects.order_by("sort_order", "name")
        self.fields["title"].error_messages["required"] = "Skriv måltexten."

    @staticmethod
    def initial_for(goal: Goal) -> dict:
        return {
            "level": goal.level_id,
            "parent": goal.parent_id,
            "title": goal.title,
            "description": goal.description,
            "agenda2030": [sdg.pk for sdg in goal.agenda2030.all()],
            "responsible_unit": goal.responsible_unit_id,
            "sort_order": goal.sort_order,
            "version": goal.version,
        }


def series_choices(current: str = "") -> list[tuple[str, str]]:
    try:
        titles = figures.series_titles()
    except figures.NoSeriesProvider:
        titles = {}
    choices = [("", "(välj verksamhetsmått)"), *titles.items()]
    if current and current not in titles:
        choices.append((current, f"{current} (finns inte längre)"))
    return choices


class MeasureForm(AccessibleForm):
    title = forms.CharField(label="Mått", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    unit = forms.CharField(
        label="Enhet", max_length=60, required=False, help_text="Till exempel kr, antal hushåll."
    )
    decimals = _integer("Decimaler", required=True, min_value=0, max_value=4, initial=0)
    target = SwedishDecimalField(
        label="Målvärde", column=(Measure, "target"), help_text="Lämna tomt om målvärde saknas."
    )
    direction = forms.ChoiceField(label="Riktning", choices=Direction.choices, required=False)
    source = forms.ChoiceField(
        label="Varifrån kommer siffran?",
        choices=MeasureSource.choices,
        widget=forms.RadioSelect,
        initial=MeasureSource.MANUAL,
    )
    series_code = forms.ChoiceField(
        label="Verksamhetsmått",
        required=False,
        help_text="Bara för beräknade mått: månadsserien som siffran räknas fram ur.",
    )
    aggregation = forms.ChoiceField(
        label="Sammanräkning över perioden",
        required=False,
        choices=[("", "(välj)"), *AggregationChoice.choices],
        help_text="Ett antal unika personer eller hushåll under perioden kan inte räknas fram "
        "ur månadssiffror; ange det för hand.",
    )
    sort_order = _integer("Sorteringsordning", help_text=SORT_HELP)
    version = _version()

    def __init__(self, *args, current_code: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series_code"].choices = series_choices(current_code)
        self.fields["title"].error_messages["required"] = "Skriv måttet."

    @staticmethod
    def initial_for(measure: Measure) -> dict:
        return {
            "title": measure.title,
            "unit": measure.unit,
            "decimals": measure.decimals,
            "target": measure.target,
            "direction": measure.direction,
            "source": measure.source,
            "series_code": measure.series_code,
            "aggregation": measure.aggregation,
            "sort_order": measure.sort_order,
            "version": measure.version,
        }


class MeasureValueForm(AccessibleForm):
    value = SwedishDecimalField(label="Värde", column=(MeasureValue, "value"))
    comparison_value = SwedishDecimalField(
        label="Samma period föregående år", column=(MeasureValue, "comparison_value")
    )
    version = _version()

    def __init__(self, *args, measure: Measure, **kwargs):
        kwargs.setdefault("prefix", f"matt-{measure.pk}")
        super().__init__(*args, **kwargs)
        self.measure = measure
        self.fields["value"].label = f"Värde: {measure.title}"
        self.fields["comparison_value"].label = f"Samma period föregående år: {measure.title}"


class ActivityForm(AccessibleForm):
    goal = GoalChoiceField(label="Mål", queryset=Goal.objects.none(), required=False)
    title = forms.CharField(
        label="Aktivitet", max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    description = forms.CharField(
        label="Beskrivning", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    starts_on = forms.DateField(
        label="Start", required=False, widget=DATE_INPUT, error_messages=DATE_ERRORS
    )
    ends_on = forms.DateField(
        label="Slut", required=False, widget=DATE_INPUT, error_messages=DATE_ERRORS
    )
    status = forms.ChoiceField(label="Status", choices=ActivityStatus.choices, required=False)
    sort_order = _integer("Sorteringsordning", help_text=SORT_HELP)
    version = _version()

    def __init__(self, *args, plan, ongoing_heading: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = (
            plan.goals.filter(level__takes_activities=True)
            .select_related("level")
            .order_by("level__order", "sort_order", "pk")
        )
        self.fields["goal"].empty_label = f"(inget mål: {ongoing_heading})"
        self.fields["title"].error_messages["required"] = "Skriv aktiviteten."

    @staticmethod
    def initial_for(activity: Activity) -> dict:
        return {
            "goal": activity.goal_id,
            "title": activity.title,
            "description": activity.description,
            "starts_on": activity.starts_on,
            "ends_on": activity.ends_on,
            "status": activity.status,
            "sort_order": activity.sort_order,
            "version": activity.version,
        }


class AssignmentForm(AccessibleForm):
    text = forms.CharField(label="Uppdrag", widget=forms.Textarea(attrs={"rows": 4}))
    decided_by = forms.CharField(
        label="Beslutat av", max_length=100, required=False, initial="Kommunfullmäktige"
    )
    lead_committee = CommitteeChoiceField(
        label="Ansvarig nämnd", queryset=Committee.objects.none(), empty_label="(välj nämnd)"
    )
    participating_committees = CommitteeMultipleChoiceField(
        label="Deltagande nämnder",
        queryset=Committee.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sort_order = _integer("Sorteringsordning", help_text=SORT_HELP)
    version = _version()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        committees = Committee.objects.order_by("name")
        self.fields["lead_committee"].queryset = committees
        self.fields["participating_committees"].queryset = committees
        self.fields["text"].error_messages["required"] = "Skriv uppdraget."
        self.fields["lead_committee"].error_messages["required"] = (
            "Välj den nämnd som leder uppdraget."
        )

    @staticmethod
    def initial_for(assignment: Assignment) -> dict:
        return {
            "text": assignment.text,
            "decided_by": assignment.decided_by,
            "lead_committee": assignment.lead_committee_id,
            "participating_committees": [c.pk for c in assignment.participating_committees.all()],
            "sort_order": assignment.sort_order,
            "version": assignment.version,
        }


class AssignWriterForm(AccessibleForm):
    writer = WriterChoiceField(
        label="Skribent", queryset=User.objects.none(), empty_label="(ingen)", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        staff = list(permissions.STAFF_ROLES)
        self.fields["writer"].queryset = (
            User.objects.filter(is_active=True, role__in=staff)
            .prefetch_related("units")
            .order_by("first_name", "last_name", "username")
        )


class AssessmentForm(AccessibleForm):
    step = StepChoiceField(
        label="Bedömning",
        queryset=ScaleStep.objects.none(),
        required=False,
        empty_label=None,
        widget=forms.RadioSelect,
    )
    method = forms.CharField(
        label="Hur måluppfyllelsen mäts",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Till exempel: Måluppfyllelsen mäts dels genom ett antal nyckeltal, dels "
        "genom skriftliga beskrivningar av genomförda aktiviteter.",
    )
    commentary = forms.CharField(
        label="Kommentar", required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    key_activities = forms.CharField(
        label="Viktiga aktiviteter",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="En aktivitet per rad. Skrivs ut som punktlista under ”Viktiga aktiviteter "
        "som bidrar till måluppfyllelse är:”.",
    )
    state = forms.ChoiceField(
        label="Status",
        choices=AssessmentState.choices,
        widget=forms.RadioSelect,
        initial=AssessmentState.DRAFT,
    )
    version = _version()

    FIELDS = ("step", "method", "commentary", "key_activities", "state")

    def __init__(self, *args, scale_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].queryset = ScaleStep.objects.filter(scale_id=scale_id).order_by("rank")
        self.fields["step"].error_messages["invalid_choice"] = "Välj en nivå på skalan."

    @staticmethod
    def initial_for(assessment: GoalAssessment | None) -> dict:
        if assessment is None:
            return {"state": AssessmentState.DRAFT, "version": 0}
        return {
            "step": assessment.step_id,
            "method": assessment.method,
            "commentary": assessment.commentary,
            "key_activities": assessment.key_activities,
            "state": assessment.state,
            "version": assessment.version,
        }


class AssignmentAssessmentForm(AccessibleForm):
    step = StepChoiceField(
        label="Status",
        queryset=ScaleStep.objects.none(),
        required=False,
        empty_label=None,
        widget=forms.RadioSelect,
    )
    commentary = forms.CharField(
        label="Kommentar", required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    state = forms.ChoiceField(
        label="Bedömningens status",
        choices=AssessmentState.choices,
        widget=forms.RadioSelect,
        initial=AssessmentState.DRAFT,
    )
    version = _version()

    FIELDS = ("step", "commentary", "state")

    def __init__(self, *args, scale_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].queryset = ScaleStep.objects.filter(scale_id=scale_id).order_by("rank")
        self.fields["step"].error_messages["invalid_choice"] = "Välj en status på skalan."

    @staticmethod
    def initial_for(assessment) -> dict:
        if assessment is None:
            return {"state": AssessmentState.DRAFT, "version": 0}
        return {
            "step": assessment.step_id,
            "commentary": assessment.commentary,
            "state": assessment.state,
            "version": assessment.version,
        }
