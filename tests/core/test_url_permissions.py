"""Every URL of the project, as every role and as an anonymous visitor, for GET and for POST,
checked against one table.

How it works:

* `URLS` walks the URL conf (`get_resolver()`, included URL confs too). The Django admin's own
  pages are left out except `/admin/` itself; static and media files are left out.
* `TABLE` has one row per URL name (several for a URL whose last path part chooses a variant,
  e.g. `pdf/<variant>/`). A row says which demo objects fill in the path and, per method, the
  outcome for each role and for an anonymous visitor. A URL without a row fails
  `test_url_access[<name>]`, so a new URL cannot be added without deciding who may use it.
* The demo (`manage.py load_demo`, a few seconds including its PDFs) is loaded once for the
  module inside a transaction that is rolled back when the module ends; each test runs in a
  savepoint, and each request in a savepoint of its own that is rolled back, so a POST that
  sends a meeting or deletes a risk does not change what the next request sees.
* POSTs carry an empty body unless the row gives a small valid one. Where a view validates
  the form before it asks who the user is, a valid body is what lets the request reach the
  permission check, so "denied" means denied for a request that would otherwise succeed.

Outcome classes: "ok" is 2xx, a redirect within the site, or a validation answer
(400/409/422); "denied" is 403; "login" is a redirect to the login page; "admin-login" is the
Django admin's redirect to its own login page (for everyone but the administratör);
"not-allowed" is 405; "not-found" is 404 (another user's upload).

The per-enhet rows use objects of Stabsenheten where the demo has them (the handläggare is in
Barn- och ungdomsenheten, the controller in EA, BOU and VUX): the draft tjänsteskrivelse
SN/2026:1, the internkontroll occasion and result of risk 1, the procurement of STAB. The demo
has no contract, follow-up or metric of STAB, so those rows use VUX or EA objects, which the
handläggare may not change but the controller may; its only open åtgärd is BOU's.

What the demo lacks is made in the fixture, through services or the pages themselves: a section
and an enclosure on SN/2026:1, PDFs of SN/2026:1 (a draft), of the coming meeting's public
bundle (before sending) and of a plan report, a draft revision of the 2025 internkontrollplan,
the controller's uploads of a metrics and a plan workbook, and a worker check.
"""

import dataclasses
import datetime
import io
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve, reverse
from pypdf import PdfWriter

from casework import services as report_services
from casework.forms import MemoForm
from casework.models import AgendaItem, Case, Decision, Meeting, Memo, MemoState, RenderKind
from contracts.models import ActivityStatus, Contract, ContractFollowUp, Frequency, Procurement
from controls.models import Action, ControlPlan, Occasion, PlanState, Result, Risk
from economy.models import AccountMapping, BudgetVersion, PersonnelSheet, Sheet, Tariff
from goals import services as goal_services
from goals.forms import (
    ActivityForm,
    AssessmentForm,
    AssignmentAssessmentForm,
    AssignmentForm,
    GoalForm,
    MeasureForm,
)
from goals.models import (
    Activity,
    Assignment,
    AssignmentAssessment,
    Goal,
    GoalAssessment,
    Measure,
    MeasureValue,
)
from printing import services as printing_services
from printing.models import RenderedDocument
from reports import risk_links
from reports.models import Report
from solna_sn import demo as solna_demo
from solna_sn import services as solna_services
from solna_sn.models import Role, User
from tests.economy import exports

H = Role.HANDLAGGARE.value
C = Role.CONTROLLER.value
G = Role.GRANSKARE.value
F = Role.FORVALTNINGSCHEF.value
N = Role.NAMNDLEDAMOT.value
A = Role.ADMINISTRATOR.value
ANONYMOUS = "anonym"
USERS = (*Role.values, ANONYMOUS)

SIGNED_IN = frozenset(Role.values)
STAFF = frozenset({H, C, G, F, A})
LEADERSHIP = frozenset({G, F})  # granskare (stabschef) and förvaltningschef
PLANNERS = frozenset({C, G, F})  # can_edit_control_plan, can_plan_contract_followups
# can_edit_in_unit for an enhet neither the handläggare nor the controller belongs to (STAB).
STAB_EDITORS = frozenset({G, F, A})
# Who may send the Årsredovisning 2024 to review: förvaltningsledning and its assigned writers
# (the demo gives sections to the handläggare and the controller).
REPORT_SECTION_WRITERS = frozenset({H, C, G, F})
# can_edit_in_unit for VUX or EA: the controller's enheter, not the handläggare's.
CONTROLLER_UNIT_EDITORS = frozenset({C, G, F, A})
# can_edit_goal_tree: förvaltningsledning and the administratör.
GOAL_EDITORS = frozenset({G, F, A})
# can_assess_goal for Nämndmål 3 per augusti 2024: its writer (the handläggare) and
# förvaltningsledning.
GOAL_WRITERS = frozenset({H, G, F})

OK = "ok"
DENIED = "denied"
LOGIN = "login"
ADMIN_LOGIN = "admin-login"
NOT_ALLOWED = "not-allowed"
NOT_FOUND = "not-found"

STATIC_PREFIXES = ("/static/", "/media/")


# --- The URL conf ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Url:
    name: str
    route: str
    params: tuple[str, ...]


def _walk(patterns, prefix="", namespace="", params=()):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        names = params + tuple(pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                # The admin's own pages are Django's; /admin/ itself gets one row.
                yield Url("admin:index", route, ())
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, route, inner, names)
        elif not ("/" + route).startswith(STATIC_PREFIXES):
            name = f"{namespace}{pattern.name}" if pattern.name else f"<{route}>"
            yield Url(name, route, names)


def _urls() -> dict[str, Url]:
    urls: dict[str, Url] = {}
    for url in _walk(get_resolver().url_patterns):
        assert url.name not in urls, f"two URL patterns are called {url.name}"
        urls[url.name] = url
    return urls


URLS = _urls()


# --- Expectations ------------------------------------------------------------------------------


def allow(roles, *, others=DENIED, anonymous=LOGIN, **exceptions) -> dict[str, str]:
    """`roles` get "ok", the other signed-in roles `others`, an anonymous visitor
    `anonymous`; `exceptions` (role=outcome) override single cells."""
    expected = {role: OK if role in roles else others for role in Role.values}
    expected[ANONYMOUS] = anonymous
    expected.update(exceptions)
    return expected


NOT_ALLOWED_FOR_ANYONE = dict.fromkeys(USERS, NOT_ALLOWED)


@dataclasses.dataclass(frozen=True)
class Row:
    get: dict[str, str]
    post: dict[str, str]
    # Path parameters from the demo objects (see `Demo`).
    kwargs: Callable[["Demo"], dict] = lambda d: {}
    # POST body, built for each request (an upload can be read only once).
    body: Callable[["Demo"], dict] | None = None
    variant: str = ""
    # Temporarily expected to fail: the reason (the bug being fixed). strict=True, so the
    # mark must go when the fix lands.
    xfail: str = ""


