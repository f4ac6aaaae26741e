from django.core.management import call_command

from solna_sn.models import Committee, Role, Unit, User


def test_load_demo_creates_solna_and_one_user_per_role(db, capsys):
    call_command("load_demo")
    committee = Committee.objects.get(code="SN")
    assert committee.dnr_prefix == "SN"
    assert committee.municipality.name == "Solna stad"
    assert list(Unit.objects.values_list("name", flat=True)) == [
        "Stabsenheten",
        "Ekonomi- och arbetsmarknadsenheten",
        "Barn- och ungdomsenheten",
        "Vuxenenheten",
    ]
    assert sorted(User.objects.values_list("role", flat=True)) == sorted(Role.values)
    for user in User.objects.all():
        assert user.check_password("demo")
    out = capsys.readouterr().out
    for username in (
        "handlaggare",
        "controller",
        "granskare",
        "forvaltningschef",
        "namndledamot",
        "admin",
    ):
        assert username in out


def test_load_demo_is_idempotent_and_keeps_changes(db):
    call_command("load_demo")
    admin = User.objects.get(username="admin")
    admin.set_password("ett-eget-lösenord-2024")
    admin.save()
    call_command("load_demo")
    assert User.objects.count() == 6
    assert Unit.objects.count() == 4
    assert User.objects.get(username="admin").check_password("ett-eget-lösenord-2024")


def test_stabsenheten_keeps_its_earlier_name(db):
    import datetime

    call_command("load_demo")
    unit = Unit.objects.get(code="STAB")
    assert unit.name_on(datetime.date(2021, 6, 1)) == "Stab och central ledning"
    assert unit.name_on(datetime.date(2024, 6, 1)) == "Stabsenheten"
