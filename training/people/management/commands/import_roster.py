from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from training.management.progress import ProgressBarMixin
from training.people.roster import COLUMNS, roster_check, roster_import


class Command(ProgressBarMixin, BaseCommand):
    progress_unit = "rows"
    help = (
        "Create or update employees, teams and managers from HR's roster CSV "
        f"(columns: {', '.join(COLUMNS)}). All or nothing: any problem imports nothing and exits with status 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The roster CSV (UTF-8, comma-separated, header row).")
        parser.add_argument(
            "--deactivate-missing",
            action="store_true",
            help="Deactivate the logins of active employees who are not in the file (their records stay).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report what would change.")

    def handle(self, *args, file: Path, deactivate_missing=False, dry_run=False, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror or error}") from error
        service = roster_check if dry_run else roster_import
        result = service(data=data, deactivate_missing=deactivate_missing, progress=self._progress)
        self._progress_end()
        if result.problems:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(result.problems)} problem(s) in {file}; nothing was imported.")
        counts = (
            f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged, "
            f"{result.deactivated} deactivated, {result.teams_created} team(s) created"
        )
        if not dry_run:
            counts += f", {result.invited} invitation(s) sent"
        if dry_run:
            self.stdout.write(f"Dry run, nothing written. {file} is valid; importing it would give: {counts}.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {file}: {counts}."))