def get_only(roles, kwargs=lambda d: {}, **options) -> Row:
    return Row(get=allow(roles), post=NOT_ALLOWED_FOR_ANYONE, kwargs=kwargs, **options)


def post_only(roles, kwargs=lambda d: {}, **options) -> Row:
    return Row(get=NOT_ALLOWED_FOR_ANYONE, post=allow(roles), kwargs=kwargs, **options)


def document(key: str, readers, **options) -> dict[str, Row]:
    """render_status and render_file of one RenderedDocument: the same readers."""
    return {
        "status": get_only(readers, lambda d: d.document(key), variant=key, **options),
        "file": get_only(readers, lambda d: d.document(key), variant=key, **options),
    }


DOCUMENTS = {
    # Rendered when the demo meeting of 7 October 2024 was sent: for the nämnd.
    "public-bundle-sent": document("public-bundle-sent", SIGNED_IN),
    # The internal variant (with the secret items) of the same meeting: staff only.
    "internal-bundle-sent": document("internal-bundle-sent", STAFF),
    # A sent memo of a public item (SN/2024:70, ärende 6): for the nämnd.
    "memo-sent-public": document("memo-sent-public", SIGNED_IN),
    # A sent memo of a secret item (SN/2024:72, ärende 13): staff only.
    "memo-sent-secret": document("memo-sent-secret", STAFF),
    # The draft SN/2026:1 rendered while it is an utkast: staff only, forever.
    "memo-draft": document("memo-draft", STAFF),
    # The public bundle of the coming meeting, rendered before it is sent: staff only.
    "public-bundle-unsent": document("public-bundle-unsent", STAFF),
    # An internkontrollplan printed as a report: staff only.
    "report": document("report", STAFF),
}


def _blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


BLANK_PDF = _blank_pdf()


def _memo_body(d: "Demo") -> dict:
    memo = Memo.objects.get(pk=d.draft_memo)
    initial = MemoForm.initial_for(memo)
    initial["date"] = (memo.date or datetime.date(2026, 11, 30)).isoformat()
    initial["title"] = initial["title"] or "Rubrik"
    return {key: value for key, value in initial.items() if value not in (None, False)}


