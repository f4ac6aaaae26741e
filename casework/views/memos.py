"""Ärenden and tjänsteskrivelser: register, write (autosave with optimistic locking),
preview, attachments, signatories, and the Utkast → Skickad workflow."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework import documents, services
from casework.forms import (
    AttachmentLinkForm,
    AttachmentUploadForm,
    CaseEditForm,
    CaseRegisterForm,
    MemoFilterForm,
    MemoForm,
    ReasonForm,
    SignatoryForm,
    own_unit,
)
from casework.meeting_papers import handlingar_for
from casework.models import (
    Case,
    Memo,
    MemoAttachment,
    MemoSection,
    MemoSignatory,
    MemoState,
    RenderKind,
)
from printing.models import RenderedDocument
from printing.views import status_response
from solna_sn import ordering, permissions
from solna_sn.models import Unit
from solna_sn.views import current_committee, permission_required


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_register_case)
def case_list(request):
    committee = current_committee()
    units = Unit.objects.filter(administration__committee=committee)
    form = CaseRegisterForm(
        request.POST or None,
        units=units,
        initial={"unit": own_unit(request.user, units)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_register(
                committee=committee,
                title=form.cleaned_data["title"],
                unit=form.cleaned_data["unit"],
                dnr=form.cleaned_data["dnr"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Ärendet är registrerat med diarienummer {case.dnr}.")
            return redirect("casework:case_detail", pk=case.pk)
    query = (request.GET.get("q") or "").strip()
    cases = Case.objects.filter(committee=committee).select_related("unit")
    if query:
        cases = cases.filter(title__icontains=query) | cases.filter(dnr__icontains=query)
    return render(
        request,
        "casework/case_list.html",
        {"form": form, "cases": cases[:200], "query": query, "committee": committee},
        status=400 if request.method == "POST" else 200,
    )


def _case_page(request, case, *, edit_form=None, status=200):
    memos = case.memos.select_related("unit").order_by("-revision")
    items = case.agenda_items.select_related("meeting", "decision").order_by("-meeting__date")
    can_write = (
        permissions.can_write_memo(request.user, case.unit)
        if case.unit
        else (
            (permissions.is_staff_member(request.user) and request.user.units.exists())
            or permissions.can_review_memo(request.user)
        )
    )
    refusal = services.case_edit_refusal(case=case, by=request.user)
    if edit_form is None and not refusal:
        edit_form = CaseEditForm(
            initial={"title": case.title, "unit": case.unit_id},
            units=Unit.objects.filter(administration__committee=case.committee),
        )
    return render(
        request,
        "casework/case_detail.html",
        {
            "case": case,
            "memos": memos,
            "items": items,
            "can_write": can_write,
            "edit_form": None if refusal else edit_form,
            "edit_refusal": refusal,
        },
        status=status,
    )


@require_GET
@permission_required(permissions.can_view_drafts)
def case_detail(request, pk):
    case = get_object_or_404(Case.objects.select_related("committee", "unit"), pk=pk)
    return _case_page(request, case)


@require_POST
@permission_required(permissions.can_view_drafts)
def case_edit(request, pk):
    """Correct the ärende's title and enhet; refused (with the reason) once a memo is sent or
    when the ärende is another enhet's."""
    case = get_object_or_404(Case.objects.select_related("committee", "unit"), pk=pk)
    if locked := services.case_locked_reason(case):
        messages.error(request, locked)
        return redirect("casework:case_detail", pk=case.pk)
    if refusal := services.case_edit_refusal(case=case, by=request.user):
        messages.error(request, refusal)
        return _case_page(request, case, status=403)
    form = CaseEditForm(
        request.POST, units=Unit.objects.filter(administration__committee=case.committee)
    )
    if form.is_valid():
        try:
            services.case_correct(
                case=case,
                title=form.cleaned_data["title"],
                unit=form.cleaned_data["unit"],
                by=request.user,
            )
        except services.StateError as error:
            messages.error(request, str(error))
            return redirect("casework:case_detail", pk=case.pk)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Ärendet är ändrat.")
            return redirect("casework:case_detail", pk=case.pk)
    case.refresh_from_db()
    return _case_page(request, case, edit_form=form, status=400)


