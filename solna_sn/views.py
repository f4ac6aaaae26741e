from functools import wraps

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from solna_sn import navigation, permissions, services, worklist
from solna_sn.auth import ThrottledAuthenticationForm
from solna_sn.forms import PreferencesForm
from solna_sn.models import Committee, Municipality, Role, Unit, WorkerCheck


def permission_required(check):
    """Refuse (403) a signed-in user for whom `check(user)` is false."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator


def current_committee() -> Committee:
    """The nämnd the pages work on (the first one; choosing between several is not built)."""
    committee = Committee.objects.order_by("pk").first()
    if committee is None:
        raise PermissionDenied
    return committee


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True


ROLE_INTRODUCTIONS = {
    Role.HANDLAGGARE: "Du skriver tjänsteskrivelser och rapportavsnitt för din enhet.",
    Role.CONTROLLER: "Du rapporterar verksamhetsmått och ekonomiska tabeller och stänger "
    "perioder när de är kontrollerade.",
    Role.GRANSKARE: "Du granskar handlingar och resultat innan de går vidare till "
    "förvaltningschefen.",
    Role.FORVALTNINGSCHEF: "Du godkänner handlingar och skickar dem till nämnden.",
    Role.NAMNDLEDAMOT: "Här läser du de handlingar som förvaltningen har skickat till "
    "nämndens sammanträden.",
    Role.ADMINISTRATOR: "Du underhåller organisation, användare och kataloger och följer "
    "granskningsloggen.",
}


@require_GET
@login_required
def start(request):
    user = request.user
    return render(
        request,
        "solna_sn/start.html",
        {
            "role_label": Role(user.role).label if user.role else "",
            "introduction": ROLE_INTRODUCTIONS.get(user.role, ""),
            "units": list(user.units.all()),
            "shortcuts": [i for i in navigation.items_for(user) if i.url_name != "start"],
            "worklist": worklist.lines_for(user) if permissions.is_staff_member(user) else [],
            "show_worklist": permissions.is_staff_member(user),
        },
    )


@require_GET
@permission_required(permissions.can_view_organisation)
def organisation(request):
    today = timezone.localdate()
    municipalities = Municipality.objects.prefetch_related(
        "committees__administrations",
        Prefetch(
            "committees__administrations__units",
            queryset=Unit.objects.prefetch_related("earlier_names"),
        ),
    )
    return render(
        request, "solna_sn/organisation.html", {"municipalities": municipalities, "today": today}
    )


@require_http_methods(["GET", "POST"])
@permission_required(permissions.can_administer)
def system_status(request):
    if request.method == "POST":
        check = services.worker_check_request(by=request.user)
        if request.htmx:
            return render(request, "solna_sn/system_status.html#worker-check", {"check": check})
        messages.info(request, "Kontrollen är skickad till bakgrundsarbetaren.")
        return redirect("system_status")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database_ok = True
    except Exception:
        database_ok = False
    return render(
        request,
        "solna_sn/system_status.html",
        {
            "database_ok": database_ok,
            "database_vendor": connection.vendor,
            "check": WorkerCheck.objects.first(),
        },
    )


@require_GET
@permission_required(permissions.can_administer)
def worker_check(request, pk):
    check = get_object_or_404(WorkerCheck, pk=pk)
    return render(request, "solna_sn/system_status.html#worker-check", {"check": check})


@require_http_methods(["GET", "POST"])
@login_required
def my_settings(request):
    """Mina inställningar: every signed-in user, about herself only."""
    user = request.user
    # An unticked box sends nothing: an empty POST is still a POST.
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        initial={"notify_by_email": user.notify_by_email},
    )
    if request.method == "POST" and form.is_valid():
        services.user_preferences_save(
            user=user, notify_by_email=form.cleaned_data["notify_by_email"], by=user
        )
        messages.success(request, "Dina inställningar har sparats.")
        return redirect("my_settings")
    return render(request, "solna_sn/my_settings.html", {"form": form})
