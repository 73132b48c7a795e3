"""Export ZIPs move to private storage under random names (they were public under MEDIA_ROOT,
named by the export's id). Existing files are moved on migrate."""

from django.db import migrations, models

import training.dashboards.models
import training.private_files


def move_zips(apps, schema_editor):
    training.private_files.private_files_adopt(
        model=apps.get_model("dashboards", "CertificateExport"), field_name="file", folder="exports", suffix=".zip"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="certificateexport",
            name="file",
            field=models.FileField(
                blank=True,
                editable=False,
                storage=training.private_files.private_storage,
                upload_to=training.dashboards.models.export_zip_name,
            ),
        ),
        migrations.RunPython(move_zips, migrations.RunPython.noop),
    ]
