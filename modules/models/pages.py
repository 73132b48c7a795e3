"""The course tree: CatalogPage -> CoursePage -> LessonPage (QuizPage joins under CoursePage)."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from modules.blocks import LessonBodyBlock
from modules.blocks.questions import QuizQuestionsBlock, question_specs


# Upper bounds for the editor's number fields: the database would take far more (SQLite up to
# 2**63 - 1), but a time limit or validity that large makes a later date impossible, and the quiz
# start or the certificate then fails for the employee. Bounds a real course never reaches.
MAX_MINUTES = 10_000  # a course or lesson's estimated time (about a week of work)
MAX_TIME_LIMIT_MINUTES = 24 * 60  # a quiz's time limit: one day
MAX_VALIDITY_MONTHS = 1200  # a certificate's validity: 100 years
MAX_ATTEMPTS = 1000
MAX_QUESTIONS = 1000


class LoginRequiredMixin:
    """Training content is for signed-in staff: anonymous visitors are sent to the login page.
    Templates get `employee` (None for accounts without an employee profile, e.g. editors)."""

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        user = request.user
        context["employee"] = getattr(user, "employee", None) if user.is_authenticated else None
        return context

    def get_view_restrictions(self):
        """Wagtail's check (this page's and its ancestors' restrictions) costs two queries on every
        view; the cached course tree knows whether any applies, and Wagtail's own check runs only then."""
        from modules.course_tree import course_tree

        if self.pk and self.path and not course_tree().is_guarded(self):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class CourseChildMixin(LoginRequiredMixin):
    """Lessons and quizzes show their course's outline and progress."""

    def get_context(self, request, *args, **kwargs):
        from modules.course_tree import course_of

        context = super().get_context(request, *args, **kwargs)
        context["course"] = course_of(self)
        return context


class CatalogPage(LoginRequiredMixin, Page):
    """The list of courses; usually the site's home page."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["modules.CoursePage"]
    template = "modules/catalog_page.html"

    def get_context(self, request, *args, **kwargs):
        from modules.course_tree import course_tree

        context = super().get_context(request, *args, **kwargs)
        context["courses"] = course_tree().courses_under(self)
        return context

    def route(self, request, path_components):
        """A course, lesson or quiz in one query through the cached course tree, instead of two
        per tree level; anything the tree does not know goes through Wagtail's routing."""
        from modules.course_tree import route_in_tree

        if path_components:
            page = route_in_tree(self.url_path + "/".join(path_components) + "/")
            if page is not None:
                return page.route(request, [])
        return super().route(request, path_components)


class CoursePage(LoginRequiredMixin, Page):
    """A course: an ordered sequence of lessons and quizzes under one catalog.

    Its last live quiz is the final assessment: recertification (a new cycle, see
    `assessments.cycles`) means passing it again; `recertification_repeats_lessons` asks for
    everything else again too.
    """

    intro = RichTextField(blank=True, features=["bold", "italic", "link", "ul", "ol"])
    estimated_minutes = models.PositiveIntegerField(
        default=30, validators=[MaxValueValidator(MAX_MINUTES)], help_text="How long the whole course takes."
    )
    certificate_validity_months = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(MAX_VALIDITY_MONTHS)],
        help_text="How long a certificate stays valid; 0 = it never expires.",
    )
    certificate_template = models.ForeignKey(
        "assessments.CertificateTemplate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Leave empty for the default template.",
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The course's badge image: the picture wallets show for its verifiable credential (Open Badges). "
        "A square image of at least 400 x 400 pixels works best.",
    )
    recertification_repeats_lessons = models.BooleanField(
        default=False,
        help_text="When a certificate comes up for renewal, every lesson and lesson quiz must be done again. "
        "Off: lessons done earlier stay done and only the final assessment (the last quiz) is taken again.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("estimated_minutes"),
        MultiFieldPanel(
            [
                FieldPanel("certificate_validity_months"),
                FieldPanel("certificate_template"),
                FieldPanel("image"),
                FieldPanel("recertification_repeats_lessons"),
            ],
            heading="Certificate",
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["modules.CatalogPage"]
    subpage_types = ["modules.LessonPage", "modules.QuizPage"]
    template = "modules/course_page.html"



class LessonPage(CourseChildMixin, Page):
    """One lesson: a StreamField body of text, media and the interactive loyalty blocks."""

    summary = models.CharField(max_length=255, blank=True, help_text="One line shown in course listings.")
    estimated_minutes = models.PositiveIntegerField(default=10, validators=[MaxValueValidator(MAX_MINUTES)])
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
    is_quiz = False


class QuizPage(CourseChildMixin, Page):
    """A quiz: a pool of questions and the rules of an attempt.

    The page shows the rules and the employee's attempts; taking the quiz happens in the
    assessments views, which freeze the drawn questions into an Attempt. Editing the page never
    changes a recorded attempt.
    """

    class GradingPolicy(models.TextChoices):
        HIGHEST = "highest", "Highest attempt"
        LATEST = "latest", "Latest attempt"
        FIRST = "first", "First attempt"
        AVERAGE = "average", "Average of attempts"

    class FeedbackShown(models.TextChoices):
        AFTER_SUBMIT = "after_submit", "After each submitted attempt"
        AFTER_PASS = "after_pass", "Only once the employee has passed"
        NEVER = "never", "Never (score only)"

    class Layout(models.TextChoices):
        ONE_PER_PAGE = "one_per_page", "One question per page"
        ALL_ON_ONE = "all_on_one", "All questions on one page"

    intro = RichTextField(blank=True, features=["bold", "italic", "link", "ul", "ol"])
    pass_mark = models.PositiveSmallIntegerField(
        default=70, validators=[MinValueValidator(0), MaxValueValidator(100)], help_text="Percentage needed to pass."
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(MAX_ATTEMPTS)], help_text="0 = unlimited."
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(MAX_TIME_LIMIT_MINUTES)], help_text="0 = no time limit."
    )
    questions_per_attempt = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(MAX_QUESTIONS)],
        help_text="How many questions to draw from the pool for each attempt; 0 = all of them.",
    )
    shuffle_questions = models.BooleanField(default=False)
    shuffle_choices = models.BooleanField(default=True)
    grading_policy = models.CharField(max_length=10, choices=GradingPolicy.choices, default=GradingPolicy.HIGHEST)
    feedback_shown = models.CharField(max_length=12, choices=FeedbackShown.choices, default=FeedbackShown.AFTER_SUBMIT)
    layout = models.CharField(max_length=12, choices=Layout.choices, default=Layout.ALL_ON_ONE)
    questions = StreamField(QuizQuestionsBlock(), blank=True, help_text="The question pool.")

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("pass_mark"),
                FieldPanel("attempts_allowed"),
                FieldPanel("time_limit_minutes"),
                FieldPanel("questions_per_attempt"),
                FieldPanel("shuffle_questions"),
                FieldPanel("shuffle_choices"),
                FieldPanel("grading_policy"),
                FieldPanel("feedback_shown"),
                FieldPanel("layout"),
            ],
            heading="Rules",
        ),
        FieldPanel("questions"),
    ]
    parent_page_types = ["modules.CoursePage"]
    subpage_types = []
    template = "modules/quiz_page.html"
    is_quiz = True

    def clean(self):
        super().clean()
        pool = len(self.questions)
        if self.questions_per_attempt > pool:
            raise ValidationError(
                {"questions_per_attempt": f"The pool has only {pool} question(s); draw at most {pool}, or 0 for all."}
            )

    def question_specs(self):
        return question_specs(self.questions)