TABLE: dict[str, Row | tuple[Row, ...]] = {
    # --- Sign-in, start, organisation, system -----------------------------------------------
    "start": get_only(SIGNED_IN),
    "login": Row(get=allow(SIGNED_IN, anonymous=OK), post=allow(SIGNED_IN, anonymous=OK)),
    # Django's LogoutView takes only POST and sends everyone to the login page.
    "logout": Row(get=NOT_ALLOWED_FOR_ANYONE, post=dict.fromkeys(USERS, LOGIN)),
    "organisation": get_only(STAFF),
    # Mina inställningar: everyone signed in, about herself.
    "my_settings": Row(get=allow(SIGNED_IN), post=allow(SIGNED_IN)),
    "system_status": Row(get=allow({A}), post=allow({A})),
    "worker_check": get_only({A}, lambda d: {"pk": d.worker_check}),
    "admin:index": Row(
        get=allow({A}, others=ADMIN_LOGIN, anonymous=ADMIN_LOGIN),
        post=allow({A}, others=ADMIN_LOGIN, anonymous=ADMIN_LOGIN),
    ),
    # --- Verksamhetsmått (VUX: the controller's enhet; no STAB metrics in the demo) --------
    "metrics:index": get_only(STAFF),
    "metrics:month_grid": get_only(STAFF, lambda d: d.month_unit),
    "metrics:month_report": post_only({C}, lambda d: d.month_unit),
    "metrics:month_lock": post_only({C, G}, lambda d: d.month_unit),
    "metrics:month_reopen": post_only(LEADERSHIP, lambda d: d.month_unit),
    "metrics:cell_save": post_only({C}, lambda d: d.metric_month),
    "metrics:cell_history": get_only(STAFF, lambda d: d.metric_month),
    "metrics:status_overview": get_only(STAFF, lambda d: {"year": 2024}),
    "metrics:category_table": get_only(
        STAFF, lambda d: {"category_code": d.category, "year": 2024}
    ),
    "metrics:metric_history": get_only(STAFF, lambda d: {"metric_code": d.metric}),
    "metrics:excel_export": get_only(STAFF),
    "metrics:excel_import": Row(get=allow({C}), post=allow({C})),
    # The controller's own upload; nobody else imports metrics.
    "metrics:excel_import_preview": Row(
        get=allow({C}),
        post=allow({C}),
        kwargs=lambda d: {"pk": d.metric_import},
    ),
    # "Menade du …?" and "inrapportera och lås" on the controller's own upload.
    "metrics:excel_import_title": post_only({C}, lambda d: {"pk": d.metric_import}),
    "metrics:excel_import_close": post_only({C}, lambda d: {"pk": d.metric_import}),
    # --- Intern kontroll -------------------------------------------------------------------
    "controls:index": Row(get=allow(STAFF), post=allow(PLANNERS)),
    "controls:plan_detail": get_only(STAFF, lambda d: {"pk": d.draft_plan}),
    "controls:plan_matrix": get_only(STAFF, lambda d: {"pk": d.draft_plan}),
    "controls:plan_adopt": post_only(LEADERSHIP, lambda d: {"pk": d.draft_plan}),
    "controls:plan_revise": post_only(PLANNERS, lambda d: {"pk": d.plan_2024}),
    "controls:risk_create": Row(
        get=allow(PLANNERS), post=allow(PLANNERS), kwargs=lambda d: {"pk": d.draft_plan}
    ),
    "controls:riskindex_preview": get_only(STAFF, lambda d: {"pk": d.draft_plan}),
    "controls:calendar": get_only(STAFF, lambda d: {"pk": d.plan_2024}),
    "controls:follow_up": Row(
        get=allow(STAFF),
        post=allow(PLANNERS),
        kwargs=lambda d: {"pk": d.plan_2024, "period": "augusti"},
    ),
    "controls:plan_excel": get_only(STAFF, lambda d: {"pk": d.draft_plan}),
    "controls:plan_preview": get_only(STAFF, lambda d: {"pk": d.draft_plan}),
    "controls:plan_pdf": post_only(STAFF, lambda d: {"pk": d.draft_plan}),
    "controls:risk_edit": Row(
        get=allow(STAFF), post=allow(PLANNERS), kwargs=lambda d: {"pk": d.draft_risk}
    ),
    "controls:risk_delete": post_only(PLANNERS, lambda d: {"pk": d.draft_risk}),
    # Results are recorded by the responsible enhet (STAB here) or förvaltningsledningen.
    "controls:occasion": Row(
        get=allow(STAFF), post=allow(STAB_EDITORS), kwargs=lambda d: {"pk": d.stab_occasion}
    ),
    "controls:result_submit": post_only(STAB_EDITORS, lambda d: {"pk": d.stab_result}),
    "controls:result_approve": post_only({G}, lambda d: {"pk": d.stab_result}),
    "controls:result_return": post_only(
        {G},
        lambda d: {"pk": d.stab_result},
        body=lambda d: {"comment": "Komplettera underlaget."},
    ),
    # The demo's open åtgärd belongs to BOU, the handläggare's own enhet.
    "controls:action_done": post_only(STAFF, lambda d: {"pk": d.action}),
    "controls:plan_import": Row(get=allow(PLANNERS), post=allow(PLANNERS)),
    # Risks linked to nämndmål (reports.risk_links), on the 2026 draft plan: staff read, those
    # who draft the plan (can_edit_control_plan) link and unlink.
    "risk_links:plan": get_only(STAFF, lambda d: {"plan_pk": d.links["plan"]}),
    "risk_links:add": post_only(
        PLANNERS, lambda d: {"plan_pk": d.links["plan"]}, body=lambda d: d.links["add"]
    ),
    # The draft revision of the 2025 plan takes its adopted revision's links.
    "risk_links:from_previous": post_only(PLANNERS, lambda d: {"plan_pk": d.draft_plan}),
    "risk_links:remove": Row(
        get=allow(PLANNERS), post=allow(PLANNERS), kwargs=lambda d: {"pk": d.links["link"]}
    ),
    # The controller's own upload: hidden from the other planners.
    "controls:plan_import_preview": Row(
        get=allow({C}, **{G: NOT_FOUND, F: NOT_FOUND}),
        post=allow({C}, **{G: NOT_FOUND, F: NOT_FOUND}),
        kwargs=lambda d: {"pk": d.plan_import},
    ),
    # --- Avtal -----------------------------------------------------------------------------
    "contracts:index": get_only(STAFF),
    "contracts:register_export": get_only(STAFF),
    # Every staff role may register a contract for some enhet (its own).
    "contracts:contract_create": Row(get=allow(STAFF), post=allow(STAFF)),
    "contracts:contract_detail": get_only(STAFF, lambda d: {"pk": d.contract}),
    "contracts:contract_edit": Row(
        get=allow(CONTROLLER_UNIT_EDITORS),
        post=allow(CONTROLLER_UNIT_EDITORS),
        kwargs=lambda d: {"pk": d.contract},
    ),
    "contracts:extension_add": post_only(
        CONTROLLER_UNIT_EDITORS,
        lambda d: {"pk": d.contract},
        body=lambda d: {"start_date": "2031-01-01", "end_date": "2031-12-31"},
    ),
    "contracts:extension_remove": post_only(
        CONTROLLER_UNIT_EDITORS, lambda d: {"pk": d.contract, "eid": d.extension}
    ),
    "contracts:procurement_list": Row(get=allow(STAFF), post=allow(STAFF)),
    "contracts:procurement_edit": Row(
        get=allow(STAB_EDITORS),
        post=allow(STAB_EDITORS),
        kwargs=lambda d: {"pk": d.stab_procurement},
    ),
    "contracts:plan_index": get_only(STAFF),
    "contracts:plan_detail": get_only(STAFF, lambda d: {"year": 2024}),
    "contracts:plan_generate": post_only(PLANNERS, lambda d: {"year": 2025}),
    "contracts:plan_add": post_only(PLANNERS, lambda d: {"year": 2024}),
    "contracts:plan_approve": post_only(LEADERSHIP, lambda d: {"year": 2024}),
    "contracts:plan_row_update": post_only(
        PLANNERS, lambda d: {"year": 2024, "pk": d.planned_followup}
    ),
    "contracts:plan_row_remove": post_only(
        PLANNERS, lambda d: {"year": 2024, "pk": d.planned_followup}
    ),
    "contracts:followup_detail": get_only(STAFF, lambda d: {"pk": d.followup}),
    "contracts:followup_start": post_only(
        CONTROLLER_UNIT_EDITORS, lambda d: {"pk": d.planned_followup}
    ),
    "contracts:followup_save": post_only(CONTROLLER_UNIT_EDITORS, lambda d: {"pk": d.followup}),
    "contracts:activity_add": post_only(
        CONTROLLER_UNIT_EDITORS,
        lambda d: {"pk": d.followup},
        body=lambda d: {
            "frequency": Frequency.MONTHLY,
            "text": "Genomgång av avvikelser",
            "status": ActivityStatus.ONGOING,
        },
    ),
    "contracts:activity_remove": post_only(
        CONTROLLER_UNIT_EDITORS, lambda d: {"pk": d.followup, "aid": d.activity}
    ),
    "contracts:activity_status": post_only(
        CONTROLLER_UNIT_EDITORS,
        lambda d: {"pk": d.followup, "aid": d.activity},
        body=lambda d: {f"aktivitet-{d.activity}-status": ActivityStatus.DEVIATION},
    ),
    "contracts:deficiency_add": post_only(
        CONTROLLER_UNIT_EDITORS,
        lambda d: {"pk": d.followup},
        body=lambda d: {
            "description": "Genomförandeplaner saknas",
            "action": "Upprätta genomförandeplaner",
            "deadline": "2031-01-31",
        },
    ),
    "contracts:deficiency_remove": post_only(
        CONTROLLER_UNIT_EDITORS, lambda d: {"pk": d.followup, "did": d.deficiency}
    ),
    "contracts:followup_approve": post_only(LEADERSHIP, lambda d: {"pk": d.followup}),
    "contracts:followup_memo": post_only(CONTROLLER_UNIT_EDITORS, lambda d: {"pk": d.followup}),
    "contracts:followup_excel": get_only(STAFF, lambda d: {"pk": d.followup}),
    "contracts:followup_preview": get_only(STAFF, lambda d: {"pk": d.followup}),
    "contracts:followup_pdf": post_only(STAFF, lambda d: {"pk": d.followup}),
    # --- Ekonomi (controllers of the förvaltning and förvaltningsledningen enter figures) ---
    "economy:index": get_only(STAFF),
    "economy:sheet_create": Row(get=allow(PLANNERS), post=allow(PLANNERS)),
    "economy:sheet": get_only(STAFF, lambda d: {"pk": d.economy["sheet"]}),
    "economy:cell_save": post_only(PLANNERS, lambda d: d.economy["cell"]),
    "economy:commentary_save": post_only(
        PLANNERS, lambda d: {"pk": d.economy["sheet"], "row_code": "BOU"}
    ),
    "economy:footnotes_save": post_only(PLANNERS, lambda d: {"pk": d.economy["sheet"]}),
    "economy:sheet_versions": post_only(PLANNERS, lambda d: {"pk": d.economy["sheet"]}),
    "economy:sheet_lock": post_only(PLANNERS, lambda d: {"pk": d.economy["sheet"]}),
    "economy:sheet_reopen": post_only(LEADERSHIP, lambda d: {"pk": d.economy["sheet"]}),
    "economy:definition": get_only(STAFF, lambda d: {"code": "DELAR_RESULTATRAKNING"}),
    "economy:import": Row(get=allow(PLANNERS), post=allow(PLANNERS)),
    # The controller's own upload: hidden from the others who may import.
    "economy:import_preview": Row(
        get=allow({C}, **{G: NOT_FOUND, F: NOT_FOUND}),
        post=allow({C}, **{G: NOT_FOUND, F: NOT_FOUND}),
        kwargs=lambda d: {"pk": d.economy["import"]},
    ),
    "economy:personnel_create": Row(get=allow(PLANNERS), post=allow(PLANNERS)),
    "economy:personnel": Row(
        get=allow(STAFF), post=allow(PLANNERS), kwargs=lambda d: {"pk": d.economy["personnel"]}
    ),
    "economy:versions": get_only(STAFF),
    "economy:version_create": Row(get=allow(PLANNERS), post=allow(PLANNERS)),
    "economy:version_lock": post_only(LEADERSHIP, lambda d: {"pk": d.economy["version"]}),
    "economy:register": get_only(STAFF, lambda d: {"slug": "taxor", "year": 2025}),
    "economy:register_create": Row(
        get=allow(PLANNERS), post=allow(PLANNERS), kwargs=lambda d: {"slug": "taxor", "year": 2025}
    ),
    "economy:register_edit": Row(
        get=allow(PLANNERS),
        post=allow(PLANNERS),
        kwargs=lambda d: {"slug": "taxor", "year": 2025, "pk": d.economy["tariff"]},
    ),
    "economy:register_delete": post_only(
        PLANNERS, lambda d: {"slug": "taxor", "year": 2025, "pk": d.economy["tariff"]}
    ),
    "economy:register_copy": post_only(PLANNERS, lambda d: {"slug": "taxor", "year": 2025}),
    # --- Mål (2024 with the assessments per augusti 2024; 2025 is fastställd, so 2026, the
    # planning copy, takes new items) ---------------------------------------------------------
    # Staff read; förvaltningsledning and the administratör keep the tree (can_edit_goal_tree);
    # förvaltningsledning assigns writers, starts next year and revises a fastställd tree.
    # Nämndmål 3 (BOU) per augusti 2024 is written by the handläggare, so she and
    # förvaltningsledning may save it and its figures; the uppdrag's assessment has no writer:
    # förvaltningsledning only.
    "goals:index": Row(get=allow(STAFF), post=allow(GOAL_EDITORS), body=lambda d: {"year": 2026}),
    "goals:tree": get_only(STAFF, lambda d: {"year": 2024}),
    "goals:copy": Row(
        get=allow(GOAL_EDITORS),
        post=allow(GOAL_EDITORS),
        kwargs=lambda d: {"year": 2026},
        body=lambda d: {"year": 2027},
    ),
    "goals:plan_next": Row(
        get=allow(LEADERSHIP),
        post=allow(LEADERSHIP),
        kwargs=lambda d: {"year": 2026},
        body=lambda d: {"year": 2027},
    ),
    "goals:plan_changes": get_only(STAFF, lambda d: {"year": 2026}),
    "goals:plan_revise": Row(
        get=allow(LEADERSHIP),
        post=allow(LEADERSHIP),
        kwargs=lambda d: {"year": 2025},
        body=lambda d: {"reason": "Ett nytt uppdrag från kommunfullmäktige"},
    ),
    "goals:goal_create": Row(
        get=allow(GOAL_EDITORS),
        post=allow(GOAL_EDITORS),
        kwargs=lambda d: {"year": 2026},
        body=lambda d: d.goals["new_goal"],
    ),
    "goals:activity_create": Row(
        get=allow(GOAL_EDITORS),
        post=allow(GOAL_EDITORS),
        kwargs=lambda d: {"year": 2026},
        body=lambda d: {"goal": d.goals["goal_2026"], "title": "Ny aktivitet", "sort_order": 9},
    ),
    "goals:assignment_create": Row(
        get=allow(GOAL_EDITORS),
        post=allow(GOAL_EDITORS),
        kwargs=lambda d: {"year": 2026},
        body=lambda d: d.goals["new_assignment"],
    ),
    "goals:plan_table": get_only(STAFF, lambda d: {"year": 2025}),
    "goals:follow_up": get_only(STAFF, lambda d: {"year": 2024, "period": "augusti"}),
    "goals:goal_detail": get_only(STAFF, lambda d: {"pk": d.goals["goal"]}),
    "goals:goal_edit": Row(
        get=allow(GOAL_EDITORS),
        post=allow(GOAL_EDITORS),
        kwargs=lambda d: {"pk": d.goals["goal"]},
        body=lambda d: _form_body(GoalForm.initial_for(Goal.objects.get(pk=d.goals["goal"]))),
    ),
    # A nämndmål of 2026 made for the test: nothing refers to it, so it is deleted.
    "goals:goal_delete": post_only(GOAL_EDITORS, lambda d: {"pk": d.goals["unused_goal"]}),
    "goals:measure_create": Row(
        get=allow(GOAL_EDITORS),
        post=allow(GOAL_EDITORS),
        kwargs=lambda d: {"pk": d.goals["goal"]},
        body=lambda d: {"title": "Nytt mått", "decimals": 0, "source": "manual", "sort_order": 90},
    ),
    "goals:measure_preview": get_only(GOAL_EDITORS, lambda d: {"pk": d.goals["goal"]}),
    "goals:assessment": Row(
        get=allow(STAFF),
        post=allow(GOAL_WRITERS),
        kwargs=lambda d: {"pk": d.goals["goal"], "period": "augusti"},
        body=lambda d: _form_body(
            AssessmentForm.initial_for(GoalAssessment.objects.get(pk=d.goals["assessment"]))
        ),
    ),
    "goals:assessment_assign": post_only(
        LEADERSHIP,
        lambda d: {"pk": d.goals["goal"], "period": "augusti"},
        body=lambda d: {"writer": d.users[H].pk},
    ),
    "goals:measure_edit": Row(
        get=allow(GOAL_EDITORS),
        post=allow(GOAL_EDITORS),
        kwargs=lambda d: {"pk": d.goals["measure"]},
        body=lambda d: _form_body(
            MeasureForm.initial_for(Measure.objects.get(pk=d.goals["measure"]))
        ),
    ),
    # A 2026 mått without figures, so it is deleted.
    "goals:measure_delete": post_only(GOAL_EDITORS, lambda d: {"pk": d.goals["unused_measure"]}),
    "goals:measure_value": post_only(
        GOAL_WRITERS,
        lambda d: {"pk": d.goals["measure"], "period": "augusti"},
        body=lambda d: d.goals["measure_value"],
    ),
    "goals:activity_edit": Row(
        get=allow(GOAL_EDITORS),
        post=allow(GOAL_EDITORS),
        kwargs=lambda d: {"pk": d.goals["activity"]},
        body=lambda d: _form_body(
            ActivityForm.initial_for(Activity.objects.get(pk=d.goals["activity"]))
        ),
    ),
    "goals:activity_delete": post_only(GOAL_EDITORS, lambda d: {"pk": d.goals["activity"]}),
    "goals:assignment_edit": Row(
        get=allow(GOAL_EDITORS),
        post=allow(GOAL_EDITORS),
        kwargs=lambda d: {"pk": d.goals["assignment"]},
        body=lambda d: _form_body(
            AssignmentForm.initial_for(Assignment.objects.get(pk=d.goals["assignment"]))
        ),
    ),
    # The 2026 uppdrag (a copy, not yet assessed), so it is deleted.
    "goals:assignment_delete": post_only(
        GOAL_EDITORS, lambda d: {"pk": d.goals["unused_assignment"]}
    ),
    "goals:assignment_assessment": Row(
        get=allow(STAFF),
        post=allow(LEADERSHIP),
        kwargs=lambda d: {"pk": d.goals["assignment"], "period": "augusti"},
        body=lambda d: _form_body(
            AssignmentAssessmentForm.initial_for(
                AssignmentAssessment.objects.get(pk=d.goals["assignment_assessment"])
            )
        ),
    ),
    "goals:assignment_assessment_assign": post_only(
        LEADERSHIP,
        lambda d: {"pk": d.goals["assignment"], "period": "augusti"},
        body=lambda d: {"writer": d.users[C].pk},
    ),
    # --- Ärenden och tjänsteskrivelser (the STAB draft SN/2026:1) ------------------------------
    "casework:case_list": Row(get=allow(STAFF), post=allow(STAFF)),
    "casework:case_detail": get_only(STAFF, lambda d: {"pk": d.draft_case}),
    # Correcting title and enhet: the ärende's own enhet (STAB), its registrar (the granskare)
    # and förvaltningsledning; the others get the page with the reason (403).
    "casework:case_edit": post_only(
        STAB_EDITORS,
        lambda d: {"pk": d.draft_case},
        body=lambda d: {
            "title": "Rättad rubrik",
            "unit": Case.objects.get(pk=d.draft_case).unit_id,
        },
    ),
    "casework:memo_create": post_only(STAB_EDITORS, lambda d: {"pk": d.draft_case}),
    "casework:memo_list": get_only(STAFF),
    "casework:memo_detail": get_only(STAFF, lambda d: {"pk": d.draft_memo}),
    "casework:memo_save": post_only(STAB_EDITORS, lambda d: {"pk": d.draft_memo}, body=_memo_body),
    "casework:memo_preview": get_only(STAFF, lambda d: {"pk": d.draft_memo}),
    "casework:memo_render": post_only(STAFF, lambda d: {"pk": d.draft_memo}),
    "casework:memo_submit": post_only(STAB_EDITORS, lambda d: {"pk": d.draft_memo}),
    "casework:memo_return": post_only(
        LEADERSHIP, lambda d: {"pk": d.draft_memo}, body=lambda d: {"reason": "Komplettera."}
    ),
    "casework:memo_approve": post_only(LEADERSHIP, lambda d: {"pk": d.draft_memo}),
    "casework:memo_send": post_only(LEADERSHIP, lambda d: {"pk": d.draft_memo}),
    "casework:memo_new_revision": post_only(
        STAB_EDITORS, lambda d: {"pk": d.sent_stab_memo}, body=lambda d: {"reason": "Nya siffror."}
    ),
    "casework:signatory_add": post_only(
        STAB_EDITORS,
        lambda d: {"pk": d.draft_memo},
        body=lambda d: {"name": "Eva Exempel", "title": "Enhetschef"},
    ),
    "casework:signatory_up": post_only(
        STAB_EDITORS, lambda d: {"pk": d.draft_memo, "sid": d.signatory}
    ),
    "casework:signatory_down": post_only(
        STAB_EDITORS, lambda d: {"pk": d.draft_memo, "sid": d.signatory}
    ),
    "casework:signatory_remove": post_only(
        STAB_EDITORS, lambda d: {"pk": d.draft_memo, "sid": d.signatory}
    ),
    "casework:attachment_upload": post_only(
        STAB_EDITORS,
        lambda d: {"pk": d.draft_memo},
        body=lambda d: {
            "title": "Bilaga",
            "file": SimpleUploadedFile("bilaga.pdf", BLANK_PDF, content_type="application/pdf"),
        },
    ),
    "casework:attachment_link": post_only(
        STAB_EDITORS, lambda d: {"pk": d.draft_memo}, body=lambda d: {"source": d.link_source}
    ),
    "casework:attachment_up": post_only(
        STAB_EDITORS, lambda d: {"pk": d.draft_memo, "aid": d.attachment}
    ),
    "casework:attachment_down": post_only(
        STAB_EDITORS, lambda d: {"pk": d.draft_memo, "aid": d.attachment}
    ),
    "casework:attachment_remove": post_only(
        STAB_EDITORS, lambda d: {"pk": d.draft_memo, "aid": d.attachment}
    ),
    "casework:section_add": post_only(
        STAB_EDITORS, lambda d: {"pk": d.draft_memo}, body=lambda d: {"heading": "Bakgrund"}
    ),
    "casework:section_remove": post_only(
        STAB_EDITORS, lambda d: {"pk": d.draft_memo, "sid": d.section}
    ),
    # --- Sammanträden -----------------------------------------------------------------------
    "casework:meeting_list": Row(get=allow(STAFF), post=allow(LEADERSHIP)),
    "casework:meeting_detail": get_only(STAFF, lambda d: {"pk": d.coming_meeting}),
    "casework:item_add": post_only(LEADERSHIP, lambda d: {"pk": d.coming_meeting}),
    "casework:item_up": post_only(
        LEADERSHIP, lambda d: {"pk": d.coming_meeting, "iid": d.coming_item}
    ),
    "casework:item_down": post_only(
        LEADERSHIP, lambda d: {"pk": d.coming_meeting, "iid": d.coming_item}
    ),
    "casework:item_remove": post_only(
        LEADERSHIP, lambda d: {"pk": d.coming_meeting, "iid": d.coming_item}
    ),
    # Protokollsutdrag are recorded by the roles that keep the protokoll (issue item 12).
    "casework:decision_record": post_only(
        LEADERSHIP,
        lambda d: {"pk": d.sent_meeting, "iid": d.sent_item},
    ),
    "casework:meeting_send": post_only(LEADERSHIP, lambda d: {"pk": d.coming_meeting}),
    "casework:meeting_preview": get_only(STAFF, lambda d: {"pk": d.coming_meeting}),
    "casework:meeting_render": (
        post_only(
            STAFF, lambda d: {"pk": d.coming_meeting, "variant": "offentlig"}, variant="offentlig"
        ),
        post_only(STAFF, lambda d: {"pk": d.coming_meeting, "variant": "intern"}, variant="intern"),
    ),
    "printing:render_status": tuple(rows["status"] for rows in DOCUMENTS.values()),
    "printing:render_file": tuple(rows["file"] for rows in DOCUMENTS.values()),
    "printing:render_retry": (
        post_only(STAFF, lambda d: d.document("public-bundle-sent")),
        # The retry form's `next` leads back into the site only (issue item 15).
        post_only(
            STAFF,
            lambda d: d.document("public-bundle-sent"),
            body=lambda d: {"next": "http://evil.example/"},
            variant="next-off-site",
        ),
    ),
    "casework:reading_room": get_only(SIGNED_IN),
    # can_record_minutes covers återrapportering too (solna_sn/permissions.py).
    "casework:report_back": Row(
        get=allow(STAFF),
        post=allow(LEADERSHIP),
        body=lambda d: {"decision": d.decision},
    ),
    # --- Rapporter (the Årsredovisning 2024 in progress; the sent Delårsrapport 2024) -------
    # Förvaltningsledning creates, assigns, reviews and sends; a section is written by its
    # writer (the handläggare's "Händelser av väsentlig betydelse") and förvaltningsledning.
    "reports:report_list": Row(get=allow(STAFF), post=allow(LEADERSHIP)),
    "reports:report_detail": (
        get_only(STAFF, lambda d: {"pk": d.draft_report}),
        # The adopted Verksamhetsplan och budget 2025 (also for the axe crawl).
        get_only(STAFF, lambda d: {"pk": d.plan_report}, variant="plan"),
    ),
    "reports:report_transition": (
        # Fastställ: the plan is adopted already (a message), refused for the other staff.
        post_only(
            LEADERSHIP, lambda d: {"pk": d.plan_report, "action": "faststall"}, variant="plan"
        ),
        post_only(
            REPORT_SECTION_WRITERS,
            lambda d: {"pk": d.draft_report, "action": "granskning"},
            variant="granskning",
        ),
        post_only(
            LEADERSHIP, lambda d: {"pk": d.draft_report, "action": "godkann"}, variant="godkann"
        ),
    ),
    "reports:report_checks": Row(
        get=allow(STAFF), post=allow(LEADERSHIP), kwargs=lambda d: {"pk": d.draft_report}
    ),
    "reports:report_preview": (
        get_only(STAFF, lambda d: {"pk": d.draft_report}),
        get_only(STAFF, lambda d: {"pk": d.plan_report}, variant="plan"),
    ),
    "reports:report_compare": get_only(STAFF, lambda d: {"pk": d.sent_report}),
    "reports:report_word": get_only(STAFF, lambda d: {"pk": d.draft_report}),
    "reports:report_pdf": post_only(STAFF, lambda d: {"pk": d.draft_report}),
    "reports:report_memo": post_only(LEADERSHIP, lambda d: {"pk": d.draft_report}),
    "reports:report_correction": post_only(
        LEADERSHIP, lambda d: {"pk": d.sent_report}, body=lambda d: {"text": "Rättelse."}
    ),
    "reports:section_edit": (
        get_only(STAFF, lambda d: {"pk": d.report_section}),
        get_only(STAFF, lambda d: {"pk": d.plan_section}, variant="plan"),
    ),
    "reports:section_save": post_only({H, G, F}, lambda d: {"pk": d.report_section}),
    "reports:section_presence": post_only({H, G, F}, lambda d: {"pk": d.report_section}),
    "reports:section_mark": post_only({H, G, F}, lambda d: {"pk": d.report_section}),
    "reports:section_assign": post_only(LEADERSHIP, lambda d: {"pk": d.report_section}),
    "reports:section_history": get_only(STAFF, lambda d: {"pk": d.report_section}),
}


