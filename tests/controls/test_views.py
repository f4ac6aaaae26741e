"""Internkontroll pages through the Django test client on PostgreSQL: roles, bad input,
htmx fragments and query counts."""

from django.urls import reverse

from controls import services
from tests.controls.conftest import level


def test_every_page_renders_for_staff(client, adopted, occasion, controller, handlaggare):
    services.result_save(
        occasion=occasion,
        by=handlaggare,
        level=level(adopted.committee, 1),
        finding="5 av 330 var över tid.",
        figures=[{"group": "", "population": 330, "checked": None, "deviations": 5}],
        actions=[{"description": "Återkoppling till cheferna", "responsible": "Enhetschef"}],
    )
    client.force_login(controller)
    risk = adopted.risks.get()
    for url in (
        reverse("controls:index"),
        reverse("controls:plan_detail", args=[adopted.pk]),
        reverse("controls:plan_matrix", args=[adopted.pk]),
        reverse("controls:calendar", args=[adopted.pk]),
        reverse("controls:follow_up", args=[adopted.pk, "augusti"]),
        reverse("controls:risk_edit", args=[risk.pk]),
        reverse("controls:occasion", args=[occasion.pk]),
        reverse("controls:plan_preview", args=[adopted.pk]),
        reverse("controls:plan_import"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    html = client.get(reverse("controls:follow_up", args=[adopted.pk, "augusti"])).content
    text = html.decode()
    assert "◆</span> Lindrig avvikelse" in text
    assert "1,5 % (5 av 330)" in text
