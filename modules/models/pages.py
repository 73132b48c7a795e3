"""The course tree: CatalogPage -> CoursePage -> LessonPage (QuizPage joins under CoursePage)."""

from django.contrib.auth.views import redirect_to_login
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from modules.blocks import LessonBodyBlock


class LoginRequiredMixin:
    """Training content is for signed-in staff: anonymous visitors are sent to the login page."""

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().serve(request, *args, **kwargs)


def _employee(request):
    return getattr(request.user, "employee", None) if request.user.is_authenticated else None


class CatalogPage(LoginRequiredMixin, Page):
    """The list of courses; usually the site's home page."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["modules.CoursePage"]
    template = "modules/catalog_page.html"

    def get_context(self, request, *args, **kwargs):
        from modules.selectors import courses_progress

        context = super().get_context(request, *args, **kwargs)
        courses = CoursePage.objects.live().child_of(self).order_by("path")
        context["employee"] = employee = _employee(request)
        context["progress_list"] = courses_progress(employee=employee, courses=courses)
        return context


class CoursePage(LoginRequiredMixin, Page):
    """A course: an ordered sequence of lessons (and, later, quizzes) under one catalog."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link", "ul", "ol"])
    estimated_minutes = models.PositiveIntegerField(default=30, help_text="How long the whole course takes.")

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("estimated_minutes")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["modules.CatalogPage"]
    subpage_types = ["modules.LessonPage"]
    template = "modules/course_page.html"

    def get_context(self, request, *args, **kwargs):
        from modules.selectors import courses_progress

        context = super().get_context(request, *args, **kwargs)
        context["employee"] = employee = _employee(request)
        context["progress"] = courses_progress(employee=employee, courses=[self])[0]
        return context


class LessonPage(LoginRequiredMixin, Page):
    """One lesson: a StreamField body of text, media and the interactive loyalty blocks."""

    summary = models.CharField(max_length=255, blank=True, help_text="One line shown in course listings.")
    estimated_minutes = models.PositiveIntegerField(default=10)
    body = StreamField(LessonBodyBlock(), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("estimated_minutes"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["modules.CoursePage"]
    subpage_types = []
    template = "modules/lesson_page.html"

    def get_context(self, request, *args, **kwargs):
        from modules.selectors import courses_progress

        context = super().get_context(request, *args, **kwargs)
        context["employee"] = employee = _employee(request)
        course = CoursePage.objects.parent_of(self).first()
        progress = courses_progress(employee=employee, courses=[course])[0] if course else None
        context.update(course=course, progress=progress)
        if progress:
            ids = [lesson.pk for lesson in progress.lessons]
            position = ids.index(self.pk) if self.pk in ids else None
            if position is not None:
                context["previous_lesson"] = progress.lessons[position - 1] if position > 0 else None
                context["next_lesson"] = progress.lessons[position + 1] if position + 1 < len(ids) else None
                context["lesson_number"] = position + 1
            context["is_done"] = self.pk in progress.done_ids
        return context
