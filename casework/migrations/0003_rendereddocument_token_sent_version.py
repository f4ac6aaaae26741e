"""Random URL tokens for rendered PDFs and the audience fact `sent_version`.

Existing rows get a token each (a callable default would give them all the same value) and
`sent_version = False`: nobody can tell any more whether they printed a draft, so they stay
staff-only; sending again or a new request renders readable copies.
"""

from django.db import migrations, models

import casework.models


def fill_tokens(apps, schema_editor):
    RenderedDocument = apps.get_model("casework", "RenderedDocument")
    for document in RenderedDocument.objects.only("pk").iterator():
        RenderedDocument.objects.filter(pk=document.pk).update(
            token=casework.models.new_document_token()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0002_report_documents"),
    ]

    operations = [
        migrations.AddField(
            model_name="rendereddocument",
            name="sent_version",
            field=models.BooleanField(
                default=False, verbose_name="framställd från skickade handlingar"
            ),
        ),
        migrations.AddField(
            model_name="rendereddocument",
            name="token",
            field=models.CharField(editable=False, max_length=43, null=True),
        ),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="rendereddocument",
            name="token",
            field=models.CharField(
                default=casework.models.new_document_token,
                editable=False,
                max_length=43,
                unique=True,
            ),
        ),
    ]
