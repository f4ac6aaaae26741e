"""Avtal och avtalsuppföljning (being built)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from solna_sn import permissions
from solna_sn.views import permission_required


@require_GET
@permission_required(permissions.can_view_contracts)
def index(request):
    return render(request, "contracts/index.html", {})
