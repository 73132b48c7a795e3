from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils.functional import cached_property
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.widgets import Button, HeaderButton
from wagtail.log_actions import LogFormatter
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.utils.urlpatterns import decorate_urlpatterns
from wagtail.snippets.views.snippets import HistoryView, IndexView, InspectView, SnippetViewSet

from assessments.models import Certificate, CertificateTemplate
from assessments.statistics.selectors import can_see_any_quiz_statistics, can_see_quiz_statistics
from modules.models import QuizPage
from training.admin_access import admin_area
from training.ids import IdFilterSet
from training.people.selectors import is_hr


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


class CertificatePermissionPolicy(ModelPermissionPolicy):
    """Certificates are read in the admin, never written there, by anyone (superusers included): they
    change only through the certificate services (issue, revoke, reissue), which keep the stored PDF,
    the audit log and the one-per-cycle rule true. An edit form would let a score drift from its PDF."""

    READ_ONLY_ACTIONS = {"view"}

    def user_has_permission(self, user, action):
        return action in self.READ_ONLY_ACTIONS and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a in self.READ_ONLY_ACTIONS])


register_permission_policy(Certificate, CertificatePermissionPolicy(Certificate))


class CertificateHistoryView(HistoryView):
    # HR only views certificates in the admin (they act through the certificate page), yet the
    # audit trail is exactly what they need to read.
    any_permission_required = ["add", "change", "delete", "view"]


REVOKE_OR_REISSUE = "Revoke or reissue"


def revoke_or_reissue_url(user, certificate) -> str | None:
    """The certificate's manage page, for those who may act on it (HR: the same is_hr rule the
    page itself checks), else None so no link is shown."""
    return reverse("certificate_manage", args=[certificate.code]) if is_hr(user) else None


class CertificateIndexView(IndexView):
    base_filterset_class = IdFilterSet  # the course filter refuses an id too large for the database

    def render_to_response(self, context, **response_kwargs):
        # Wagtail exports (?export=csv|xlsx) the unfiltered list when a filter is invalid; the HTML
        # list shows the filter's error instead, so the export refuses it too, naming the filter.
        if self.is_export and self.filters is not None and not self.filters.is_valid():
            fields = self.filters.form.fields
            problems = "; ".join(
                f"{fields[name].label if name in fields else name}: {' '.join(errors)}"
                for name, errors in self.filters.form.errors.items()
            )
            return HttpResponseBadRequest(f"Nothing exported. {problems}", content_type="text/plain; charset=utf-8")
        return super().render_to_response(context, **response_kwargs)

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if url := revoke_or_reissue_url(self.request.user, instance):
            buttons.append(Button(REVOKE_OR_REISSUE, url=url, icon_name="warning", priority=25))
        return buttons


class CertificateInspectView(InspectView):
    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if url := revoke_or_reissue_url(self.request.user, self.object):
            buttons.append(HeaderButton(REVOKE_OR_REISSUE, url=url, icon_name="warning"))
            if not self.object.revoked_at:  # HR: the certificate's verifiable credential (guarded like the PDF)
                buttons.append(HeaderButton("Verifiable credential (.json)", url=reverse("credential_download", args=[self.object.code]), icon_name="download"))
        return buttons


class CertificateChooserViewSet(SnippetChooserViewSet):
    """Wagtail's snippet choosers check no permission (any admin user could list every certificate
    holder, revoked ones included, at /admin/snippets/choose/assessments/certificate/), so each of
    the chooser's views (choose, results and search, chosen, create) is for HR only: 403 otherwise."""

    def get_urlpatterns(self):
        return decorate_urlpatterns(super().get_urlpatterns(), admin_area(is_hr))


class CertificateViewSet(SnippetViewSet):
    """Issued certificates, read in the admin with their history; HR acts on them from the
    certificate page (revoke, reissue), linked from each row's menu and the inspect page."""

    model = Certificate
    icon = "success"
    menu_label = "Certificates"
    list_display = ["code", "employee", "course", "issued_at", "expires_at", "revoked_at"]
    list_filter = ["course", "revoked_at"]
    inspect_view_enabled = True
    index_view_class = CertificateIndexView
    inspect_view_class = CertificateInspectView
    history_view_class = CertificateHistoryView
    chooser_viewset_class = CertificateChooserViewSet  # the listing, inspect, history and usage views check view/change


register_snippet(CertificateTemplateViewSet)
register_snippet(CertificateViewSet)


class QuestionStatisticsMenuItem(MenuItem):
    """Shown to HR, superusers and anyone who can edit a quiz; the views check the same rules.
    Wagtail asks twice per page (the Reports submenu, then the item): the answer is kept on the request."""

    def is_shown(self, request):
        if not hasattr(request, "may_see_question_statistics"):
            request.may_see_question_statistics = can_see_any_quiz_statistics(user=request.user)
        return request.may_see_question_statistics


@hooks.register("register_reports_menu_item")
def question_statistics_menu_item():
    return QuestionStatisticsMenuItem(
        "Question statistics", reverse("question_statistics"), name="question-statistics", icon_name="help", order=1300
    )


class QuizMenuItem(PageMenuItem):
    """A quiz's own item in its edit page header and its row in the page explorer; shown on quizzes
    to those `may_use` lets in."""

    def is_shown(self, user):
        page_class = self.page.specific_class
        return bool(page_class) and issubclass(page_class, QuizPage) and self.may_use(user)


class QuestionStatisticsButton(QuizMenuItem):
    """The quiz's statistics."""

    label = "Question statistics"
    icon_name = "help"
    url_name = "question_statistics_quiz"

    def may_use(self, user):
        return can_see_quiz_statistics(user=user, quiz=self.page)


@hooks.register("register_page_header_buttons")
def question_statistics_header_button(page, user, view_name, next_url=None):
    yield QuestionStatisticsButton(page=page, priority=68)


@hooks.register("register_page_listing_more_buttons")
def question_statistics_listing_button(page, user, next_url=None):
    yield QuestionStatisticsButton(page=page, priority=55)


class QuestionImportButton(QuizMenuItem):
    """Import questions into the quiz (and export its pool), for those who may edit it."""

    label = "Import or export questions"
    icon_name = "download"
    url_name = "question_import"

    def may_use(self, user):
        return self.page.permissions_for_user(user).can_edit()


@hooks.register("register_page_header_buttons")
def question_import_header_button(page, user, view_name, next_url=None):
    yield QuestionImportButton(page=page, priority=69)


@hooks.register("register_page_listing_more_buttons")
def question_import_listing_button(page, user, next_url=None):
    yield QuestionImportButton(page=page, priority=56)


@hooks.register("register_admin_urls")
def question_import_urls():
    from django.urls import path

    from assessments.question_import.views import QuestionImportView, question_export

    return [
        path("quizzes/<id:quiz_pk>/questions/import/", QuestionImportView.as_view(), name="question_import"),
        path("quizzes/<id:quiz_pk>/questions/export/", question_export, name="question_export"),
    ]
