"""Forms check types and shapes; contracts.services checks the rules. Messages are Swedish."""

from __future__ import annotations

import re

from django import forms

from contracts.models import (
    AcquisitionForm,
    ActivityStatus,
    ChecklistActivity,
    ChecklistPlaceStatus,
    CheckResult,
    Contract,
    ContractFollowUp,
    FollowUpKind,
    FollowUpTemplate,
    Frequency,
    Outcome,
    Procurement,
    ProcurementStatus,
    Rating,
)
from contracts.services import SupplierInput
from solna_sn.forms import DATE_ERRORS, DATE_INPUT, AccessibleForm, decimal_limits, text_max_length
from solna_sn.lib.numbers import NumberFormatError, format_number, parse_number
from solna_sn.models import Unit

OPTIONAL_DATE_ERRORS = {"invalid": DATE_ERRORS["invalid"]}


def _date(label, *, required=False, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        widget=DATE_INPUT,
        error_messages=DATE_ERRORS if required else OPTIONAL_DATE_ERRORS,
        help_text=help_text,
    )


def _choices(choices, empty: str):
    return [("", empty), *choices]


class ContractForm(AccessibleForm):
    name = forms.CharField(
        label="Avtalets namn",
        max_length=text_max_length(Contract, "name"),
        error_messages={"required": "Ange avtalets namn."},
    )
    area = forms.CharField(
        label="Avtalsområde",
        max_length=text_max_length(Contract, "area"),
        error_messages={"required": "Ange avtalsområde."},
        help_text="Till exempel Familjerådgivning eller Grupp- och träningsbostäder.",
    )
    suppliers = forms.CharField(
        label="Leverantörer",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="En leverantör per rad: namn, sedan komma och organisationsnummer om det är "
        "känt, till exempel ”Familjecentrum AB, 556036-0793”.",
    )
    dnr = forms.CharField(
        label="Diarienummer",
        required=False,
        max_length=text_max_length(Contract, "dnr"),
        help_text="Till exempel SN/2024:23.",
    )
    acquisition = forms.ChoiceField(
        label="Avtalsform",
        choices=_choices(AcquisitionForm.choices, "Välj avtalsform"),
        error_messages={"required": "Välj avtalsform.", "invalid_choice": "Välj avtalsform."},
    )
    purchasing_party = forms.CharField(
        label="Inköpscentral eller huvudman",
        required=False,
        max_length=text_max_length(Contract, "purchasing_party"),
        help_text="Till exempel Adda inköpscentral, eller huvudmannen för en överenskommelse.",
    )
    start_date = _date("Startdatum", required=True)
    end_date = _date(
        "Slutdatum",
        help_text="Slutet av den ursprungliga avtalstiden, utan förlängningar. Lämna tomt om "
        "avtalet gäller tillsvidare.",
    )
    term_pattern = forms.CharField(
        label="Förlängningsmodell",
        required=False,
        max_length=text_max_length(Contract, "term_pattern"),
        help_text="Grundperiod och förlängningar i hela år, till exempel 2+1+1.",
    )
    annual_value = forms.CharField(
        label="Värde per år (kr)", required=False, max_length=30, help_text="Till exempel 438 000."
    )
    price_model = forms.CharField(
        label="Prismodell", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    documents = forms.CharField(
        label="Avtalsdokument",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Ett dokument per rad.",
    )
    unit = forms.ModelChoiceField(
        label="Ansvarig enhet",
        queryset=Unit.objects.none(),
        empty_label="Välj enhet",
        error_messages={
            "required": "Välj ansvarig enhet.",
            "invalid_choice": "Välj en enhet i listan.",
        },
    )
    template = forms.ModelChoiceField(
        label="Mall för ordinarie uppföljning",
        queryset=FollowUpTemplate.objects.all(),
        required=False,
        empty_label="(ingen mall än)",
        error_messages={"invalid_choice": "Välj en mall i listan."},
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.all()

    def clean_suppliers(self) -> list[SupplierInput]:
        suppliers = []
        for line in self.cleaned_data["suppliers"].splitlines():
            line = line.strip()
            if not line:
                continue
            name, org = line, ""
            match = re.fullmatch(r"(.+?)[,;]\s*([\d\s-]+)", line)
            if match:
                name, org = match[1].strip(), match[2].replace(" ", "")
            suppliers.append(SupplierInput(name, org))
        return suppliers

    def clean_annual_value(self):
        raw = self.cleaned_data["annual_value"].replace("kr", "").strip()
        if not raw:
            return None
        try:
            return parse_number(raw, **decimal_limits(Contract, "annual_value"))
        except NumberFormatError as error:
            raise forms.ValidationError(str(error)) from error

    @staticmethod
    def initial_for(contract: Contract) -> dict:
        return {
            "name": contract.name,
            "area": contract.area,
            "suppliers": "\n".join(
                f"{s.name}, {s.org_number}" if s.org_number else s.name
                for s in contract.suppliers.all()
            ),
            "dnr": contract.dnr,
            "acquisition": contract.acquisition,
            "purchasing_party": contract.purchasing_party,
            "start_date": contract.start_date,
            "end_date": contract.end_date,
            "term_pattern": contract.term_pattern,
            "annual_value": format_number(contract.annual_value)
            if contract.annual_value is not None
            else "",
            "price_model": contract.price_model,
            "documents": contract.documents,
            "unit": contract.unit_id,
            "template": contract.template_id,
        }


class ExtensionForm(AccessibleForm):
    start_date = _date("Från", required=True)
    end_date = _date("Till och med", required=True)


class ProcurementForm(AccessibleForm):
    designation = forms.CharField(
        label="Avtalsbeteckning",
        max_length=text_max_length(Procurement, "designation"),
        error_messages={"required": "Ange avtalsbeteckning."},
    )
    area = forms.CharField(
        label="Verksamhetsområde", required=False, max_length=text_max_length(Procurement, "area")
    )
    dnr = forms.CharField(
        label="Diarienummer", required=False, max_length=text_max_length(Procurement, "dnr")
    )
    status = forms.ChoiceField(
        label="Status",
        choices=ProcurementStatus.choices,
        error_messages={"invalid_choice": "Välj status: planerad, pågår eller genomförd."},
    )
    partners = forms.CharField(
        label="Samverkande kommuner",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="En kommun per rad.",
    )
    coordinator = forms.CharField(
        label="Samordnande kommun",
        required=False,
        max_length=text_max_length(Procurement, "coordinator"),
    )
    planned_start = _date("Planerad start")
    contract_start = _date("Planerad avtalsstart")
    completed_on = _date("Genomförd", help_text="Fyll i när upphandlingen är genomförd.")
    plan_year = forms.IntegerField(
        label="Ingår i konkurrensplanen för år",
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": "Ange år med fyra siffror, till exempel 2025.",
            "min_value": "Året ska vara mellan 2000 och 2100.",
            "max_value": "Året ska vara mellan 2000 och 2100.",
        },
        help_text="Visas då i verksamhetsplanens tabell Avtal som ska upphandlas.",
    )
    follow_up = forms.CharField(
        label="Uppföljning",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Texten i rapportens tabell Uppföljning av genomförda upphandlingar.",
    )
    replaces = forms.ModelMultipleChoiceField(
        label="Ersätter avtal",
        queryset=Contract.objects.order_by("area", "name"),
        required=False,
        error_messages={"invalid_choice": "Välj avtal i listan."},
        help_text="Håll ned Ctrl för att välja flera.",
    )
    unit = forms.ModelChoiceField(
        label="Ansvarig enhet",
        queryset=Unit.objects.none(),
        empty_label="Välj enhet",
        error_messages={
            "required": "Välj ansvarig enhet.",
            "invalid_choice": "Välj en enhet i listan.",
        },
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.all()

    @staticmethod
    def initial_for(procurement: Procurement) -> dict:
        data = {
            name: getattr(procurement, name)
            for name in (
                "designation",
                "area",
                "dnr",
                "status",
                "partners",
                "coordinator",
                "planned_start",
                "contract_start",
                "completed_on",
                "plan_year",
                "follow_up",
            )
        }
        data["unit"] = procurement.unit_id
        data["replaces"] = [c.pk for c in procurement.replaces.all()]
        return data


class PlanRowForm(AccessibleForm):
    """One row of the tidsplan. Meetings come as a list so many rows share one query."""

    kind = forms.ChoiceField(
        label="Typ",
        choices=FollowUpKind.choices,
        error_messages={"invalid_choice": "Välj ordinarie eller förenklad."},
    )
    meeting = forms.ChoiceField(
        label="Redovisas på sammanträde",
        required=False,
        error_messages={"invalid_choice": "Välj ett sammanträde i listan."},
    )
    planned_date = _date("Eller planerat datum")

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.meetings = {str(m.pk): m for m in meetings}
        self.fields["meeting"].choices = [("", "(inget valt)")] + [
            (str(m.pk), f"{m.date:%Y-%m-%d}") for m in meetings
        ]

    def clean_meeting(self):
        value = self.cleaned_data["meeting"]
        return self.meetings.get(value) if value else None


class PlanAddForm(AccessibleForm):
    contract = forms.ModelChoiceField(
        label="Avtal",
        queryset=Contract.objects.order_by("area", "name"),
        empty_label="Välj avtal",
        error_messages={"required": "Välj avtal.", "invalid_choice": "Välj ett avtal i listan."},
    )


class StartForm(AccessibleForm):
    template = forms.ModelChoiceField(
        label="Mall med områden och punkter",
        queryset=FollowUpTemplate.objects.all(),
        required=False,
        empty_label="Avtalets mall",
        error_messages={"invalid_choice": "Välj en mall i listan."},
    )


SCALE_MESSAGE = "Välj en bedömning på skalan: " + ", ".join(Rating.labels) + "."


class FollowUpForm(AccessibleForm):
    """The follow-up's texts plus one rating and comment per item (ordinarie) or one result
    and narrative per check (förenklad)."""

    method_documents = forms.CharField(
        label="Granskade dokument", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    method_visits = forms.CharField(
        label="Besök", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    method_interviews = forms.CharField(
        label="Intervjuer (med vem)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    outcome = forms.ChoiceField(
        label="Resultat",
        required=False,
        choices=_choices(Outcome.choices, "Inte bedömt än"),
        error_messages={"invalid_choice": "Välj ett resultat i listan."},
    )
    verdict = forms.CharField(
        label="Samlad bedömning", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    completed_on = _date("Uppföljningen genomförd")

    def __init__(self, *args, followup: ContractFollowUp, **kwargs):
        super().__init__(*args, **kwargs)
        self.followup = followup
        self.item_fields = []
        self.check_fields = []
        if followup.kind == FollowUpKind.ORDINARY:
            for name in ("method_documents", "method_visits", "method_interviews"):
                self.fields[name].initial = getattr(followup, name)
            for item in followup.items.all():
                rating, comment = f"item-{item.pk}-rating", f"item-{item.pk}-comment"
                self.fields[rating] = forms.ChoiceField(
                    label=f"{item.code} {item.text}",
                    required=False,
                    choices=_choices(Rating.choices, "Ej bedömd"),
                    initial=item.rating,
                    error_messages={"invalid_choice": f"Punkt {item.code}: {SCALE_MESSAGE}"},
                )
                self.fields[comment] = forms.CharField(
                    label=f"Kommentar till {item.code}",
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    initial=item.comment,
                )
                self.item_fields.append((item, rating, comment))
        else:
            for name in ("method_documents", "method_visits", "method_interviews"):
                del self.fields[name]
            for check in followup.checks.all():
                result, narrative = f"check-{check.pk}-result", f"check-{check.pk}-narrative"
                topic = check.get_topic_display()
                self.fields[result] = forms.ChoiceField(
                    label=f"{topic}: resultat",
                    required=False,
                    choices=_choices(CheckResult.choices, "Inte kontrollerat"),
                    initial=check.result,
                    error_messages={"invalid_choice": f"{topic}: välj godkänd eller ej godkänd."},
                )
                self.fields[narrative] = forms.CharField(
                    label=f"{topic}: beskrivning",
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    initial=check.narrative,
                )
                self.check_fields.append((check, result, narrative))
        self.fields["outcome"].initial = followup.outcome
        self.fields["verdict"].initial = followup.verdict
        self.fields["completed_on"].initial = followup.completed_on

    @property
    def item_rows(self):
        return [(item, self[r], self[c]) for item, r, c in self.item_fields]

    @property
    def check_rows(self):
        return [(check, self[r], self[n]) for check, r, n in self.check_fields]

    def service_data(self) -> dict:
        data = {
            name: self.cleaned_data[name]
            for name in (
                "method_documents",
                "method_visits",
                "method_interviews",
                "verdict",
                "outcome",
                "completed_on",
            )
            if name in self.fields
        }
        data["items"] = {
            item.pk: (self.cleaned_data[r], self.cleaned_data[c]) for item, r, c in self.item_fields
        }
        data["checks"] = {
            check.pk: (self.cleaned_data[r], self.cleaned_data[n])
            for check, r, n in self.check_fields
        }
        return data


class ActivityForm(AccessibleForm):
    frequency = forms.ChoiceField(
        label="Hur ofta",
        choices=Frequency.choices,
        error_messages={"invalid_choice": "Välj hur ofta i listan."},
    )
    text = forms.CharField(
        label="Aktivitet",
        max_length=text_max_length(ChecklistActivity, "text"),
        error_messages={"required": "Beskriv aktiviteten."},
    )
    status = forms.ChoiceField(
        label="Status",
        choices=ActivityStatus.choices,
        error_messages={"invalid_choice": "Välj status i listan."},
    )


class ActivityStatusForm(AccessibleForm):
    status = forms.ChoiceField(
        label="Status för alla enheter",
        choices=ActivityStatus.choices,
        error_messages={"invalid_choice": "Välj status i listan."},
    )
    place = forms.CharField(
        label="Enhet eller boende som avviker",
        required=False,
        max_length=text_max_length(ChecklistPlaceStatus, "place"),
        help_text="Lämna tomt om alla har samma status.",
    )
    place_status = forms.ChoiceField(
        label="Status där",
        required=False,
        choices=ActivityStatus.choices,
        error_messages={"invalid_choice": "Välj status i listan."},
    )


class DeficiencyForm(AccessibleForm):
    description = forms.CharField(
        label="Brist",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Beskriv bristen."},
    )
    action = forms.CharField(
        label="Krav på åtgärd",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Ange vilken åtgärd som krävs."},
    )
    deadline = _date("Åtgärdas senast", required=True)