def _cases():
    cases = []
    for name in URLS:
        rows = TABLE.get(name)
        if rows is None:
            cases.append(pytest.param(name, None, id=name))
            continue
        for row in rows if isinstance(rows, tuple) else (rows,):
            marks = [pytest.mark.xfail(strict=True, reason=row.xfail)] if row.xfail else []
            label = f"{name}[{row.variant}]" if row.variant else name
            cases.append(pytest.param(name, row, id=label, marks=marks))
    return cases


# --- The demo ----------------------------------------------------------------------------------


@dataclasses.dataclass
class Demo:
    """Primary keys (and codes) of the demo objects the URLs are filled in with."""

    users: dict[str, User]
    documents: dict[str, RenderedDocument]
    worker_check: int
    month_unit: dict
    metric_month: dict
    metric: str
    category: str
    metric_import: int
    plan_2024: int
    draft_plan: int
    draft_risk: int
    stab_occasion: int
    stab_result: int
    action: int
    plan_import: int
    contract: int
    extension: int
    stab_procurement: int
    followup: int
    planned_followup: int
    activity: int
    deficiency: int
    draft_case: int
    draft_memo: int
    sent_stab_memo: int
    signatory: int
    attachment: int
    link_source: int
    section: int
    coming_meeting: int
    coming_item: int
    sent_meeting: int
    sent_item: int
    decision: int
    draft_report: int
    sent_report: int
    report_section: int
    # Ekonomi: the Verksamheter sheet per augusti 2024 and the other objects its URLs name.
    economy: dict = dataclasses.field(default_factory=dict)
    # Mål: the goals, mått, aktiviteter, uppdrag and assessments the goal URLs name.
    goals: dict = dataclasses.field(default_factory=dict)
    # Risks linked to goals: the 2026 draft internkontrollplan, a link and a new one.
    links: dict = dataclasses.field(default_factory=dict)
    # The adopted Verksamhetsplan och budget 2025 and its generated goal section.
    plan_report: int = 0
    plan_section: int = 0

    def document(self, key: str) -> dict:
        """The path parameters of /pdf/…/ for a document, by the pattern's own names."""
        doc = self.documents[key]
        return {param: getattr(doc, param) for param in URLS["printing:render_file"].params}