@require_POST
@permission_required(permissions.can_view_drafts)
def memo_create(request, pk):
    case = get_object_or_404(Case, pk=pk)
    try:
        memo = services.memo_create(case=case, by=request.user)
    except services.StateError as error:
        messages.error(request, str(error))
        return redirect("casework:case_detail", pk=case.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("casework:case_detail", pk=case.pk)
    messages.success(request, "Tjänsteskrivelsen är skapad. Texten sparas automatiskt.")
    return redirect("casework:memo_detail", pk=memo.pk)


@require_GET
@permission_required(permissions.can_view_drafts)
def memo_list(request):
    """Latest revisions, searched (rubrik, dnr), filtered (läge, enhet) and ordered by date or
    dnr; the filter lives in the query string, so a list can be bookmarked and shared."""
    units = Unit.objects.filter(administration__committee=current_committee()).order_by("name")
    form = MemoFilterForm(request.GET or None, units=units)
    memos = Memo.objects.select_related("case", "unit").filter(next_revision__isnull=True)
    memos = form.filter(memos)  # an unbound or invalid form: the whole list, newest first
    return render(
        request,
        "casework/memo_list.html",
        {"form": form, "memos": memos[:300], "filtered": form.is_bound and form.is_valid()},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def _memo(pk) -> Memo:
    return get_object_or_404(
        Memo.objects.select_related(
            "case__committee", "unit", "administration", "previous"
        ).prefetch_related(
            "signatories",
            "sections",
            Prefetch("attachments", queryset=MemoAttachment.objects.select_related("source_memo")),
        ),
        pk=pk,
    )


def _memo_page(request, memo, *, form=None, status=200, **extra):
    editable = memo.state == MemoState.DRAFT and permissions.can_write_memo(request.user, memo.unit)
    if form is None:
        form = MemoForm(initial=MemoForm.initial_for(memo), memo=memo)
    renders = {  # the latest wins
        r.kind: r for r in RenderedDocument.objects.for_subject(memo).order_by("requested_at")
    }
    context = {
        "memo": memo,
        "form": form,
        "editable": editable,
        "read_only_reason": services.memo_read_only_reason(memo, request.user),
        "signatory_form": SignatoryForm(),
        "upload_form": AttachmentUploadForm(),
        "link_form": AttachmentLinkForm(memo=memo),
        "reason_form": ReasonForm(),
        "problems": services.memo_problems(memo) if memo.state == MemoState.DRAFT else {},
        "can_write": permissions.can_write_memo(request.user, memo.unit),
        "can_review": permissions.can_review_memo(request.user),
        "approval_blocker": services.memo_may_approve(memo, request.user)[1],
        "can_send": permissions.can_send_to_committee(request.user),
        "render": renders.get(RenderKind.MEMO),
        "revisions": Memo.objects.filter(case=memo.case).order_by("-revision"),
        "max_upload_mb": settings.MEMO_ATTACHMENT_MAX_BYTES // (1024 * 1024),
        # Documents other apps list in the Handlingar (the verksamhetsplan the memo presents).
        "listed_handlingar": handlingar_for([memo.pk]).get(memo.pk, []),
        **extra,
    }
    return render(request, "casework/memo_detail.html", context, status=status)


@require_GET
@permission_required(permissions.can_view_drafts)
def memo_detail(request, pk):
    return _memo_page(request, _memo(pk))


def _save_data(form: MemoForm) -> dict:
    data = {
        name: form.cleaned_data.get(name)
        for name in ("title", "date", "decision_proposal", "summary", "dispatch_to")
    }
    data["dispatch_bulleted"] = form.cleaned_data.get("dispatch_bulleted", False)
    for _section, heading, body in form.section_fields:
        data[heading] = form.cleaned_data.get(heading, "")
        data[body] = form.cleaned_data.get(body, "")
    return data


@require_POST
@permission_required(permissions.can_view_drafts)
def memo_save(request, pk):
    """Autosave (htmx, answers with the status line) and the plain Spara button."""
    memo = _memo(pk)
    form = MemoForm(request.POST, memo=memo)
    partial = "casework/memo_detail.html#save-status"
    conflict = None
    saved = False
    if form.is_valid():
        version = form.cleaned_data["version"]
        overwrite = request.POST.get("overwrite_version", "")
        if overwrite.isascii() and overwrite.isdigit():
            version = int(overwrite)  # the user chose to replace the newer text with theirs
        try:
            memo = services.memo_save(
                memo=memo, version=version, data=_save_data(form), by=request.user
            )
            saved = True
        except services.StaleEditError as error:
            fresh = Memo.objects.get(pk=memo.pk)
            conflict = _conflict_rows(form, error.current, fresh)
        except services.StateError as error:
            form.add_error(None, str(error))
            if not request.htmx:
                messages.error(request, str(error))
        except ValidationError as error:
            form.add_service_errors(error)
    if request.htmx:
        response = render(
            request,
            partial,
            {
                "memo": memo,
                "form": form,
                "saved": saved,
                "conflict": conflict,
                "saved_at": timezone.localtime(),
            },
        )
        return response
    if saved:
        messages.success(request, "Tjänsteskrivelsen är sparad.")
        return redirect("casework:memo_detail", pk=memo.pk)
    return _memo_page(
        request, _memo(pk), form=form, status=409 if conflict else 400, conflict=conflict
    )


def _conflict_rows(form, current: dict, fresh: Memo) -> dict:
    labels = {name: field.label for name, field in form.fields.items()}
    rows = []
    for name, stored in current.items():
        if name in ("dispatch_bulleted",):
            continue
        mine = form.cleaned_data.get(name)
        mine_text = mine.isoformat() if hasattr(mine, "isoformat") else (mine or "")
        if (stored or "") != mine_text:
            rows.append({"label": labels.get(name, name), "stored": stored, "mine": mine_text})
    return {"rows": rows, "version": fresh.version, "updated_at": fresh.updated_at}


@require_GET
@permission_required(permissions.can_view_drafts)
def memo_preview(request, pk):
    """Exactly the HTML the PDF is made from, with the stylesheet from STATIC_URL."""
    memo = _memo(pk)
    html = documents.memo_html(
        memo,
        asset_base=static(""),
        preview_back_url=reverse("casework:memo_detail", args=[memo.pk]),
    )
    return HttpResponse(html)


def _memo_action(request, pk, action):
    memo = _memo(pk)
    try:
        action(memo)
    except services.StateError as error:
        messages.error(request, str(error))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("casework:memo_detail", pk=memo.pk)


def _memo_step(request, pk, run, success: str):
    """One step of the memo's way (granskning, återför, godkänn, skicka): errors become
    messages, and the answer is the memo page."""

    def step(memo):
        run(memo)
        messages.success(request, success)

    return _memo_action(request, pk, step)


@require_POST
@permission_required(permissions.can_view_drafts)
def memo_submit(request, pk):
    return _memo_step(
        request,
        pk,
        lambda memo: services.memo_submit(memo=memo, by=request.user),
        "Tjänsteskrivelsen är skickad till granskning.",
    )


@require_POST
@permission_required(permissions.can_view_drafts)
def memo_return(request, pk):
    reason = request.POST.get("reason", "")
    return _memo_step(
        request,
        pk,
        lambda memo: services.memo_return(memo=memo, by=request.user, comment=reason),
        "Tjänsteskrivelsen är återförd till utkast.",
    )


@require_POST
@permission_required(permissions.can_view_drafts)
def memo_approve(request, pk):
    return _memo_step(
        request,
        pk,
        lambda memo: services.memo_approve(memo=memo, by=request.user),
        "Tjänsteskrivelsen är godkänd.",
    )


@require_POST
@permission_required(permissions.can_view_drafts)
def memo_send(request, pk):
    return _memo_step(
        request,
        pk,
        lambda memo: services.memo_send(memo=memo, by=request.user),
        "Tjänsteskrivelsen är skickad till nämnden och låst. PDF:en framställs.",
    )


@require_POST
@permission_required(permissions.can_view_drafts)
def memo_new_revision(request, pk):
    memo = _memo(pk)
    reason = request.POST.get("reason", "")
    try:
        new = services.memo_new_revision(memo=memo, by=request.user, reason=reason)
    except (services.StateError, ValidationError) as error:
        text = str(error) if isinstance(error, services.StateError) else " ".join(error.messages)
        messages.error(request, text)
        return redirect("casework:memo_detail", pk=memo.pk)
    messages.success(
        request,
        f"Revision {new.revision} är skapad som utkast. Den skickade versionen finns kvar.",
    )
    return redirect("casework:memo_detail", pk=new.pk)


def _form_post(request, memo, form, *, run, success: str, anchor: str, page_key: str):
    """A memo page form (signatory, upload, link): the service step when the form is valid,
    then back to the memo at `anchor`; otherwise the page again with the form's errors (400)."""
    if form.is_valid():
        try:
            run(form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        except services.StateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, success)
            return redirect(reverse("casework:memo_detail", args=[memo.pk]) + anchor)
    return _memo_page(request, memo, status=400, **{page_key: form})


def _row_step(request, pk, model, row_id, anchor: str, run):
    """One step on a row of the memo (a signatory, a handling), then back to its list."""
    row = get_object_or_404(model, pk=row_id, memo_id=pk)
    _memo_action(request, pk, lambda memo: run(row))
    return redirect(reverse("casework:memo_detail", args=[pk]) + anchor)


@require_POST
@permission_required(permissions.can_view_drafts)
def signatory_add(request, pk):
    memo = _memo(pk)
    return _form_post(
        request,
        memo,
        SignatoryForm(request.POST),
        run=lambda data: services.memo_signatory_add(
            memo=memo, by=request.user, user=data["user"], name=data["name"], title=data["title"]
        ),
        success="Undertecknaren är tillagd.",
        anchor="#undertecknare",
        page_key="signatory_form",
    )


def _signatory_move(request, pk, sid, direction: int):
    return _row_step(
        request,
        pk,
        MemoSignatory,
        sid,
        "#undertecknare",
        lambda signatory: services.memo_signatory_move(
            signatory=signatory, direction=direction, by=request.user
        ),
    )


@require_POST
@permission_required(permissions.can_view_drafts)
def signatory_up(request, pk, sid):
    return _signatory_move(request, pk, sid, ordering.UP)


@require_POST
@permission_required(permissions.can_view_drafts)
def signatory_down(request, pk, sid):
    return _signatory_move(request, pk, sid, ordering.DOWN)


@require_POST
@permission_required(permissions.can_view_drafts)
def signatory_remove(request, pk, sid):
    def remove(signatory):
        services.memo_signatory_remove(signatory=signatory, by=request.user)
        messages.success(request, f"{signatory.name} är borttagen som undertecknare.")

    return _row_step(request, pk, MemoSignatory, sid, "#undertecknare", remove)


@require_POST
@permission_required(permissions.can_view_drafts)
def attachment_upload(request, pk):
    memo = _memo(pk)
    return _form_post(
        request,
        memo,
        AttachmentUploadForm(request.POST, request.FILES),
        run=lambda data: services.memo_attachment_upload(
            memo=memo, title=data["title"], upload=data["file"], by=request.user
        ),
        success="Handlingen är uppladdad.",
        anchor="#handlingar",
        page_key="upload_form",
    )


@require_POST
@permission_required(permissions.can_view_drafts)
def attachment_link(request, pk):
    memo = _memo(pk)
    return _form_post(
        request,
        memo,
        AttachmentLinkForm(request.POST, memo=memo),
        run=lambda data: services.memo_attachment_link(
            memo=memo, source=data["source"], by=request.user
        ),
        success="Tjänsteskrivelsen är bifogad.",
        anchor="#handlingar",
        page_key="link_form",
    )


def _attachment_move(request, pk, aid, direction: int):
    return _row_step(
        request,
        pk,
        MemoAttachment,
        aid,
        "#handlingar",
        lambda attachment: services.memo_attachment_move(
            attachment=attachment, direction=direction, by=request.user
        ),
    )


@require_POST
@permission_required(permissions.can_view_drafts)
def attachment_up(request, pk, aid):
    return _attachment_move(request, pk, aid, ordering.UP)


@require_POST
@permission_required(permissions.can_view_drafts)
def attachment_down(request, pk, aid):
    return _attachment_move(request, pk, aid, ordering.DOWN)


@require_POST
@permission_required(permissions.can_view_drafts)
def attachment_remove(request, pk, aid):
    def remove(attachment):
        services.memo_attachment_remove(attachment=attachment, by=request.user)
        messages.success(request, f"”{attachment.title}” är borttagen från handlingarna.")

    return _row_step(request, pk, MemoAttachment, aid, "#handlingar", remove)


@require_POST
@permission_required(permissions.can_view_drafts)
def section_add(request, pk):
    def step(memo):
        services.memo_section_add(
            memo=memo, by=request.user, heading=request.POST.get("heading", "")
        )
        messages.success(request, "Ett nytt avsnitt är tillagt efter underskrifterna.")

    _memo_action(request, pk, step)
    return redirect(reverse("casework:memo_detail", args=[pk]) + "#avsnitt")


@require_POST
@permission_required(permissions.can_view_drafts)
def section_remove(request, pk, sid):
    section = get_object_or_404(MemoSection, pk=sid, memo_id=pk)

    def step(memo):
        services.memo_section_remove(section=section, by=request.user)
        messages.success(request, f"Avsnittet ”{section.heading or 'utan rubrik'}” är borttaget.")

    _memo_action(request, pk, step)
    return redirect(reverse("casework:memo_detail", args=[pk]) + "#avsnitt")


@require_POST
@permission_required(permissions.can_view_drafts)
def memo_render(request, pk):
    memo = _memo(pk)
    document = services.render_request(kind=RenderKind.MEMO, memo=memo)
    return status_response(request, document, reverse("casework:memo_detail", args=[pk]))
