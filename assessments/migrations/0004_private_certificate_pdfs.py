"""Certificate PDFs move to private storage under random names (they were public under
MEDIA_ROOT, named by the verification code). Existing files are moved on migrate."""

from django.db import migrations, models

import assessments.models
import training.private_files


def move_pdfs(apps, schema_editor):
    training.private_files.private_files_adopt(
        model=apps.get_model("assessments", "Certificate"), field_name="pdf", folder="certificates", suffix=".pdf"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_attempt_question_tokens"),
    ]

    operations = [
        migrations.AlterField(
            model_name="certificate",
            name="pdf",
            field=models.FileField(
                blank=True,
                editable=False,
                storage=training.private_files.private_storage,
                upload_to=assessments.models.certificate_pdf_name,
            ),
        ),
        # Going back leaves the files private: an older version then finds no PDF to serve, and
        # `render_certificates` renders them again.
        migrations.RunPython(move_pdfs, migrations.RunPython.noop),
    ]
