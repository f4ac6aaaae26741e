"""The risk–goal links follow the verksamhetsplan to next year (see solna_sn.planning): when
year N+1 is started as a copy, each link of year N is made again between the copies of its
risk and goal (same keys). They are fastställda with the internkontrollplan."""

from __future__ import annotations

from reports import risk_links
from reports.models import RiskGoalLink
from solna_sn import planning


def _exists(committee, year: int) -> bool:
    return RiskGoalLink.objects.filter(
        risk__plan__committee=committee, risk__plan__year=year
    ).exists()


def _copy(committee, from_year: int, to_year: int, by) -> int:
    return risk_links.links_copy_year(
        committee=committee, from_year=from_year, to_year=to_year, by=by
    )


planning.register(
    planning.companion(
        code="risk_goal_links",
        title="Kopplingar mellan risker och nämndmål",
        order=90,
        exists=_exists,
        copy=_copy,
    )
)