def _upload(client, url_name, field, data: bytes, filename, **fields) -> int:
    upload = SimpleUploadedFile(filename, data)
    response = client.post(reverse(url_name), {field: upload, **fields})
    assert response.status_code == 302, response.content.decode()[:2000]
    return resolve(urlsplit(response["Location"]).path).kwargs["pk"]


def _render(document: RenderedDocument) -> RenderedDocument:
    printing_services.run(document.pk)
    document.refresh_from_db()
    assert document.status == "done", document.error
    return document


def _economy(client) -> dict:
    """The demo's Verksamheter per augusti 2024 and the controller's upload of an export."""
    sheet = Sheet.objects.get(definition__code="DELAR_VERKSAMHETER", year=2024)
    upload = _upload(
        client,
        "economy:import",
        "file",
        exports.workbook(),
        "export.xlsx",
        mapping=AccountMapping.objects.get().pk,
        year=2024,
        period="augusti",
    )
    return {
        "sheet": sheet.pk,
        "cell": {"pk": sheet.pk, "row_code": "BOU", "column_code": "UTFALL"},
        "import": upload,
        "personnel": PersonnelSheet.objects.get(year=2024).pk,
        "version": BudgetVersion.objects.get(name="Budget 2025").pk,
        "tariff": Tariff.objects.filter(plan_year=2025).order_by("pk").first().pk,
    }


