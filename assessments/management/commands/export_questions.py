from pathlib import Path

from django.core.management.base import BaseCommand

from assessments.question_import.services import FORMATS, quiz_by_slug, quiz_export


class Command(BaseCommand):
    help = "Export a quiz's question pool (its latest revision) as GIFT, Moodle XML or Aiken."

    def add_arguments(self, parser):
        parser.add_argument("quiz", help="The quiz page's slug (or its page id).")
        parser.add_argument("--format", choices=list(FORMATS), default="moodle-xml")
        parser.add_argument("--output", "-o", type=Path, help="Default: standard output.")

    def handle(self, *args, quiz, format, output, **options):
        export = quiz_export(quiz=quiz_by_slug(quiz), fmt=format)
        if output:
            output.write_text(export.text, encoding="utf-8")
        else:
            self.stdout.write(export.text, ending="")
        for note in export.notes:
            self.stderr.write(f"note: {note}")
