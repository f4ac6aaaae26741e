"""The PDF of a rendered document, its status box (polled with htmx) and retry. Named by the
document's random token; who may read it is `RenderedDocument.objects.readable_by`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from printing import services
from printing.models import RenderedDocument, RenderStatus, can_read_document
from solna_sn import permissions
from solna_sn.errors import StateError
from solna_sn.views import permission_required

STATUS_TEMPLATE = "printing/_render_status.html"


def status_response(request, document: RenderedDocument, back_url: str):
    """What a page's "Gör PDF" button answers: the status box (htmx) or a message and a
    redirect back."""
    if request.htmx:
        return render(request, STATUS_TEMPLATE, {"document": document})
    if document.status == RenderStatus.DONE:
        messages.info(request, "PDF:en finns redan för det här innehållet.")
    else:
        messages.info(request, "PDF:en framställs av bakgrundsarbetaren.")
    return redirect(back_url)


def _document(request, token) -> RenderedDocument:
    document = get_object_or_404(RenderedDocument, token=token)
    if not can_read_document(request.user, document):
        raise PermissionDenied
    return document


@require_GET
@permission_required(permissions.can_read_committee_papers)
def render_status(request, token):
    """The status box. A poll names the status it shows (?visas=queued): while that is still
    the status the answer is 204, so htmx swaps nothing and the page's polite live region
    announces only a change (queued → running → done or failed), not the same text each second."""
    document = _document(request, token)
    if request.htmx and request.GET.get("visas") == document.status:
        return HttpResponse(status=204)
    return render(request, STATUS_TEMPLATE, {"document": document})


@require_GET
@permission_required(permissions.can_read_committee_papers)
def render_file(request, token):
    document = _document(request, token)
    if document.status != RenderStatus.DONE:
        raise Http404("PDF:en är inte klar.")
    response = FileResponse(
        document.file.open("rb"),
        content_type="application/pdf",
        as_attachment=request.GET.get("ladda-ner") == "1",
        filename=document.filename,
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_POST
@permission_required(permissions.can_view_internal_papers)
def render_retry(request, token):
    document = _document(request, token)
    try:
        document = services.retry(document=document, by=request.user)
    except StateError as error:
        if not request.htmx:
            messages.error(request, str(error))
    if request.htmx:
        return render(request, STATUS_TEMPLATE, {"document": document})
    return redirect(_local_url(request, request.POST.get("next", "")))


def _local_url(request, target: str) -> str:
    """`target` if it stays on this site, otherwise the start page."""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("start")
