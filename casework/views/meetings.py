"""Sammanträden (ärendelista, sending, protokollsutdrag), the reading room, återrapportering
and the rendered PDFs (status polled with htmx, download, retry)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework import documents, meeting_papers, services
from casework.forms import AgendaItemForm, DecisionForm, MeetingForm, ReportBackForm
from casework.models import (
    AgendaItem,
    Decision,
    Meeting,
    RenderKind,
)
from printing.models import RenderedDocument, RenderStatus
from printing.views import status_response
from solna_sn import ordering, permissions
from solna_sn.views import current_committee, permission_required


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_view_drafts)
def meeting_list(request):
    committee = current_committee()
    form = MeetingForm(request.POST or None)
    if request.method == "POST":
        if not permissions.can_manage_meetings(request.user):
            raise PermissionDenied
        if form.is_valid():
            try:
                meeting = services.meeting_create(
                    committee=committee, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(
                    request, "Sammanträdet är skapat. Lägg till ärenden på ärendelistan."
                )
                return redirect("casework:meeting_detail", pk=meeting.pk)
    meetings = Meeting.objects.filter(committee=committee).prefetch_related("items")
    today = timezone.localdate()
    return render(
        request,
        "casework/meeting_list.html",
        {
            "form": form,
            "upcoming": sorted((m for m in meetings if m.date >= today), key=lambda m: m.date),
            "past": [m for m in meetings if m.date < today],
            "can_manage": permissions.can_manage_meetings(request.user),
        },
        status=400 if request.method == "POST" else 200,
    )


def _meeting(pk) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)


def _meeting_page(request, meeting, *, status=200, **extra):
    items = list(
        meeting.items.select_related("case", "memo", "decision").prefetch_related(
            Prefetch("case__memos")
        )
    )
    for item in items:
        memos = sorted(item.case.memos.all(), key=lambda m: -m.revision) if item.case else []
        item.latest_memo = memos[0] if memos else None
    bound_forms = extra.pop("decision_forms", {})
    for item in items:
        decision = getattr(item, "decision", None)
        item.decision_form = bound_forms.get(item.pk) or DecisionForm(
            prefix=f"beslut-{item.pk}",
            initial={
                "paragraph": decision.paragraph,
                "text": decision.text,
                "report_back_required": decision.report_back_required,
                "report_back_due": decision.report_back_due,
            }
            if decision
            else {"text": item.memo.decision_proposal if item.memo else ""},
        )
    renders = {
        r.kind: r for r in RenderedDocument.objects.for_subject(meeting).order_by("requested_at")
    }
    today = timezone.localdate()
    context = {
        "meeting": meeting,
        "items": items,
        "item_form": AgendaItemForm(committee=meeting.committee),
        "problems": services.meeting_problems(meeting) if not meeting.is_sent else [],
        "can_manage": permissions.can_manage_meetings(request.user),
        "can_send": permissions.can_send_to_committee(request.user),
        "can_record": permissions.can_record_minutes(request.user)
        and meeting.is_sent
        and meeting.date <= today,
        "public_render": renders.get(RenderKind.BUNDLE_PUBLIC),
        "internal_render": renders.get(RenderKind.BUNDLE_INTERNAL),
        **extra,
    }
    return render(request, "casework/meeting_detail.html", context, status=status)


@require_GET
@permission_required(permissions.can_view_drafts)
def meeting_detail(request, pk):
    return _meeting_page(request, _meeting(pk))


@require_POST
@permission_required(permissions.can_manage_meetings)
def item_add(request, pk):
    meeting = _meeting(pk)
    form = AgendaItemForm(request.POST, committee=meeting.committee)
    if form.is_valid():
        try:
            item = services.agenda_item_add(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        except services.StateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Ärende {item.label} är tillagt på ärendelistan.")
            return redirect(reverse("casework:meeting_detail", args=[pk]) + "#arendelista")
    return _meeting_page(request, meeting, status=400, item_form=form)


def _item_step(request, pk, iid, run):
    item = get_object_or_404(AgendaItem, pk=iid, meeting_id=pk)
    try:
        run(item)
    except services.StateError as error:
        messages.error(request, str(error))
    return redirect(reverse("casework:meeting_detail", args=[pk]) + "#arendelista")


@require_POST
@permission_required(permissions.can_manage_meetings)
def item_up(request, pk, iid):
    return _item_step(
        request,
        pk,
        iid,
        lambda item: services.agenda_item_move(item=item, direction=ordering.UP, by=request.user),
    )


@require_POST
@permission_required(permissions.can_manage_meetings)
def item_down(request, pk, iid):
    return _item_step(
        request,
        pk,
        iid,
        lambda item: services.agenda_item_move(item=item, direction=ordering.DOWN, by=request.user),
    )


@require_POST
@permission_required(permissions.can_manage_meetings)
def item_remove(request, pk, iid):
    def remove(item):
        services.agenda_item_remove(item=item, by=request.user)
        messages.success(request, f"Ärende {item.label} är borttaget från ärendelistan.")

    return _item_step(request, pk, iid, remove)


@require_POST
@permission_required(permissions.can_send_to_committee)
def meeting_send(request, pk):
    meeting = _meeting(pk)
    try:
        services.meeting_send(meeting=meeting, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except services.StateError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            "Kallelsen och handlingarna är skickade till nämnden. PDF:erna framställs nu.",
        )
    return redirect("casework:meeting_detail", pk=pk)


@require_GET
@permission_required(permissions.can_view_internal_papers)
def meeting_preview(request, pk):
    meeting = _meeting(pk)
    internal = request.GET.get("variant") != "offentlig"
    html, _ = documents.bundle_html(
        meeting,
        internal=internal,
        asset_base=static(""),
        preview_back_url=reverse("casework:meeting_detail", args=[pk]),
    )
    return HttpResponse(html)


@require_POST
@permission_required(permissions.can_view_internal_papers)
def meeting_render(request, pk, variant):
    meeting = _meeting(pk)
    if variant not in ("offentlig", "intern"):
        raise Http404
    kind = RenderKind.BUNDLE_INTERNAL if variant == "intern" else RenderKind.BUNDLE_PUBLIC
    document = services.render_request(kind=kind, meeting=meeting)
    return status_response(request, document, reverse("casework:meeting_detail", args=[pk]))


def _reading_room_dnr(item, *, internal: bool) -> str:
    """The dnr the reading room shows for an agenda item: the ärende's, or the memo's ärende's;
    a secret item's only to those who may read the internal version (as in the PDFs)."""
    case = item.case or (item.memo.case if item.memo else None)
    if case is None:
        return ""
    if item.confidential and not internal:
        return ""
    return case.dnr


