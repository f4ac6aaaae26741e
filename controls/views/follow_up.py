"""Follow-up per period of a plan."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from controls import services
from controls.forms import (
    PERIOD_SLUGS,
    FollowUpForm,
)
from controls.models import (
    FollowUpPeriod,
    PlanState,
    ResultState,
)
from controls.views.common import SLUG_FOR_PERIOD, _plan
from solna_sn import permissions
from solna_sn.views import permission_required


def _period(slug) -> str:
    if slug not in PERIOD_SLUGS:
        raise Http404("Okänd uppföljningsperiod.")
    return PERIOD_SLUGS[slug]


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_view_controls)
def follow_up(request, pk, period):
    plan = _plan(pk)
    period = _period(period)
    record = services.follow_up_for(plan, period)
    form = FollowUpForm(
        request.POST or None,
        initial={"assessment": record.assessment, "version": record.version if record.pk else 0},
    )
    status = 200
    if request.method == "POST":
        if not permissions.can_edit_control_plan(request.user):
            raise PermissionDenied
        status = 400
        if form.is_valid():
            try:
                services.follow_up_save(
                    plan=plan,
                    period=period,
                    assessment=form.cleaned_data["assessment"],
                    version=form.cleaned_data["version"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_service_errors(error)
            except services.StaleEditError:
                status = 409
                form.add_error(
                    None,
                    "Någon annan har sparat bedömningen medan du skrev. Din text är inte sparad; "
                    "kopiera den och läs in sidan igen.",
                )
            except services.StateError as error:
                messages.error(request, str(error))
                return redirect("controls:follow_up", pk=plan.pk, period=SLUG_FOR_PERIOD[period])
            else:
                messages.success(request, "Den samlade bedömningen är sparad.")
                return redirect("controls:follow_up", pk=plan.pk, period=SLUG_FOR_PERIOD[period])
    rows = services.follow_up_rows(plan, period)
    return render(
        request,
        "controls/follow_up.html",
        {
            "plan": plan,
            "period": period,
            "period_label": FollowUpPeriod(period).label,
            "periods": [(SLUG_FOR_PERIOD[p], p.label, p == period) for p in FollowUpPeriod],
            "rows": rows,
            "record": record,
            "form": form,
            "can_edit": permissions.can_edit_control_plan(request.user)
            and plan.state == PlanState.ADOPTED,
            "pending": sum(1 for r in rows if r.result and r.result.state != ResultState.APPROVED),
            "missing": sum(1 for r in rows if r.result is None),
        },
        status=status,
    )
