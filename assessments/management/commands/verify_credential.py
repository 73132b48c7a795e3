"""Check a credential file as the /verify/ page does: exit 0 only when it is valid."""

from pathlib import Path

from django.core.management.base import BaseCommand

from assessments.credentials.verification import CredentialFileError, credential_parse, credential_verify


class Command(BaseCommand):
    help = "Verify an Open Badges credential file (JSON): prints valid / expired / revoked / tampered / not ours and why; exit 0 only for valid."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The credential's .json file ('-' reads standard input).")

    def handle(self, *args, file, **options):
        try:
            if file == "-":
                import sys

                data = sys.stdin.buffer.read()
            else:
                data = Path(file).read_bytes()
            verdict = credential_verify(credential_parse(data))
        except OSError as problem:
            return self._fail(f"cannot read {file}: {problem.strerror or problem}")
        except CredentialFileError as problem:
            return self._fail(str(problem))
        if not verdict.is_valid:
            return self._fail(f"{verdict.status.replace('_', ' ')}: {' '.join(verdict.reasons)}")
        self.stdout.write(f"valid: {verdict.subject_name}, {verdict.achievement_name}. {' '.join(verdict.reasons)}")

    def _fail(self, message: str):
        self.stderr.write(message)
        raise SystemExit(1)