def _form_body(initial: dict) -> dict:
    """A form's initial values as a POST body: empty values left out, dates as ISO text."""
    body = {}
    for key, value in initial.items():
        if value is None or value is False or value in ("", []):
            continue
        body[key] = value.isoformat() if isinstance(value, datetime.date) else value
    return body


def _links(by: User) -> dict:
    """The 2026 draft internkontrollplan: risk 1 linked to nämndmål 1 (to remove) and the body
    that links risk 2 to nämndmål 2."""
    plan = ControlPlan.objects.get(year=2026)
    goals = list(
        Goal.objects.filter(plan__year=2026, level__code="NAMNDMAL").order_by("sort_order", "pk")
    )
    risks = {risk.number: risk for risk in plan.risks.all()}
    link = risk_links.link_add(risk=risks[1], goal=goals[0], by=by)
    return {
        "plan": plan.pk,
        "link": link.pk,
        "add": {"risk": risks[2].pk, "goal": goals[1].pk},
    }


def _goals(by: User) -> dict:
    """Nämndmål 3 (BOU) of 2024, with its first hand-entered mått, an activity and the
    assessment per augusti 2024 (written by the handläggare); the KF uppdrag of 2024 and its
    assessment; 2026's copy (2025 is fastställd) for new items; and what may be deleted: a new
    nämndmål of 2026, a 2026 mått without figures and the 2026 uppdrag (not yet assessed)."""
    nm3 = Goal.objects.get(plan__year=2024, level__code="NAMNDMAL", responsible_unit__code="BOU")
    nm3_2025 = Goal.objects.get(
        plan__year=2026, level__code="NAMNDMAL", responsible_unit__code="BOU"
    )
    measure = nm3.measures.filter(source="manual").order_by("sort_order", "pk").first()
    stored = MeasureValue.objects.get(measure=measure, period="augusti")
    prefix = f"matt-{measure.pk}-"
    parent_2025 = nm3_2025.parent
    unused = goal_services.goal_save(
        plan=nm3_2025.plan,
        data={
            "level": nm3_2025.level,
            "parent": parent_2025,
            "title": "Ett mål som inget hänvisar till",
            "sort_order": 99,
        },
        by=by,
    )
    assignment = Assignment.objects.get(plan__year=2024)
    return {
        "goal": nm3.pk,
        "goal_2026": nm3_2025.pk,
        "measure": measure.pk,
        "activity": nm3.activities.order_by("sort_order", "pk").first().pk,
        "assessment": GoalAssessment.objects.get(goal=nm3, period="augusti").pk,
        "assignment": assignment.pk,
        "assignment_assessment": assignment.assessments.get(period="augusti").pk,
        "unused_goal": unused.pk,
        "unused_measure": Measure.objects.filter(goal__plan__year=2026, values__isnull=True)
        .order_by("pk")
        .first()
        .pk,
        "unused_assignment": Assignment.objects.get(plan__year=2026).pk,
        "new_goal": {
            "level": nm3_2025.level_id,
            "parent": parent_2025.pk,
            "title": "Ett nytt nämndmål",
            "sort_order": 50,
        },
        "new_assignment": {
            "text": "Ett nytt uppdrag från kommunfullmäktige.",
            "decided_by": "Kommunfullmäktige",
            "lead_committee": assignment.lead_committee_id,
            "participating_committees": [nm3.plan.committee_id],
            "sort_order": 2,
        },
        "measure_value": {
            f"{prefix}value": "230",
            f"{prefix}comparison_value": "185",
            f"{prefix}version": stored.version,
        },
    }


