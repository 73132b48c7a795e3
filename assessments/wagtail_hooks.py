from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import HistoryView, SnippetViewSet

from assessments.models import Certificate, CertificateTemplate


@hooks.register("register_log_actions")
def register_certificate_actions(actions):
    @actions.register_action("academy.certificate.issue")
    class Issue(LogFormatter):
        label = "Issue certificate"
        message = "Certificate issued"

    @actions.register_action("academy.certificate.revoke")
    class Revoke(LogFormatter):
        label = "Revoke certificate"

        def format_message(self, log_entry):
            return f"Certificate revoked: {log_entry.data.get('reason', '')}"

    @actions.register_action("academy.certificate.reissue")
    class Reissue(LogFormatter):
        label = "Reissue certificate"

        def format_message(self, log_entry):
            return f"Certificate reissued (replaces {log_entry.data.get('replaces', '')}): {log_entry.data.get('reason', '')}"


class CertificateTemplateViewSet(SnippetViewSet):
    model = CertificateTemplate
    icon = "doc-full-inverse"
    menu_label = "Certificate templates"
    list_display = ["name", "title", "signatory_name", "is_default"]


class CertificateHistoryView(HistoryView):
    # HR only views certificates in the admin (they act through the certificate page), yet the
    # audit trail is exactly what they need to read.
    any_permission_required = ["add", "change", "delete", "view"]


class CertificateViewSet(SnippetViewSet):
    """Issued certificates, read in the admin with their history; HR acts on them from the
    certificate page (revoke, reissue)."""

    model = Certificate
    icon = "success"
    menu_label = "Certificates"
    list_display = ["code", "employee", "course", "issued_at", "expires_at", "revoked_at"]
    list_filter = ["course", "revoked_at"]
    inspect_view_enabled = True
    history_view_class = CertificateHistoryView


register_snippet(CertificateTemplateViewSet)
register_snippet(CertificateViewSet)
