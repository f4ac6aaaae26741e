"""Writing a section: the editor page (anvisning, figure picker, presence), autosave with
optimistic locking, klarmarkera, assigning, and every saved version with a readable diff."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from reports import assembly, richtext, services
from reports.forms import AssignForm, SectionForm
from reports.models import ReportSection, SectionMode
from solna_sn import permissions
from solna_sn.errors import StaleEditError, StateError
from solna_sn.views import permission_required


def _section(pk) -> ReportSection:
    return get_object_or_404(
        ReportSection.objects.select_related(
            "report__kind", "report__committee", "report__case", "writer", "unit", "last_writer"
        ),
        pk=pk,
    )


def _figures(section):
    report = section.report
    if report.is_frozen:
        return []
    figures, _generated = assembly.live_figures(report, report.sections.order_by("order"))
    return [(key, label, text) for key, (label, text) in figures.items()]


def _page(request, section, *, form=None, conflict=None, status=200):
    user = request.user
    can_write = permissions.can_write_report_section(user, section)
    editable = can_write and section.report.is_editable and section.mode == SectionMode.WRITTEN
    if editable and conflict is None:
        services.presence_touch(section=section, by=user)
    if form is None:
        form = SectionForm(initial={"body": section.body, "version": section.version})
    return render(
        request,
        "reports/section_edit.html",
        {
            "section": section,
            "report": section.report,
            "form": form,
            "editable": editable,
            "can_write": can_write,
            "conflict": conflict,
            "figures": _figures(section) if editable else [],
            "present": services.others_present(section, user),
            "can_manage": permissions.can_manage_reports(user),
            "assign_form": AssignForm(
                initial={"writer": section.writer_id, "unit": section.unit_id},
                committee=section.report.committee,
            ),
            "preview": assembly.assemble(section.report, [section]).sections[0].html
            if section.mode != SectionMode.HEADING
            else "",
        },
        status=status,
    )


@require_GET
@permission_required(permissions.can_view_reports)
def section_edit(request, pk):
    return _page(request, _section(pk))


def _conflict(error: StaleEditError, mine: str) -> dict:
    stored = error.current.get("body", "")
    mine_clean = richtext.sanitize(mine)
    return {
        "stored": stored,
        "mine": mine_clean,
        "mine_raw": mine,
        "version": error.current.get("version"),
        "by": error.current.get("by", ""),
        "diff": richtext.diff_html(stored, mine_clean),
    }


@require_POST
@permission_required(permissions.can_view_reports)
def section_save(request, pk):
    """Autosave (htmx, answers with the status line) and the plain Spara button. A save over
    a newer version is refused with 409 and both texts."""
    section = _section(pk)
    if not permissions.can_write_report_section(request.user, section):
        raise PermissionDenied
    form = SectionForm(request.POST)
    conflict = None
    saved = False
    error_text = ""
    if form.is_valid():
        version = form.cleaned_data["version"]
        overwrite = request.POST.get("overwrite_version", "")
        if overwrite.isascii() and overwrite.isdigit():
            version = int(overwrite)  # the writer chose to replace the newer text with theirs
        try:
            section = services.section_save(
                section=section, version=version, body=form.cleaned_data["body"], by=request.user
            )
            saved = True
        except StaleEditError as error:
            conflict = _conflict(error, form.cleaned_data["body"])
        except StateError as error:
            error_text = str(error)
    status = 409 if conflict else (200 if saved else 400)
    if request.htmx:
        return render(
            request,
            "reports/section_edit.html#save-status",
            {
                "section": section,
                "form": form,
                "saved": saved,
                "conflict": conflict,
                "error_text": error_text,
                "saved_at": timezone.localtime(),
            },
            # htmx swaps only 2xx answers: the refusal is in the status line it shows.
            status=200,
        )
    if saved:
        messages.success(request, "Avsnittet är sparat.")
        return redirect("reports:section_edit", pk=section.pk)
    if error_text:
        messages.error(request, error_text)
    return _page(request, _section(pk), form=form, conflict=conflict, status=status)


@require_POST
@permission_required(permissions.can_view_reports)
def section_presence(request, pk):
    section = _section(pk)
    if not permissions.can_write_report_section(request.user, section):
        raise PermissionDenied
    services.presence_touch(section=section, by=request.user)
    return render(
        request,
        "reports/section_edit.html#presence",
        {"section": section, "present": services.others_present(section, request.user)},
    )


@require_POST
@permission_required(permissions.can_view_reports)
def section_mark(request, pk):
    section = _section(pk)
    done = request.POST.get("done", "1") == "1"
    try:
        services.section_mark(section=section, done=done, by=request.user)
    except (StateError, ValidationError) as error:
        text = str(error) if isinstance(error, StateError) else " ".join(error.messages)
        messages.error(request, text)
    else:
        messages.success(
            request, "Avsnittet är klarmarkerat." if done else "Avsnittet är utkast igen."
        )
    return redirect("reports:section_edit", pk=section.pk)


@require_POST
@permission_required(permissions.can_view_reports)
def section_assign(request, pk):
    section = _section(pk)
    form = AssignForm(request.POST, committee=section.report.committee)
    if not permissions.can_manage_reports(request.user):
        raise PermissionDenied
    if form.is_valid():
        try:
            services.section_assign(section=section, by=request.user, **form.cleaned_data)
        except (StateError, ValidationError) as error:
            text = str(error) if isinstance(error, StateError) else " ".join(error.messages)
            messages.error(request, text)
        else:
            messages.success(request, "Skribenten är ändrad.")
    else:
        messages.error(request, "Välj en skribent eller en enhet i listan.")
    return redirect(section)


@require_GET
@permission_required(permissions.can_view_reports)
def section_history(request, pk):
    section = _section(pk)
    versions = list(section.versions.select_related("saved_by").order_by("-version"))
    rows = []
    for index, version in enumerate(versions):
        older = versions[index + 1].body if index + 1 < len(versions) else ""
        rows.append({"version": version, "diff": richtext.diff_html(older, version.body)})
    return render(
        request,
        "reports/section_history.html",
        {"section": section, "report": section.report, "rows": rows},
    )