def _load() -> Demo:
    call_command("load_demo", stdout=io.StringIO())
    users = {demo.role: User.objects.get(username=demo.username) for demo in solna_demo.DEMO_USERS}
    granskare, controller = users[G], users[C]

    # Reports: the draft of Stabsenheten, the coming meeting and the sent one.
    draft = Memo.objects.get(state=MemoState.DRAFT, unit__code="STAB")
    sent_stab = Memo.objects.filter(state=MemoState.SENT, unit__code="STAB").order_by("pk").first()
    link_sources = list(
        Memo.objects.filter(state=MemoState.SENT, unit__code="STAB")
        .exclude(agenda_items__confidential=True)
        .exclude(pk=sent_stab.pk)
        .order_by("pk")[:2]
    )
    section = report_services.memo_section_add(memo=draft, by=granskare, heading="Bakgrund")
    attachment = report_services.memo_attachment_link(
        memo=draft, source=link_sources[0], by=granskare
    )
    coming = Meeting.objects.get(sent_at__isnull=True)
    sent_meeting = Meeting.objects.get(date="2024-10-07")
    public_item = sent_meeting.items.get(label="6")
    secret_item = sent_meeting.items.get(label="13")

    documents = {
        "public-bundle-sent": RenderedDocument.objects.for_subject(sent_meeting).get(
            kind=RenderKind.BUNDLE_PUBLIC
        ),
        "internal-bundle-sent": RenderedDocument.objects.for_subject(sent_meeting).get(
            kind=RenderKind.BUNDLE_INTERNAL
        ),
        "memo-sent-public": RenderedDocument.objects.for_subject(public_item.memo).get(
            kind=RenderKind.MEMO
        ),
        "memo-sent-secret": RenderedDocument.objects.for_subject(secret_item.memo).get(
            kind=RenderKind.MEMO
        ),
        "memo-draft": _render(report_services.render_request(kind=RenderKind.MEMO, memo=draft)),
        "public-bundle-unsent": _render(
            report_services.render_request(kind=RenderKind.BUNDLE_PUBLIC, meeting=coming)
        ),
    }

    # Intern kontroll: a draft revision of the 2025 plan, Stabsenheten's risk 1.
    plan_2024 = ControlPlan.objects.get(year=2024)
    from controls import services as control_services

    draft_plan = control_services.plan_new_revision(
        plan=ControlPlan.objects.get(year=2025, state=PlanState.ADOPTED),
        by=granskare,
        reason="Ny risk efter granskningen",
    )
    documents["report"] = _render(
        printing_services.request_report(
            subject=plan_2024,
            title="Internkontrollplan 2024",
            html="<h1>Internkontrollplan 2024</h1>",
        )
    )

    # Uploads and a worker check, made the way users make them.
    client = Client()
    client.force_login(controller)
    metrics_xlsx = client.get(reverse("metrics:excel_export"), {"fran": 2024, "till": 2024})
    metric_import = _upload(
        client, "metrics:excel_import", "fil", metrics_xlsx.content, "verksamhetsmatt.xlsx"
    )
    plan_xlsx = client.get(reverse("controls:plan_excel", args=[draft_plan.pk]))
    plan_import = _upload(
        client, "controls:plan_import", "file", plan_xlsx.content, "plan.xlsx", year=2027
    )
    worker_check = solna_services.worker_check_request(by=users[A])

    economy = _economy(client)
    goals = _goals(granskare)
    links = _links(granskare)
    followup = ContractFollowUp.objects.filter(activities__isnull=False).distinct().get()
    contract = Contract.objects.filter(unit__code="VUX", extensions__isnull=False).first()
    annual = Report.objects.get(kind__code="arsredovisning", year=2024)
    plan_report = Report.objects.get(kind__code="verksamhetsplan", year=2025)
    return Demo(
        users=users,
        documents=documents,
        worker_check=worker_check.pk,
        month_unit={"month": "2024-09", "unit_code": "VUX"},
        metric_month={"metric_code": "VUX-LVM", "month": "2024-09"},
        metric="VUX-LVM",
        category="VUXNA",
        metric_import=metric_import,
        plan_2024=plan_2024.pk,
        draft_plan=draft_plan.pk,
        draft_risk=Risk.objects.get(plan=draft_plan, responsible_unit__code="STAB").pk,
        stab_occasion=Occasion.objects.get(
            risk__plan__year=2025,
            risk__plan__state=PlanState.ADOPTED,
            risk__responsible_unit__code="STAB",
            month=4,
        ).pk,
        stab_result=Result.objects.get(
            occasion__risk__plan=plan_2024, occasion__risk__responsible_unit__code="STAB"
        ).pk,
        action=Action.objects.filter(done_on__isnull=True).order_by("pk").first().pk,
        plan_import=plan_import,
        contract=contract.pk,
        extension=contract.extensions.order_by("-end_date").first().pk,
        stab_procurement=Procurement.objects.get(unit__code="STAB").pk,
        followup=followup.pk,
        planned_followup=ContractFollowUp.objects.filter(
            contract__unit__code="VUX", status="planerad", kind="ordinarie"
        )
        .get()
        .pk,
        activity=followup.activities.order_by("pk").first().pk,
        deficiency=followup.deficiencies.order_by("pk").first().pk,
        draft_case=draft.case_id,
        draft_memo=draft.pk,
        sent_stab_memo=sent_stab.pk,
        signatory=draft.signatories.order_by("pk").first().pk,
        attachment=attachment.pk,
        link_source=link_sources[1].pk,
        section=section.pk,
        coming_meeting=coming.pk,
        coming_item=AgendaItem.objects.filter(meeting=coming).first().pk,
        sent_meeting=sent_meeting.pk,
        sent_item=public_item.pk,
        decision=Decision.objects.order_by("pk").first().pk,
        draft_report=annual.pk,
        sent_report=Report.objects.get(kind__code="delarsrapport", year=2024).pk,
        report_section=annual.sections.get(title="Händelser av väsentlig betydelse").pk,
        economy=economy,
        goals=goals,
        links=links,
        plan_report=plan_report.pk,
        plan_section=plan_report.sections.get(generator="goals.namndmal").pk,
    )


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _load()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# --- The tests ---------------------------------------------------------------------------------


