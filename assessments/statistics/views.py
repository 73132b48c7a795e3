"""Question statistics in the Wagtail admin, for HR and for the editors of each quiz.

The list shows the quizzes the user may see with their scored attempts and mean score; the
detail shows assessments.statistics.selectors.quiz_statistics as a table and a score distribution chart.

Links to pages of upper layers (the reports' every-answer export) come through the Wagtail hook
ANSWERS_LINK_HOOK, so this app names no URL of theirs.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail import hooks
from wagtail.admin.views.generic.base import BaseListingView, WagtailAdminTemplateMixin

from assessments.scoring.statistics import BINS
from assessments.statistics.selectors import (
    can_see_any_quiz_statistics,
    can_see_quiz_statistics,
    quiz_statistics,
    quiz_statistics_summaries,
)
from modules.models import QuizPage

TITLE = "Question statistics"
# Functions (quiz, user) -> URL or None: where `user` downloads every answer given on `quiz`.
ANSWERS_LINK_HOOK = "register_quiz_answers_download_url"
ICON = "help"


def _mean(quiz) -> str:
    return "—" if quiz.mean_percentage is None else f"{round(float(quiz.mean_percentage), 1)}%"


class QuestionStatisticsIndexView(BaseListingView):
    page_title = TITLE
    header_icon = ICON
    paginate_by = 50
    index_url_name = "question_statistics"
    columns = [
        TitleColumn("title", label="Quiz", url_name="question_statistics_quiz"),
        Column("course_title", label="Course"),
        Column("scored_attempts", label="Scored attempts"),
        Column("mean_score", label="Mean score", accessor=_mean),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not can_see_any_quiz_statistics(user=request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return quiz_statistics_summaries(user=self.request.user)

    @property
    def no_results_message(self):
        return "There are no quizzes yet."


BAR_AREA = {"left": 40, "top": 20, "slot": 48, "bar": 36, "height": 160}


def distribution_chart(distribution: tuple[int, ...]) -> dict:
    """Geometry of the score distribution's SVG bar chart: one bar per bin, heights scaled to the
    fullest bin, the count written above each bar."""
    tallest = max(distribution, default=0) or 1
    area = BAR_AREA
    bars = []
    for index, count in enumerate(distribution):
        height = round(area["height"] * count / tallest)
        x = area["left"] + index * area["slot"] + (area["slot"] - area["bar"]) // 2
        low = index * 100 // BINS
        high = (index + 1) * 100 // BINS
        bars.append(
            {
                "count": count,
                "label": f"{low}–{high}",
                "range": f"{low}% to 100%" if index == BINS - 1 else f"{low}% to under {high}%",
                "x": x,
                "width": area["bar"],
                "y": area["top"] + area["height"] - height,
                "height": height,
                "text_x": x + area["bar"] // 2,
                "count_y": area["top"] + area["height"] - height - 4,
            }
        )
    return {
        "bars": bars,
        "width": area["left"] * 2 + area["slot"] * len(distribution),
        "height": area["top"] + area["height"] + 40,
        "axis_y": area["top"] + area["height"],
        "label_y": area["top"] + area["height"] + 16,
        "caption_y": area["top"] + area["height"] + 34,
        "axis_x1": area["left"],
        "axis_x2": area["left"] + area["slot"] * len(distribution),
        "middle_x": area["left"] + area["slot"] * len(distribution) // 2,
    }


class QuizQuestionStatisticsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "assessments/statistics/quiz.html"
    header_icon = ICON

    def dispatch(self, request, *args, **kwargs):
        self.quiz = get_object_or_404(QuizPage, pk=kwargs["quiz_pk"])
        if not can_see_quiz_statistics(user=request.user, quiz=self.quiz):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"{TITLE}: {self.quiz.title}"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("question_statistics"), "label": TITLE},
            {"url": "", "label": self.quiz.title},
        ]

    def get_context_data(self, **kwargs):
        stats = quiz_statistics(quiz=self.quiz)
        can_edit = self.quiz.permissions_for_user(self.request.user).can_edit()
        return super().get_context_data(
            quiz=self.quiz,
            course=self.quiz.get_parent(),
            stats=stats,
            chart=distribution_chart(stats.distribution),
            edit_url=reverse("wagtailadmin_pages:edit", args=[self.quiz.pk]) if can_edit else None,
            # HR's audit download of every answer (the reports app registers it).
            answers_url=next(filter(None, (fn(self.quiz, self.request.user) for fn in hooks.get_hooks(ANSWERS_LINK_HOOK))), None),
            **kwargs,
        )
