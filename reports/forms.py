from django import forms

from casework.models import Case, Meeting
from reports import outlines
from reports.generators.all import REGISTRY
from reports.models import OutlineSection, ReportKind, SectionMode
from solna_sn.forms import AccessibleForm
from solna_sn.models import Role, Unit, User
from solna_sn.permissions import STAFF_ROLES


class ReportCreateForm(AccessibleForm):
    kind = forms.ModelChoiceField(
        label="Rapporttyp", queryset=ReportKind.objects.none(), empty_label=None
    )
    year = forms.IntegerField(label="År", min_value=2000, max_value=2100)
    case = forms.ModelChoiceField(
        label="Ärende (diarienummer)", queryset=Case.objects.none(), empty_label="Välj ärende"
    )
    meeting = forms.ModelChoiceField(
        label="Sammanträde där rapporten behandlas",
        queryset=Meeting.objects.none(),
        required=False,
        empty_label="Inget ännu",
    )
    carry_over = forms.BooleanField(
        label="Hämta texterna från föregående rapport som utkast", required=False, initial=True
    )

    def __init__(self, *args, committee=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = ReportKind.objects.filter(committee=committee)
        self.fields["case"].queryset = Case.objects.filter(committee=committee)
        self.fields["case"].label_from_instance = lambda c: f"{c.dnr} {c.title}"
        self.fields["meeting"].queryset = Meeting.objects.filter(committee=committee)
        self.fields["meeting"].label_from_instance = lambda m: f"{m.date:%Y-%m-%d}"


class SectionForm(AccessibleForm):
    body = forms.CharField(
        label="Text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "class": "report-editor-source"}),
        help_text="Stycken, två nivåer av underrubriker, punkt- och numrerade listor, fetstil, "
        "kursiv och länkar. Annan formatering tas bort när texten sparas.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def staff_users():
    return User.objects.filter(is_active=True, role__in=STAFF_ROLES - {Role.ADMINISTRATOR})


class AssignForm(AccessibleForm):
    writer = forms.ModelChoiceField(
        label="Skribent", queryset=User.objects.none(), required=False, empty_label="Ingen"
    )
    unit = forms.ModelChoiceField(
        label="Eller enhet", queryset=Unit.objects.none(), required=False, empty_label="Ingen"
    )

    def __init__(self, *args, committee=None, users=None, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["writer"].queryset = staff_users()
        self.fields["writer"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["unit"].queryset = Unit.objects.filter(administration__committee=committee)


class ReasonForm(AccessibleForm):
    reason = forms.CharField(label="Kommentar till skribenterna", widget=forms.Textarea)


class CorrectionForm(AccessibleForm):
    text = forms.CharField(
        label="Rättelse",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Vad som var fel i den skickade rapporten och vad som gäller.",
    )


class CompareForm(AccessibleForm):
    """Which two versions of a report the redline compares (GET)."""

    fran = forms.ChoiceField(label="Från")
    till = forms.ChoiceField(label="Till")

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("fran", "till"):
            self.fields[name].choices = choices
            self.fields[name].error_messages["invalid_choice"] = (
                "Välj en av rapportens versioner i listan."
            )
            self.fields[name].error_messages["required"] = "Välj en version att jämföra."

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("fran") and cleaned.get("fran") == cleaned.get("till"):
            raise forms.ValidationError("Välj två olika versioner att jämföra.")
        return cleaned


class OutlineSectionForm(forms.ModelForm):
    """One section of a kind's outline in the admin: a generated section must name a
    generator that exists (the keys are listed under the field)."""

    class Meta:
        model = OutlineSection
        fields = (
            "order",
            "title",
            "level",
            "mode",
            "generator",
            "in_toc",
            "anvisning",
            "default_text",
        )

    def clean(self):
        data = super().clean()
        key = (data.get("generator") or "").strip()
        data["generator"] = key
        if data.get("mode") == SectionMode.GENERATED and key and key not in REGISTRY:
            self.add_error(
                "generator",
                f"Generatorn ”{key}” finns inte. Välj en av dem som står under fältet.",
            )
        elif data.get("mode") != SectionMode.GENERATED and key:
            self.add_error("generator", "Bara ett avsnitt som skapas från data har en generator.")
        return data


class ReportKindAdminForm(forms.ModelForm):
    """A kind in the admin; when it is added, its outline can start from one of the layouts
    (another municipality's headings and order are data)."""

    layout = forms.ChoiceField(
        label="Disposition",
        required=False,
        choices=[("", "Tom disposition")]
        + [(code, layout.choice_label) for code, layout in outlines.LAYOUTS.items()],
        help_text="Avsnitten läggs in när rapporttypen sparas och kan sedan ändras här.",
    )

    class Meta:
        model = ReportKind
        fields = ("committee", "code", "name", "period", "plan")
