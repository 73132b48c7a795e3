"""HR's roster import page in the Wagtail admin. The work is done by `roster_import`."""

from django import forms
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from training.people.invitations import invitations_send, never_signed_in
from training.people.roster import COLUMNS, roster_import

MAX_UPLOAD_MB = 20  # ~200,000 rows; far above any roster, low enough to refuse a wrong file early


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label="Roster CSV",
        help_text=f"UTF-8, comma-separated, with a header row: {', '.join(COLUMNS)}.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    deactivate_missing = forms.BooleanField(
        required=False,
        label="Deactivate people missing from this file",
        help_text="Their logins are switched off; their records, progress and certificates stay.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(f"The file is larger than {MAX_UPLOAD_MB} MB; is it the roster?")
        return upload


class RosterImportView(WagtailAdminTemplateMixin, FormView):
    """Upload a roster; show every problem (nothing imported) or the counts of what changed.
    Only HR and superusers reach it (see training/people/urls.py)."""

    template_name = "people/roster_import.html"
    form_class = RosterUploadForm
    page_title = "Import roster"
    header_icon = "group"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(never_signed_in=never_signed_in().count(), **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        deactivate_missing = form.cleaned_data["deactivate_missing"]
        result = roster_import(data=upload.read(), deactivate_missing=deactivate_missing, invited_by=self.request.user)
        fresh = self.form_class(initial={"deactivate_missing": deactivate_missing})
        return self.render_to_response(self.get_context_data(form=fresh, result=result, filename=upload.name))


roster_import_view = RosterImportView.as_view()


class InvitationsResendView(WagtailAdminTemplateMixin, TemplateView):
    """"Resend invitations to everyone who has never signed in": the count and a confirmation
    (GET), then the emails (POST), each person once. HR only, like the roster page."""

    template_name = "people/invitations_resend.html"
    page_title = "Resend invitations"
    header_icon = "mail"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("people_roster_import"), "label": RosterImportView.page_title},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(count=never_signed_in().count(), **kwargs)

    def post(self, request):
        sent = invitations_send(users=never_signed_in().select_related("employee"), invited_by=request.user)
        messages.success(request, f"{sent} invitation{'' if sent == 1 else 's'} sent to people who have never signed in.")
        return redirect("people_roster_import")


invitations_resend_view = InvitationsResendView.as_view()
