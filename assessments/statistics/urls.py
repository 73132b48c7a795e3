"""Question statistics in the admin, under /admin/reports/questions/ (training/urls.py includes this
at /admin/reports/): for HR and for editors of quizzes (the detail view checks the quiz)."""

from django.urls import path
from wagtail.utils.urlpatterns import decorate_urlpatterns

from assessments.statistics.selectors import can_see_any_quiz_statistics
from assessments.statistics.views import QuestionStatisticsIndexView, QuizQuestionStatisticsView
from training.admin_access import admin_area

urlpatterns = decorate_urlpatterns(
    [
        path("questions/", QuestionStatisticsIndexView.as_view(), name="question_statistics"),
        path("questions/<id:quiz_pk>/", QuizQuestionStatisticsView.as_view(), name="question_statistics_quiz"),
    ],
    admin_area(lambda user: can_see_any_quiz_statistics(user=user)),
)
