"""Reports: list and create, the report page (progress, who has what left), the workflow,
the consistency check and sending, preview and PDF, the tjänsteskrivelse, corrections."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from printing import services as printing_services
from printing.views import status_response
from reports import assembly, printed, services, word
from reports.forms import CompareForm, CorrectionForm, ReasonForm, ReportCreateForm
from reports.models import Report, ReportState, SectionMode
from solna_sn import permissions
from solna_sn.errors import StateError
from solna_sn.views import current_committee, permission_required


def _report(pk) -> Report:
    return get_object_or_404(
        Report.objects.select_related(
            "kind", "committee", "case", "meeting", "memo", "sent_by", "approved_by"
        ),
        pk=pk,
    )


def _sections(report):
    return report.sections.select_related("writer", "unit", "last_writer").order_by("order")


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_view_reports)
def report_list(request):
    committee = current_committee()
    form = ReportCreateForm(request.POST or None, committee=committee)
    status = 200
    if request.method == "POST":
        if not permissions.can_manage_reports(request.user):
            raise PermissionDenied
        if form.is_valid():
            try:
                report = services.report_create(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, f"{report.title} är skapad.")
                return redirect("reports:report_detail", pk=report.pk)
        status = 400
    reports = Report.objects.filter(committee=committee).select_related("kind", "case")
    return render(
        request,
        "reports/report_list.html",
        {
            "reports": reports,
            "form": form,
            "can_manage": permissions.can_manage_reports(request.user),
        },
        status=status,
    )


def progress(sections) -> dict:
    written = [s for s in sections if s.mode == SectionMode.WRITTEN]
    done = [s for s in written if s.is_done]
    left: dict[str, list] = {}
    for section in written:
        if not section.is_done:
            who = (
                section.writer.get_full_name() or section.writer.username
                if section.writer
                else (str(section.unit) if section.unit else "Ingen skribent")
            )
            left.setdefault(who, []).append(section)
    return {"done": len(done), "total": len(written), "left": sorted(left.items())}


@require_GET
@permission_required(permissions.can_view_reports)
def report_detail(request, pk):
    report = _report(pk)
    sections = list(_sections(report))
    mine_only = request.GET.get("mina") == "1"
    user = request.user
    shown = [
        s
        for s in sections
        if not mine_only
        or s.writer_id == user.pk
        or (s.writer_id is None and s.unit_id in {u.pk for u in user.units.all()})
    ]
    blocker = (
        services.approval_blocker(report, user)
        if report.state == ReportState.REVIEW and permissions.can_manage_reports(user)
        else ""
    )
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "sections": shown,
            "mine_only": mine_only,
            "progress": progress(sections),
            "states": ReportState.choices,
            "can_manage": permissions.can_manage_reports(user),
            "approval_blocker": blocker,
            "reason_form": ReasonForm(),
            "correction_form": CorrectionForm(),
            "corrections": report.corrections.select_related("created_by"),
            "render": printing_services.latest(report, kind=services.RENDER_KIND),
            "decision": services.plan_decision(report) if report.kind.plan else None,
        },
    )


@require_POST
@permission_required(permissions.can_view_reports)
def report_transition(request, pk, action):
    report = _report(pk)
    user = request.user
    steps = {
        "granskning": (
            lambda: services.report_submit(report=report, by=user),
            "Rapporten är skickad till granskning.",
        ),
        "aterfor": (
            lambda: services.report_return(
                report=report, by=user, comment=request.POST.get("reason", "")
            ),
            "Rapporten är återförd till utkast.",
        ),
        "godkann": (
            lambda: services.report_approve(report=report, by=user),
            "Rapporten är godkänd.",
        ),
        "behandlad": (
            lambda: services.report_mark_handled(report=report, by=user),
            "Rapporten är markerad som behandlad av nämnden.",
        ),
        "faststall": (
            lambda: services.report_adopt(report=report, by=user),
            "Verksamhetsplanen är fastställd: målträdet, budgeten och internkontrollplanen "
            "är fastställda enligt nämndens beslut.",
        ),
    }
    if action not in steps:
        raise PermissionDenied
    run, success = steps[action]
    try:
        run()
    except StateError as error:
        messages.error(request, str(error))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("reports:report_detail", pk=report.pk)


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_view_reports)
def report_checks(request, pk):
    """The consistency check; its POST sends the report to the nämnd."""
    report = _report(pk)
    user = request.user
    if request.method == "POST":
        try:
            services.report_send(
                report=report, by=user, confirm_warnings=request.POST.get("confirm") == "1"
            )
        except StateError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Rapporten är skickad till nämnden och låst.")
            return redirect("reports:report_detail", pk=report.pk)
    found = [] if report.is_frozen else services.report_warnings(report)
    return render(
        request,
        "reports/report_checks.html",
        {
            "report": report,
            "warnings": found,
            "can_send": permissions.can_manage_reports(user)
            and report.state == ReportState.APPROVED,
            "can_confirm": permissions.can_confirm_report_warnings(user),
        },
        status=400 if request.method == "POST" else 200,
    )


def _html(report, **options) -> str:
    assembled = assembly.assemble(report, _sections(report))
    return printed.report_html(assembled, **options)


@require_GET
@permission_required(permissions.can_view_reports)
def report_preview(request, pk):
    report = _report(pk)
    return HttpResponse(
        _html(
            report,
            asset_base=static(""),
            preview_back_url=reverse("reports:report_detail", args=[report.pk]),
        )
    )


@require_GET
@permission_required(permissions.can_view_reports)
def report_word(request, pk):
    """The report as a Word file, from the same assembly as the preview and the PDF."""
    report = _report(pk)
    assembled = assembly.assemble(report, _sections(report))
    content = word.report_docx(assembled, cover_line=printed.cover_line(report))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{report.title}.docx"
    )
    return response


@require_POST
@permission_required(permissions.can_view_reports)
def report_pdf(request, pk):
    report = _report(pk)
    document = services.pdf_request(report=report, html=_html(report), by=request.user)
    return status_response(request, document, reverse("reports:report_detail", args=[report.pk]))


@require_POST
@permission_required(permissions.can_view_reports)
def report_memo(request, pk):
    report = _report(pk)
    existed = report.case.memos.exists()
    try:
        memo = services.report_memo_create(report=report, by=request.user)
    except StateError as error:
        messages.error(request, str(error))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if existed:
            messages.success(request, f"Rapporten är kopplad till tjänsteskrivelsen ”{memo}”.")
            return redirect("reports:report_detail", pk=report.pk)
        placed = " och placerad på sammanträdet" if report.meeting else ""
        messages.success(request, f"Tjänsteskrivelsen är skapad{placed}.")
        return redirect("casework:memo_detail", pk=memo.pk)
    return redirect("reports:report_detail", pk=report.pk)


@require_POST
@permission_required(permissions.can_view_reports)
def report_correction(request, pk):
    report = _report(pk)
    if not permissions.can_manage_reports(request.user):
        raise PermissionDenied
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            services.report_correction_add(
                report=report, text=form.cleaned_data["text"], by=request.user
            )
        except StateError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Rättelsen är registrerad och visas på rapporten.")
    else:
        messages.error(request, "Beskriv rättelsen.")
    return redirect("reports:report_detail", pk=report.pk)


def _default_pair(versions, frozen: bool) -> tuple[str, str]:
    """Sent: the version sent to the nämnd against the first one sent for review.
    Otherwise the report as it is now against its latest version."""
    if not versions:
        return "", ""
    if frozen:
        return str(versions[0].number), str(versions[-1].number)
    return str(versions[-1].number), services.CURRENT


@require_GET
@permission_required(permissions.can_view_reports)
def report_compare(request, pk):
    """The redline between two versions of the report (or a version and the report now)."""
    report = _report(pk)
    versions = list(report.versions.select_related("taken_by").order_by("number"))
    choices = [(str(v.number), services.version_label(v)) for v in versions]
    if not report.is_frozen:
        choices.append((services.CURRENT, "Rapporten som den ser ut nu"))
    fran, till = _default_pair(versions, report.is_frozen)
    data = request.GET if {"fran", "till"} & request.GET.keys() else {"fran": fran, "till": till}
    form = CompareForm(data, choices=choices)
    result = None
    status = 200
    if len(choices) < 2:
        pass
    elif form.is_valid():
        by_number = {str(v.number): v for v in versions}

        def pick(value):
            return services.CURRENT if value == services.CURRENT else by_number[value]

        result = services.compare(
            report, pick(form.cleaned_data["fran"]), pick(form.cleaned_data["till"])
        )
    else:
        status = 400
    return render(
        request,
        "reports/report_compare.html",
        {"report": report, "form": form, "result": result, "enough": len(choices) >= 2},
        status=status,
    )
