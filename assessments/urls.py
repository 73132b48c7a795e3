from django.urls import path

from assessments import views

urlpatterns = [
    path("quizzes/<int:quiz_id>/start/", views.quiz_start, name="quiz_start"),
    path("attempts/<int:attempt_id>/", views.attempt_take, name="attempt_take"),
    path("attempts/<int:attempt_id>/answers/", views.attempt_autosave, name="attempt_autosave"),
    path("attempts/<int:attempt_id>/result/", views.attempt_result, name="attempt_result"),
    path("grading/", views.grading_queue, name="grading_queue"),
    path("grading/<int:response_id>/", views.response_grade_view, name="response_grade"),
]
