"""HR's roster import page in the Wagtail admin. The work is done by `roster_check` and `roster_import`.

With "deactivate missing" ticked, the upload is only checked: the page lists who would be
deactivated and asks to confirm. The checked file waits in the private storage under a random
name, remembered in HR's session with its SHA-256; confirming imports exactly that file (the
confirm form carries the digest too) and only if it would still deactivate exactly the people
shown. Nothing is written before the confirmation.
"""

import hashlib
import secrets
from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from training.people.invitations import invitations_enqueue, never_signed_in
from training.people.roster import COLUMNS, Deactivation, RosterProblem, RosterResult, roster_check, roster_import
from training.private_files import private_storage

MAX_UPLOAD_MB = 20  # ~200,000 rows; far above any roster, low enough to refuse a wrong file early
NAMES_SHOWN = 50  # people named in the preview; the rest are counted
PREVIEW_FOLDER = "roster-previews"
PREVIEW_SESSION_KEY = "roster_preview"
PREVIEW_KEPT = timedelta(days=1)  # previews never confirmed are deleted after this


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label="Roster CSV",
        help_text=f"UTF-8, comma-separated, with a header row: {', '.join(COLUMNS)}.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    deactivate_missing = forms.BooleanField(
        required=False,
        label="Deactivate people missing from this file",
        help_text="Their logins are switched off; their records, progress and certificates stay. "
        "You see who they are and confirm before anything is imported; you are never deactivated.",
    )
    allow_mass_deactivation = forms.BooleanField(
        required=False,
        label="Allow deactivating more than the limit",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["allow_mass_deactivation"].help_text = (  # read now, so the setting can change
            f"Without this, “deactivate missing” refuses to deactivate more than "
            f"{settings.ROSTER_MAX_DEACTIVATE_PERCENT}% of the active employees."
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(f"The file is larger than {MAX_UPLOAD_MB} MB; is it the roster?")
        return upload


class RosterImportView(WagtailAdminTemplateMixin, FormView):
    """Upload a roster; show every problem (nothing imported), the preview of who "deactivate
    missing" would deactivate (nothing imported yet), or the counts of what changed.
    Only HR and superusers reach it (see training/people/urls.py)."""

    template_name = "people/roster_import.html"
    form_class = RosterUploadForm
    page_title = "Import roster"
    header_icon = "group"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(never_signed_in=never_signed_in().count(), **kwargs)

    def post(self, request, *args, **kwargs):
        if "preview_token" in request.POST:
            return self.confirm()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        data = upload.read()
        deactivation = Deactivation(uploader=self.request.user, allow_mass=form.cleaned_data["allow_mass_deactivation"])
        if form.cleaned_data["deactivate_missing"]:
            result = roster_check(data=data, deactivate_missing=True, deactivation=deactivation)
            preview = self.preview_keep(data, upload.name, deactivation, result) if result.ok else None
            return self.answer(result, upload.name, deactivate_missing=True, preview=preview)
        result = roster_import(data=data, deactivation=deactivation, invited_by=self.request.user)
        return self.answer(result, upload.name)

    def preview_keep(self, data: bytes, filename: str, deactivation: Deactivation, result: RosterResult) -> dict:
        """Store the checked file until HR confirms; returns what the confirm form needs."""
        storage = private_storage()
        self.previews_prune(storage)
        name = storage.save(f"{PREVIEW_FOLDER}/{secrets.token_hex(16)}.csv", ContentFile(data))
        preview = {
            "token": secrets.token_urlsafe(24),
            "sha256": hashlib.sha256(data).hexdigest(),
            "name": name,
            "filename": filename,
            "allow_mass": deactivation.allow_mass,
            "numbers": sorted(person.employee_number for person in result.deactivated_people),
        }
        self.request.session[PREVIEW_SESSION_KEY] = preview
        return preview

    def previews_prune(self, storage) -> None:
        """Delete this session's previous preview, and anyone's left unconfirmed for a day."""
        previous = self.request.session.pop(PREVIEW_SESSION_KEY, None)
        if previous:
            storage.delete(previous["name"])
        try:
            _, files = storage.listdir(PREVIEW_FOLDER)
        except FileNotFoundError:
            return
        for file in files:
            path = f"{PREVIEW_FOLDER}/{file}"
            if storage.get_modified_time(path) < timezone.now() - PREVIEW_KEPT:
                storage.delete(path)

    def confirm(self):
        """Import the previewed file, exactly as previewed, or say why not."""
        preview = self.request.session.pop(PREVIEW_SESSION_KEY, None)
        post = self.request.POST
        storage = private_storage()
        data = None
        if preview and secrets.compare_digest(post.get("preview_token", ""), preview["token"]):
            try:
                with storage.open(preview["name"], "rb") as file:
                    data = file.read()
            except FileNotFoundError:
                pass
        if preview:
            storage.delete(preview["name"])
        digest = hashlib.sha256(data).hexdigest() if data is not None else ""
        if data is None or not (digest == preview["sha256"] == post.get("sha256")):
            problem = RosterProblem(
                0, "", "this preview is no longer valid (already imported, replaced by a newer upload, or altered); "
                "upload the file again"
            )
            return self.answer(RosterResult(problems=[problem]), preview["filename"] if preview else "the roster",
                               deactivate_missing=True)
        deactivation = Deactivation(
            uploader=self.request.user, allow_mass=preview["allow_mass"], confirmed=frozenset(preview["numbers"])
        )
        result = roster_import(data=data, deactivate_missing=True, deactivation=deactivation, invited_by=self.request.user)
        return self.answer(result, preview["filename"], deactivate_missing=True)

    def answer(self, result: RosterResult, filename: str, *, deactivate_missing=False, preview=None):
        fresh = self.form_class(initial={"deactivate_missing": deactivate_missing})
        people = result.deactivated_people
        context = self.get_context_data(
            form=fresh,
            result=result,
            filename=filename,
            preview=preview,
            people_shown=people[:NAMES_SHOWN],
            people_more=max(len(people) - NAMES_SHOWN, 0),
        )
        # A refused file (nothing imported) is the page again, listing why, with a 400.
        return self.render_to_response(context, status=200 if result.ok else 400)

    def form_invalid(self, form):  # no file, or one too big
        return self.render_to_response(self.get_context_data(form=form), status=400)


roster_import_view = RosterImportView.as_view()


class InvitationsResendView(WagtailAdminTemplateMixin, TemplateView):
    """"Resend invitations to everyone who has never signed in": the count and a confirmation
    (GET), then the emails queued for a worker (POST), each person once. HR only, like the roster page."""

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
        queued = invitations_enqueue(users=never_signed_in(), invited_by=request.user)
        messages.success(request, f"Invitations are being sent to {queued} {'person' if queued == 1 else 'people'} who have never signed in.")
        return redirect("people_roster_import")


invitations_resend_view = InvitationsResendView.as_view()
