from django.core.management.base import BaseCommand

from assessments.certificates.services import certificates_render_missing


class Command(BaseCommand):
    help = "Render every certificate whose PDF is missing (e.g. after a failed render). Safe to repeat."

    def handle(self, *args, **options):
        rendered, failed = certificates_render_missing()
        self.stdout.write(f"Rendered {rendered} certificate(s); {failed} failed (see each certificate's render error).")
        if failed:
            raise SystemExit(1)
