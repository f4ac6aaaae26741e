"""Every single-line text field in the controls, contracts and reports forms has the max_length
of the column it is saved to: a form without it over a CharField(max_length=200) was a 500 on
PostgreSQL. A new text field without a row here fails the test."""

import inspect

import pytest
from django import forms

import casework.forms
import contracts.forms
import controls.forms
from casework import models as r
from contracts import models as k
from controls import models as c

# (form module, form, field) → (model, column). Text areas go to unlimited TextFields, which
# the form limits to the product's TEXT_MAX_LENGTH.
COLUMNS = {
    ("controls", "AdoptForm", "decision_reference"): (c.ControlPlan, "decision_reference"),
    ("controls", "RiskForm", "process_name"): (c.Process, "name"),
    ("controls", "RiskForm", "responsible_role"): (c.Risk, "responsible_role"),
    ("controls", "RiskForm", "title"): (c.Risk, "title"),
    ("controls", "RiskForm", "control_activity"): (c.Risk, "control_activity"),
    ("controls", "RiskForm", "how_when"): (c.Risk, "how_when"),
    ("controls", "ResultForm", "finding"): (c.Result, "finding"),
    ("controls", "ResultForm", "explanation"): (c.Result, "explanation"),
    ("controls", "CommentForm", "comment"): (c.Result, "return_comment"),
    ("controls", "FollowUpForm", "assessment"): (c.ControlFollowUp, "assessment"),
    ("controls", "ReasonForm", "reason"): (c.ControlPlan, "revision_reason"),
    ("contracts", "ActivityForm", "text"): (k.ChecklistActivity, "text"),
    ("contracts", "ActivityStatusForm", "place"): (k.ChecklistPlaceStatus, "place"),
    ("contracts", "ContractForm", "name"): (k.Contract, "name"),
    ("contracts", "ContractForm", "area"): (k.Contract, "area"),
    ("contracts", "ContractForm", "dnr"): (k.Contract, "dnr"),
    ("contracts", "ContractForm", "purchasing_party"): (k.Contract, "purchasing_party"),
    ("contracts", "ContractForm", "term_pattern"): (k.Contract, "term_pattern"),
    ("contracts", "ContractForm", "price_model"): (k.Contract, "price_model"),
    ("contracts", "ContractForm", "documents"): (k.Contract, "documents"),
    ("contracts", "DeficiencyForm", "description"): (k.Deficiency, "description"),
    ("contracts", "DeficiencyForm", "action"): (k.Deficiency, "action"),
    ("contracts", "FollowUpForm", "method_documents"): (k.ContractFollowUp, "method_documents"),
    ("contracts", "FollowUpForm", "method_visits"): (k.ContractFollowUp, "method_visits"),
    ("contracts", "FollowUpForm", "method_interviews"): (k.ContractFollowUp, "method_interviews"),
    ("contracts", "FollowUpForm", "verdict"): (k.ContractFollowUp, "verdict"),
    ("contracts", "ProcurementForm", "designation"): (k.Procurement, "designation"),
    ("contracts", "ProcurementForm", "area"): (k.Procurement, "area"),
    ("contracts", "ProcurementForm", "dnr"): (k.Procurement, "dnr"),
    ("contracts", "ProcurementForm", "coordinator"): (k.Procurement, "coordinator"),
    ("contracts", "ProcurementForm", "partners"): (k.Procurement, "partners"),
    ("contracts", "ProcurementForm", "follow_up"): (k.Procurement, "follow_up"),
    ("casework", "AgendaItemForm", "title"): (r.AgendaItem, "title"),
    ("casework", "AgendaItemForm", "label"): (r.AgendaItem, "label"),
    ("casework", "AgendaItemForm", "osl_reference"): (r.AgendaItem, "osl_reference"),
    ("casework", "AttachmentUploadForm", "title"): (r.MemoAttachment, "title"),
    ("casework", "CaseRegisterForm", "title"): (r.Case, "title"),
    ("casework", "CaseRegisterForm", "dnr"): (r.Case, "dnr"),
    ("casework", "CaseEditForm", "title"): (r.Case, "title"),
    ("casework", "DecisionForm", "text"): (r.Decision, "text"),
    ("casework", "MeetingForm", "place"): (r.Meeting, "place"),
    ("casework", "MemoForm", "title"): (r.Memo, "title"),
    ("casework", "MemoForm", "decision_proposal"): (r.Memo, "decision_proposal"),
    ("casework", "MemoForm", "summary"): (r.Memo, "summary"),
    ("casework", "MemoForm", "dispatch_to"): (r.Memo, "dispatch_to"),
    ("casework", "ReasonForm", "reason"): (r.Memo, "review_comment"),
    ("casework", "ReportBackForm", "note"): (r.Decision, "reported_back_note"),
    ("casework", "SignatoryForm", "name"): (r.MemoSignatory, "name"),
    ("casework", "SignatoryForm", "title"): (r.MemoSignatory, "title"),
}
# Text fields that are parsed, not stored as typed; their parts are checked by the service.
PARSED = {
    ("contracts", "ContractForm", "suppliers"),  # one Supplier (name max 200) per line
    ("contracts", "ContractForm", "annual_value"),  # a number for a DecimalField
    ("casework", "MemoFilterForm", "q"),  # a search term in the query string, never stored
}


def text_fields():
    for module in (controls.forms, contracts.forms, casework.forms):
        app = module.__name__.split(".")[0]
        for name, form in inspect.getmembers(module, inspect.isclass):
            if not issubclass(form, forms.BaseForm) or form.__module__ != module.__name__:
                continue
            for field_name, field in form.base_fields.items():
                if isinstance(field, forms.CharField):
                    yield (app, name, field_name), field


@pytest.mark.parametrize(
    ("key", "field"), list(text_fields()), ids=lambda v: ".".join(v) if isinstance(v, tuple) else ""
)
def test_every_text_field_has_the_limit_of_its_column(key, field):
    if key in PARSED:
        return
    assert key in COLUMNS, f"{key}: add the column this text is saved to"
    model, column = COLUMNS[key]
    limit = model._meta.get_field(column).max_length
    if isinstance(field.widget, forms.Textarea) and limit is None:
        assert field.max_length is None  # the product's limit is added by AccessibleForm
    else:
        assert field.max_length == limit, f"{key}: {field.max_length} ≠ {model.__name__}.{column}"