@require_GET
@permission_required(permissions.can_read_committee_papers)
def reading_room(request):
    """Nämnd members: meetings sent to the nämnd, with the PDFs rendered from the sent papers
    that the user may read (staff see the internal variant too)."""
    internal = permissions.can_view_internal_papers(request.user)
    meetings = list(
        Meeting.objects.filter(sent_at__isnull=False)
        .select_related("committee")
        .prefetch_related(
            Prefetch("items", queryset=AgendaItem.objects.select_related("memo__case", "case"))
        )
    )
    sent_papers = RenderedDocument.objects.readable_by(request.user).filter(
        status=RenderStatus.DONE, sent_version=True
    )
    memo_ids = {item.memo_id for m in meetings for item in m.items.all() if item.memo_id}
    memo_pdfs: dict[int, RenderedDocument] = {}
    for document in (
        sent_papers.for_subjects("casework.memo", memo_ids)
        .filter(kind=RenderKind.MEMO)
        .order_by("finished_at")
    ):
        memo_pdfs[document.subject_id] = document  # the latest wins
    bundles: dict[int, dict[str, RenderedDocument]] = {}
    for document in sent_papers.for_subjects("casework.meeting", [m.pk for m in meetings]).order_by(
        "-finished_at"
    ):
        bundles.setdefault(document.subject_id, {}).setdefault(document.kind, document)
    others = meeting_papers.papers_for([m.pk for m in meetings], request.user)
    today = timezone.localdate()
    rows = []
    for meeting in meetings:
        papers = bundles.get(meeting.pk, {})
        items = [
            (
                item,
                memo_pdfs.get(item.memo_id) if item.memo and not item.confidential else None,
                _reading_room_dnr(item, internal=internal),
            )
            for item in meeting.items.all()
        ]
        rows.append(
            {
                "meeting": meeting,
                "public": papers.get(RenderKind.BUNDLE_PUBLIC),
                "internal": papers.get(RenderKind.BUNDLE_INTERNAL) if internal else None,
                "items": items,
                "others": others.get(meeting.pk, []),
            }
        )
    return render(
        request,
        "casework/reading_room.html",
        {
            "upcoming": sorted(
                (r for r in rows if r["meeting"].date >= today), key=lambda r: r["meeting"].date
            ),
            "past": [r for r in rows if r["meeting"].date < today],
        },
    )


@require_POST
@permission_required(permissions.can_record_minutes)
def decision_record(request, pk, iid):
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=iid, meeting_id=pk)
    form = DecisionForm(request.POST, prefix=f"beslut-{item.pk}")
    if form.is_valid():
        try:
            services.decision_record(item=item, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        except services.StateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Beslutet för ärende {item.label} är protokollfört.")
            return redirect(reverse("casework:meeting_detail", args=[pk]) + f"#punkt-{item.pk}")
    return _meeting_page(request, item.meeting, status=400, decision_forms={item.pk: form})


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_view_drafts)
def report_back_list(request):
    pending = (
        Decision.objects.filter(report_back_required=True, reported_back_on__isnull=True)
        .select_related("meeting", "item__case")
        .order_by("report_back_due", "meeting__date")
    )
    done = (
        Decision.objects.filter(reported_back_on__isnull=False)
        .select_related("meeting", "item__case")
        .order_by("-reported_back_on")[:50]
    )
    forms = {}
    if request.method == "POST":
        if not permissions.can_record_minutes(request.user):
            raise PermissionDenied
        decision_id = request.POST.get("decision", "")
        if not (decision_id.isascii() and decision_id.isdigit()):
            raise Http404("Okänt protokollsutdrag.")
        decision = get_object_or_404(Decision, pk=decision_id)
        form = ReportBackForm(request.POST, prefix=f"ater-{decision.pk}")
        if form.is_valid():
            try:
                services.decision_report_back(
                    decision=decision, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_service_errors(error)
            except services.StateError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, f"§ {decision.paragraph} är markerad som återrapporterad."
                )
                return redirect("casework:report_back")
        forms[decision.pk] = form
    rows = [
        (
            d,
            forms.get(d.pk)
            or ReportBackForm(prefix=f"ater-{d.pk}", initial={"on": timezone.localdate()}),
        )
        for d in pending
    ]
    return render(
        request,
        "casework/report_back.html",
        {
            "rows": rows,
            "done": done,
            "today": timezone.localdate(),
            "can_record": permissions.can_record_minutes(request.user),
        },
        status=400 if forms else 200,
    )
