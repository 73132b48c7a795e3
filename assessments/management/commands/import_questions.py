from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.question_import.services import FORMATS, UnreadableFile, import_preview, questions_import, quiz_by_slug


class Command(BaseCommand):
    help = (
        "Import a GIFT, Aiken or Moodle XML file into a quiz's question pool as a new draft revision. "
        "Exits 1 and writes nothing when any item cannot be imported, unless --skip-invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("quiz", help="The quiz page's slug (or its page id).")
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=list(FORMATS), help="Default: detected from the file.")
        parser.add_argument("--dry-run", action="store_true", help="Report what would be imported; write nothing.")
        parser.add_argument("--skip-invalid", action="store_true", help="Import the valid questions even if some items are refused.")
        parser.add_argument("--skip-existing", action="store_true", help="Leave out questions already in the pool.")

    def handle(self, *args, quiz, file, format, dry_run, skip_invalid, skip_existing, **options):
        page = quiz_by_slug(quiz)
        try:
            preview = import_preview(quiz=page, data=file.read_bytes(), fmt=format)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        except UnreadableFile as error:
            raise CommandError(f"{file}: {error}") from None
        for note in preview.notes:
            self.stdout.write(f"note: {note}")
        for question in preview.questions:
            if question.image is not None:
                self.stdout.write(f"image: {question.imported.where}: “{question.image.name}” ({question.image.alt})")
            for note in question.imported.notes:
                self.stdout.write(f"note: {question.imported.where}: {note}")
        for refusal in preview.refusals:
            self.stderr.write(f"refused: {refusal}")
        duplicates = len(preview.duplicates)
        self.stdout.write(
            f"{len(preview.questions)} question(s) readable from {file} ({preview.format_label}), "
            f"{len(preview.refusals)} refused, {duplicates} already in the pool."
        )
        if preview.refusals and not skip_invalid:
            self.stderr.write("Nothing imported: fix the refused items or pass --skip-invalid.")
            raise SystemExit(1)
        if dry_run:
            self.stdout.write("Dry run: nothing imported.")
            return
        _revision, added = questions_import(quiz=page, preview=preview, skip_duplicates=skip_existing)
        self.stdout.write(f"Imported {added} question(s) into “{page.title}” as a draft revision; publish it to use them.")
