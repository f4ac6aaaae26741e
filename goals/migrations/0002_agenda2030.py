"""The 17 goals of Agenda 2030 (data, kept in the admin). Copied here rather than imported
so the migration keeps working when goals/agenda2030.py changes."""

from django.db import migrations

GOALS = [
    (1, "Ingen fattigdom"),
    (2, "Ingen hunger"),
    (3, "God hälsa och välbefinnande"),
    (4, "God utbildning för alla"),
    (5, "Jämställdhet"),
    (6, "Rent vatten och sanitet för alla"),
    (7, "Hållbar energi för alla"),
    (8, "Anständiga arbetsvillkor och ekonomisk tillväxt"),
    (9, "Hållbar industri, innovationer och infrastruktur"),
    (10, "Minskad ojämlikhet"),
    (11, "Hållbara städer och samhällen"),
    (12, "Hållbar konsumtion och produktion"),
    (13, "Bekämpa klimatförändringarna"),
    (14, "Hav och marina resurser"),
    (15, "Ekosystem och biologisk mångfald"),
    (16, "Fredliga och inkluderande samhällen"),
    (17, "Genomförande och globalt partnerskap"),
]


def load(apps, schema_editor):
    Agenda2030Goal = apps.get_model("goals", "Agenda2030Goal")
    for number, name in GOALS:
        Agenda2030Goal.objects.get_or_create(number=number, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("goals", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
