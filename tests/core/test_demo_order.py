"""The demo loaders run after what they depend on, whatever the order of INSTALLED_APPS."""

import pytest
from django.apps import apps

from casework.models import Meeting
from contracts.models import FollowUpPlan
from solna_sn import demo as solna_demo
from solna_sn.lib.topo import CycleError, stable_order
from solna_sn.management.commands.load_demo import demo_modules
from solna_sn.models import User


def test_a_loader_comes_after_what_it_depends_on():
    assert stable_order(["contracts", "casework"], {"contracts": ["casework"]}) == [
        "casework",
        "contracts",
    ]


def test_without_dependencies_the_given_order_is_kept():
    names = ["reports", "metrics", "casework", "goals"]
    assert stable_order(names, {}) == names
    assert stable_order(list(reversed(names)), {}) == list(reversed(names))


def test_dependencies_on_apps_that_are_not_installed_are_ignored():
    assert stable_order(["contracts"], {"contracts": ["casework"]}) == ["contracts"]


def test_a_cycle_is_refused():
    with pytest.raises(CycleError):
        stable_order(["a", "b"], {"a": ["b"], "b": ["a"]})


def test_contracts_demo_runs_after_casework_in_either_app_order():
    configs = [c for c in apps.get_app_configs() if c.label in ("casework", "contracts")]
    for order in (configs, list(reversed(configs))):
        labels = [config.label for config, _ in demo_modules(order)]
        assert labels == ["casework", "contracts"]


@pytest.mark.django_db
def test_contracts_demo_loaded_after_casework_plans_on_its_meetings():
    """The loaders in the order demo_modules gives for the app list reversed."""
    committee = solna_demo.load_organisation()
    solna_demo.load_users(committee)
    controller = User.objects.get(username="controller")
    configs = [c for c in apps.get_app_configs() if c.label in ("casework", "contracts")]
    for _, module in demo_modules(list(reversed(configs))):
        module.load(by=controller)
    plan = FollowUpPlan.objects.get(year=2024)
    meetings = set(plan.followups.exclude(meeting=None).values_list("meeting", flat=True))
    assert meetings and meetings <= set(Meeting.objects.values_list("pk", flat=True))