def outcome(response) -> tuple[str, str]:
    """The outcome class of a response, and what it was."""
    status = response.status_code
    if 300 <= status < 400:
        location = response["Location"]
        parts = urlsplit(location)
        detail = f"{status} → {location}"
        if parts.scheme or parts.netloc or not location.startswith("/"):
            return f"off-site redirect ({detail})", detail
        if parts.path == reverse("login"):
            return LOGIN, detail
        if parts.path == reverse("admin:login"):
            return ADMIN_LOGIN, detail
        return OK, detail
    classes = {403: DENIED, 404: NOT_FOUND, 405: NOT_ALLOWED}
    if 200 <= status < 300 or status in (400, 409, 422):
        return OK, str(status)
    return classes.get(status, f"status {status}"), str(status)


def request(demo: Demo, user: str, method: str, url: str, body: dict | None, **client_options):
    """One request in a savepoint that is rolled back: nothing it writes stays."""
    try:
        with transaction.atomic():
            client = Client(**client_options)
            if user != ANONYMOUS:
                client.force_login(demo.users[user])
            response = client.get(url) if method == "GET" else client.post(url, body or {})
            result = outcome(response)
            if response.streaming:  # read it to the end: the client then closes the file
                b"".join(response.streaming_content)
            transaction.set_rollback(True)
    except Exception as error:  # a 500: report it in the row, with the others
        return f"error {type(error).__name__}: {error}", ""
    return result


def test_every_url_has_a_row_and_every_row_a_url():
    """A URL without a row fails below too; this one also catches rows left behind."""
    assert sorted(set(URLS) - set(TABLE)) == []
    assert sorted(set(TABLE) - set(URLS)) == []
    assert "admin:index" in URLS


@pytest.mark.parametrize(("name", "row"), _cases())
def test_url_access(db, demo, name, row):
    assert row is not None, (
        f"{name} ({URLS[name].route}) has no row in TABLE: decide who may GET and POST it."
    )
    kwargs = row.kwargs(demo)
    url = reverse(name, kwargs=kwargs)
    assert resolve(url).view_name == name
    mismatches = []
    for method, expected in (("GET", row.get), ("POST", row.post)):
        assert set(expected) == set(USERS)
        for user in USERS:
            body = row.body(demo) if row.body and method == "POST" else None
            got, detail = request(demo, user, method, url, body)
            if got != expected[user]:
                mismatches.append(
                    f"{method:4} {user:16} expected {expected[user]:11} got {got} ({detail})"
                )
    assert not mismatches, f"{url}\n" + "\n".join(mismatches)


CSRF_WRITES = [
    # (user, URL name, kwargs)
    (G, "casework:memo_save", lambda d: {"pk": d.draft_memo}),
    (G, "casework:meeting_send", lambda d: {"pk": d.coming_meeting}),
    (C, "metrics:cell_save", lambda d: d.metric_month),
    (A, "system_status", lambda d: {}),
    (C, "contracts:procurement_list", lambda d: {}),
    (N, "logout", lambda d: {}),
    (N, "my_settings", lambda d: {}),
]


@pytest.mark.parametrize(
    ("user", "name", "kwargs"), CSRF_WRITES, ids=[name for _, name, _ in CSRF_WRITES]
)
def test_a_post_without_the_csrf_token_is_refused(db, demo, user, name, kwargs):
    url = reverse(name, kwargs=kwargs(demo))
    response_class, detail = request(demo, user, "POST", url, {}, enforce_csrf_checks=True)
    assert (response_class, detail) == (DENIED, "403")

    # The same POST with the token from the user's session is let through to the view.
    with transaction.atomic():
        client = Client(enforce_csrf_checks=True)
        client.force_login(demo.users[user])
        client.get(reverse("start"))
        token = client.cookies["csrftoken"].value
        response = client.post(url, {"csrfmiddlewaretoken": token})
        assert response.status_code != 403, response.content.decode()[:500]
        transaction.set_rollback(True)


def test_the_table_names_only_real_roles():
    for rows in TABLE.values():
        for row in rows if isinstance(rows, tuple) else (rows,):
            for expected in (row.get, row.post):
                assert set(expected) == set(USERS)
                assert set(expected.values()) <= {
                    OK,
                    DENIED,
                    LOGIN,
                    ADMIN_LOGIN,
                    NOT_ALLOWED,
                    NOT_FOUND,
                }
