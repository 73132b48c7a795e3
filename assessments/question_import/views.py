"""Import questions into a quiz (upload or paste, preview, confirm) and export its pool, in the
Wagtail admin, for the people who may edit that quiz. The preview writes nothing: the confirm step
posts the file's text back and it is read and validated again before the draft revision is saved.
"""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView

from assessments import scoring
from assessments.interchange import FORMATS, MAX_BYTES, UnreadableFile
from assessments.question_import.services import import_preview, questions_import, quiz_export
from modules.models import QuizPage
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

TITLE = "Import questions"
EXPORTS = {"gift": ("Moodle GIFT", "txt", "text/plain"), "moodle-xml": ("Moodle XML", "xml", "application/xml")}


class ImportForm(forms.Form):
    file = forms.FileField(required=False, help_text=f"GIFT, Aiken or Moodle XML, UTF-8, at most {MAX_BYTES // 1024 // 1024} MB.")
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 8}), label="Or paste the questions")
    format = forms.ChoiceField(choices=[("", "Detect from the file")] + list(FORMATS.items()), required=False)

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), (data.get("text") or "")
        if upload and text.strip():
            raise forms.ValidationError("Upload a file or paste questions, not both.")
        if not upload and not text.strip():
            raise forms.ValidationError("Choose a file to upload or paste some questions.")
        if upload and upload.size > MAX_BYTES:
            raise forms.ValidationError(f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is {MAX_BYTES // 1024 // 1024} MB.")
        data["data"] = upload.read() if upload else text.encode("utf-8")
        return data


class ConfirmForm(forms.Form):
    text = forms.CharField(widget=forms.HiddenInput, strip=False)
    format = forms.ChoiceField(choices=list(FORMATS.items()), widget=forms.HiddenInput)
    skip_duplicates = forms.BooleanField(required=False, initial=True, label="Skip the questions already in the pool")


def describe(spec: scoring.Question) -> list[str]:
    """A question's answer key and feedback, one line each, for the preview."""

    def fb(text):
        return f" — feedback: {text}" if text else ""

    if isinstance(spec, (scoring.SingleChoice, scoring.MultipleChoice)):
        lines = [f"{'✓ right' if c.correct else '✗ wrong'}: {c.text}{fb(c.feedback)}" for c in spec.choices]
        if isinstance(spec, scoring.MultipleChoice):
            lines.append("Scoring: all or nothing" if spec.all_or_nothing else "Scoring: partial credit")
        return lines
    if isinstance(spec, scoring.TrueFalse):
        return [f"Answer: {'true' if spec.answer else 'false'}", *(f"If “{k}”: {v}" for k, v in (("true", spec.feedback_true), ("false", spec.feedback_false)) if v)]
    if isinstance(spec, scoring.Numeric):
        return [f"Answer: {spec.answer} ± {spec.tolerance}{(' ' + spec.unit) if spec.unit else ''}"]
    if isinstance(spec, scoring.ShortText):
        return [f"Accepted: {a}" for a in spec.accepted]
    if isinstance(spec, scoring.Ordering):
        return [f"{n}. {item.text}" for n, item in enumerate(spec.items, start=1)]
    if isinstance(spec, scoring.Matching):
        return [f"{p.prompt} → {p.answer}" for p in spec.pairs]
    if isinstance(spec, scoring.ScenarioJudgement):
        return [f"Situation: {spec.situation}", *(f"{o.text}: {o.points} point(s){fb(o.feedback)}" for o in spec.options)]
    if isinstance(spec, scoring.Written):
        return [f"Grading guidance: {spec.guidance}"] if spec.guidance else ["Graded by the employee's manager"]
    return []


def editable_quiz(request, quiz_pk) -> QuizPage:
    """The quiz, if this person may edit it; 404 otherwise (as the statistics views answer)."""
    quiz = get_object_or_404(QuizPage, pk=quiz_pk)
    if not quiz.permissions_for_user(request.user).can_edit():
        raise Http404
    return quiz


class QuestionImportView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "assessments/question_import/import.html"
    header_icon = "download"

    def dispatch(self, request, *args, **kwargs):
        self.quiz = editable_quiz(request, kwargs["quiz_pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"{TITLE}: {self.quiz.title}"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("wagtailadmin_pages:edit", args=[self.quiz.pk]), "label": self.quiz.title},
            {"url": "", "label": TITLE},
        ]

    def get_context_data(self, **kwargs):
        exports = [
            {"label": label, "url": f"{reverse('question_export', args=[self.quiz.pk])}?format={key}", "notes": quiz_export(quiz=self.quiz, fmt=key).notes}
            for key, (label, _e, _m) in EXPORTS.items()
        ]
        return super().get_context_data(quiz=self.quiz, exports=exports, max_mb=MAX_BYTES // 1024 // 1024, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=ImportForm()))

    def post(self, request, *args, **kwargs):
        if "confirm" in request.POST:
            return self.confirm(request)
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            preview = import_preview(quiz=self.quiz, data=form.cleaned_data["data"], fmt=form.cleaned_data["format"] or None)
        except UnreadableFile as error:
            form.add_error(None, str(error))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        return self.render_preview(preview)

    def render_preview(self, preview, status=200):
        confirm = ConfirmForm(initial={"text": preview.text, "format": preview.format, "skip_duplicates": True})
        rows = [{"question": q, "lines": describe(q.spec)} for q in preview.questions]
        return self.render_to_response(self.get_context_data(preview=preview, rows=rows, confirm_form=confirm), status=status)

    def confirm(self, request):
        form = ConfirmForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=ImportForm(), stale="The import form was incomplete; start again."), status=400)
        try:
            preview = import_preview(quiz=self.quiz, data=form.cleaned_data["text"].encode("utf-8"), fmt=form.cleaned_data["format"])
        except UnreadableFile as error:
            imports = ImportForm()
            return self.render_to_response(self.get_context_data(form=imports, stale=str(error)), status=400)
        revision, added = questions_import(
            quiz=self.quiz, preview=preview, user=request.user, skip_duplicates=form.cleaned_data["skip_duplicates"]
        )
        if added:
            messages.success(request, f"{added} question(s) added to “{self.quiz.title}” as a draft. Review and publish the quiz to use them.")
        else:
            messages.warning(request, "No questions were added: every question is already in the pool.")
        return redirect("wagtailadmin_pages:edit", self.quiz.pk)


def question_export(request, quiz_pk):
    quiz = editable_quiz(request, quiz_pk)
    fmt = request.GET.get("format", "")
    if fmt not in EXPORTS:
        return HttpResponse(f"Choose format=gift or format=moodle-xml, not “{fmt}”.", status=400, content_type="text/plain; charset=utf-8")
    _label, extension, mime = EXPORTS[fmt]
    export = quiz_export(quiz=quiz, fmt=fmt)
    response = HttpResponse(export.text, content_type=f"{mime}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{quiz.slug}-questions.{extension}"'
    return response
