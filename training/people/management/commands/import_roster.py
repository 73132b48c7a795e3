from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from training.management.progress import ProgressBarMixin
from training.people.roster import COLUMNS, Deactivation, roster_check, roster_import

NAMES_SHOWN = 50  # as on the admin page's preview


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
            help="Deactivate the logins of active employees who are not in the file (their records stay). "
            "Use --dry-run first to see who they are.",
        )
        parser.add_argument(
            "--allow-mass-deactivation",
            action="store_true",
            help="Allow --deactivate-missing to deactivate more than ROSTER_MAX_DEACTIVATE_PERCENT of the "
            "active employees (refused otherwise).",
        )
        parser.add_argument(
            "--as",
            dest="as_username",
            metavar="USERNAME",
            help="The person running the import (as on the admin page): never deactivated.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report what would change.")

    def handle(
        self, *args, file: Path, deactivate_missing=False, allow_mass_deactivation=False, as_username=None,
        dry_run=False, **options,
    ):
        uploader = None
        if as_username:
            uploader = get_user_model().objects.filter(username=as_username).first()
            if uploader is None:
                raise CommandError(f"--as {as_username}: no login has that username")
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror or error}") from error
        service = roster_check if dry_run else roster_import
        deactivation = Deactivation(uploader=uploader, allow_mass=allow_mass_deactivation)
        result = service(
            data=data, deactivate_missing=deactivate_missing, deactivation=deactivation, progress=self._progress,
            **({} if dry_run else {"invite_now": True}),
        )
        self._progress_end()
        if result.problems:
            for problem in result.problems_listed:
                self.stderr.write(str(problem))
            if result.problems_more:
                self.stderr.write(result.problems_more)
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
        if result.deactivated_people:
            people = result.deactivated_people
            names = "; ".join(str(person) for person in people[:NAMES_SHOWN])
            more = f"; and {len(people) - NAMES_SHOWN} more" if len(people) > NAMES_SHOWN else ""
            self.stdout.write(f"{'Would deactivate' if dry_run else 'Deactivated'}: {names}{more}")
