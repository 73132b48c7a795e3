import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from modules.models import CoursePage
from training.dashboards.certificate_export import certificates_zip_write
from training.dashboards.reports.filters import CertificateFilterSet, certificates_report_queryset, filter_problems
from training.management.progress import ProgressBarMixin
from training.people.models import Team

LISTED = 10  # valid names shown when a course or team is unknown


def _known(names) -> str:
    names = list(names)
    shown = ", ".join(names[:LISTED]) + (f" and {len(names) - LISTED} more" if len(names) > LISTED else "")
    return shown or "none"


class Command(ProgressBarMixin, BaseCommand):
    progress_unit = "certificates"
    help = (
        "Write one ZIP of the certificate PDFs matching the certificate report's filters, with a "
        "manifest.csv. Missing PDFs are rendered first; ones that cannot be are listed in the manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("--course", help="Course slug or exact title.")
        parser.add_argument("--team", help="Team name.")
        parser.add_argument("--status", choices=[value for value, _ in CertificateFilterSet.STATUSES])
        parser.add_argument("--issued-from", metavar="YYYY-MM-DD")
        parser.add_argument("--issued-to", metavar="YYYY-MM-DD")
        parser.add_argument("--expiring-within", metavar="DAYS", help="What 'expiring' means, in days (default 30).")
        parser.add_argument("--out", type=Path, required=True, help="The ZIP file to write.")

    def handle(self, *args, out: Path, **options):
        params = {
            "course": self._course_id(options["course"]),
            "team": self._team_id(options["team"]),
            "status": options["status"],
            "issued_from": options["issued_from"],
            "issued_to": options["issued_to"],
            "expiring_within": options["expiring_within"],
        }
        params = {name: str(value) for name, value in params.items() if value not in (None, "")}
        filterset = CertificateFilterSet(params, queryset=certificates_report_queryset())
        if not filterset.is_valid():
            raise CommandError(" ".join(filter_problems(filterset)))
        if not out.parent.is_dir():
            raise CommandError(f"the folder {out.parent} does not exist.")

        # Write next to the target and rename on success: a failure leaves no half-written ZIP.
        handle, partial = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as file:
                summary = certificates_zip_write(filterset.qs, file, progress=self._progress)
            os.replace(partial, out)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
        finally:
            self._progress_end()
        written = summary.total - summary.missing
        message = f"Wrote {written} certificate PDF(s) to {out}"
        if summary.missing:
            message += f"; {summary.missing} could not be rendered and are listed in manifest.csv without a file"
        self.stdout.write(self.style.SUCCESS(message + "."))

    def _course_id(self, value):
        if not value:
            return None
        courses = list(CoursePage.objects.filter(slug=value)) or list(CoursePage.objects.filter(title=value))
        if len(courses) == 1:
            return courses[0].pk
        if courses:
            found = ", ".join(f"{course.title} [{course.slug}]" for course in courses)
            raise CommandError(f"{len(courses)} courses match {value!r} ({found}); give a slug or title only one has.")
        known = CoursePage.objects.order_by("slug").values_list("slug", flat=True)
        raise CommandError(f"no course with the slug or title {value!r}. Courses: {_known(known)}.")

    def _team_id(self, value):
        if not value:
            return None
        team = Team.objects.filter(name=value).first()
        if team is None:
            raise CommandError(f"no team named {value!r}. Teams: {_known(Team.objects.values_list('name', flat=True))}.")
        return team.pk
