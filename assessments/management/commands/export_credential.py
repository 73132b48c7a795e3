"""Print a certificate's verifiable credential (JSON), signing it first if it has none yet."""

from django.core.management.base import BaseCommand, CommandError

from assessments.credentials.issuing import certificate_credential
from assessments.models import Certificate


class Command(BaseCommand):
    help = "Print the Open Badges 3.0 credential of the certificate with this code."

    def add_arguments(self, parser):
        parser.add_argument("code", help="The certificate's code (as in its verification URL).")

    def handle(self, *args, code, **options):
        certificate = Certificate.objects.select_related("employee__user", "course").filter(code=code).first()
        if certificate is None:
            raise CommandError(f"No certificate has the code {code!r}.")
        if certificate.revoked_at:
            self.stderr.write("Note: this certificate is revoked; its credential's status bit says so.")
        self.stdout.write(certificate_credential(certificate).document)
