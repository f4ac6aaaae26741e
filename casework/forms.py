"""Forms check types and shapes; the services check the rules. Messages are Swedish."""

from django import forms
from django.db.models import Q

from casework import services
from casework.models import Case, Memo, MemoState
from solna_sn.forms import DATE_ERRORS, DATE_INPUT, AccessibleForm
from solna_sn.models import Role, Unit, User


class CaseRegisterForm(AccessibleForm):
    title = forms.CharField(
        label="Ärenderubrik", max_length=300, error_messages={"required": "Ange ärendets rubrik."}
    )
    unit = forms.ModelChoiceField(
        label="Ansvarig enhet",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="(ingen)",
    )
    dnr = forms.CharField(
        label="Befintligt diarienummer",
        required=False,
        max_length=30,
        help_text="Lämna tomt för att få nästa lediga nummer. Fyll bara i om ärendet redan "
        "har ett nummer, till exempel SN/2024:82.",
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.all()


def own_unit(user, units):
    """The first of the user's own enheter among `units` (the default responsible enhet)."""
    if user is None or not user.is_authenticated:
        return None
    return units.filter(pk__in=user.units.values("pk")).order_by("name").first()


class CaseEditForm(AccessibleForm):
    """Correct an ärende's title and responsible enhet (until a memo of it is sent)."""

    title = forms.CharField(
        label="Ärenderubrik", max_length=300, error_messages={"required": "Ange ärendets rubrik."}
    )
    unit = forms.ModelChoiceField(
        label="Ansvarig enhet",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="(ingen)",
        error_messages={"invalid_choice": "Välj en av nämndens enheter i listan."},
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.all()


class MemoFilterForm(AccessibleForm):
    """The tjänsteskrivelser list's search and filters, read from the query string."""

    ORDER_CHOICES = [("datum", "Datum, nyast först"), ("dnr", "Diarienummer")]

    q = forms.CharField(label="Sök på rubrik eller diarienummer", required=False, max_length=200)
    state = forms.ChoiceField(
        label="Läge",
        required=False,
        choices=[("", "Alla lägen"), *MemoState.choices],
        error_messages={"invalid_choice": "Okänt läge: välj ett av lägena i listan."},
    )
    unit = forms.ModelChoiceField(
        label="Enhet",
        required=False,
        queryset=Unit.objects.none(),
        empty_label="Alla enheter",
        error_messages={"invalid_choice": "Okänd enhet: välj en av enheterna i listan."},
    )
    order = forms.ChoiceField(
        label="Ordning",
        required=False,
        choices=ORDER_CHOICES,
        error_messages={"invalid_choice": "Okänd ordning: välj datum eller diarienummer."},
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.all()

    def filter(self, memos):
        """`memos` searched, filtered and ordered by the valid fields (all of them when the
        form is valid; none, so the whole list, when it is not)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if query := (data.get("q") or "").strip():
            memos = memos.filter(Q(title__icontains=query) | Q(case__dnr__icontains=query))
        if data.get("state"):
            memos = memos.filter(state=data["state"])
        if data.get("unit"):
            memos = memos.filter(unit=data["unit"])
        if data.get("order") == "dnr":
            return memos.order_by("-case__year", "-case__number", "-revision")
        return memos.order_by("-date", "-case__year", "-case__number", "-revision")


class MemoForm(AccessibleForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(
        label="Rubrik", max_length=300, error_messages={"required": "Rubriken får inte vara tom."}
    )
    date = forms.DateField(label="Datum", widget=DATE_INPUT, error_messages=DATE_ERRORS)
    decision_proposal = forms.CharField(
        label="Förslag till beslut",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="En mening, eller numrerade punkter som börjar med 1. 2. 3.",
    )
    summary = forms.CharField(
        label="Sammanfattning",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Skriv vanlig text. Tom rad ger nytt stycke; rader som börjar med - blir "
        "en punktlista.",
    )
    dispatch_to = forms.CharField(
        label="Beslutet expedieras till",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="En mottagare per rad. Lämna tomt om beslutet inte ska expedieras.",
    )
    dispatch_bulleted = forms.BooleanField(label="Visa mottagarna som punktlista", required=False)

    def __init__(self, *args, memo: Memo, **kwargs):
        super().__init__(*args, **kwargs)
        self.section_fields = []
        for section in memo.sections.all():
            heading = f"section-{section.pk}-heading"
            body = f"section-{section.pk}-body"
            self.fields[heading] = forms.CharField(
                label="Rubrik", required=False, max_length=200, initial=section.heading
            )
            self.fields[body] = forms.CharField(
                label="Text",
                required=False,
                widget=forms.Textarea(attrs={"rows": 8}),
                initial=section.body,
            )
            self.section_fields.append((section, heading, body))

    @property
    def section_bound(self):
        return [
            (section, self[heading], self[body]) for section, heading, body in self.section_fields
        ]

    @classmethod
    def initial_for(cls, memo: Memo) -> dict:
        return {
            "version": memo.version,
            "title": memo.title,
            "date": memo.date,
            "decision_proposal": memo.decision_proposal,
            "summary": memo.summary,
            "dispatch_to": memo.dispatch_to,
            "dispatch_bulleted": memo.dispatch_bulleted,
        }


class SignatoryForm(AccessibleForm):
    user = forms.ModelChoiceField(
        label="Person",
        queryset=User.objects.none(),
        required=False,
        empty_label="(annan person – skriv namnet)",
    )
    name = forms.CharField(label="Namn", required=False, max_length=200)
    title = forms.CharField(
        label="Titel på handlingen",
        required=False,
        max_length=200,
        help_text="Till exempel Förvaltningschef eller Enhetschef. Tomt = personens befattning.",
    )

    def __init__(self, *args, **kwargs):
        # Ids of their own: the memo page also has the memo's Rubrik and the upload's title.
        kwargs.setdefault("auto_id", "id_undertecknare_%s")
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            User.objects.filter(is_active=True)
            .exclude(role=Role.NAMNDLEDAMOT)
            .order_by("last_name", "first_name")
        )


class AttachmentUploadForm(AccessibleForm):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_bilaga_%s")
        super().__init__(*args, **kwargs)

    title = forms.CharField(
        label="Handlingens titel",
        max_length=300,
        error_messages={"required": "Ange handlingens titel."},
    )
    file = forms.FileField(
        label="PDF-fil",
        error_messages={
            "required": "Välj en PDF-fil att ladda upp.",
            "empty": "Filen är tom.",
            "invalid": "Det gick inte att läsa filen.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


class AttachmentLinkForm(AccessibleForm):
    source = forms.ModelChoiceField(
        label="Tjänsteskrivelse i systemet",
        queryset=Memo.objects.none(),
        help_text="Godkända och skickade tjänsteskrivelser. En tjänsteskrivelse med sekretess "
        "kan bara bifogas i ett ärende som självt har sekretess.",
        error_messages={
            "required": "Välj en tjänsteskrivelse.",
            "invalid_choice": "Välj en tjänsteskrivelse i listan.",
        },
    )

    def __init__(self, *args, memo: Memo, **kwargs):
        kwargs.setdefault("auto_id", "id_handling_%s")
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = (
            services.linkable_memos(memo).select_related("case").order_by("-date")
        )
        self.fields["source"].label_from_instance = lambda m: f"{m.case.dnr} {m}"


class ReasonForm(AccessibleForm):
    reason = forms.CharField(
        label="Motivering",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Skriv en motivering."},
    )


class MeetingForm(AccessibleForm):
    date = forms.DateField(label="Datum", widget=DATE_INPUT, error_messages=DATE_ERRORS)
    time = forms.TimeField(
        label="Tid",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": "Ange tid som TT:MM.", "required": "Ange tid."},
    )
    place = forms.CharField(
        label="Plats", max_length=200, error_messages={"required": "Ange plats."}
    )


class AgendaItemForm(AccessibleForm):
    case = forms.ModelChoiceField(
        label="Ärende",
        queryset=Case.objects.none(),
        required=False,
        empty_label="(punkt utan ärende, till exempel Övriga frågor)",
        error_messages={"invalid_choice": "Välj ett ärende i listan."},
    )
    title = forms.CharField(
        label="Rubrik på ärendelistan",
        required=False,
        max_length=300,
        help_text="Tomt = ärendets rubrik.",
    )
    label = forms.CharField(
        label="Nummer",
        required=False,
        max_length=20,
        help_text="Tomt = nästa nummer. Ett intervall skrivs 4-5.",
    )
    confidential = forms.BooleanField(label="Sekretess", required=False)
    osl_reference = forms.CharField(
        label="Hänvisning till OSL",
        required=False,
        max_length=200,
        help_text="Krävs vid sekretess, till exempel 26 kap. 1 § OSL.",
    )
    show_contact_text = forms.BooleanField(
        label="Skriv hur man begär ut handlingarna (prövning enligt OSL)",
        required=False,
        initial=True,
    )

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = Case.objects.filter(committee=committee)


class DecisionForm(AccessibleForm):
    paragraph = forms.IntegerField(
        label="Paragraf (§)",
        min_value=1,
        max_value=9999,
        error_messages={
            "invalid": "Paragrafen ska vara ett heltal, till exempel 78.",
            "required": "Ange paragrafnummer.",
            "min_value": "Paragrafen ska vara minst 1.",
            "max_value": "Paragrafen får vara högst 9999.",
        },
    )
    text = forms.CharField(
        label="Beslut",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Skriv nämndens beslut."},
    )
    report_back_required = forms.BooleanField(label="Kräver återrapportering", required=False)
    report_back_due = forms.DateField(
        label="Återrapporteras senast",
        required=False,
        widget=DATE_INPUT,
        error_messages=DATE_ERRORS,
    )


class ReportBackForm(AccessibleForm):
    on = forms.DateField(label="Återrapporterat den", widget=DATE_INPUT, error_messages=DATE_ERRORS)
    note = forms.CharField(
        label="Hur",
        max_length=300,
        help_text="Till exempel: Ärende 7 på sammanträdet 7 oktober 2024.",
        error_messages={"required": "Ange hur beslutet återrapporterades."},
    )
