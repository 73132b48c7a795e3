from django.urls import path

from assessments.attempts import views
from assessments.certificates import views as certificate_views

urlpatterns = [
    path("quizzes/<id:quiz_id>/start/", views.quiz_start, name="quiz_start"),
    path("attempts/<id:attempt_id>/", views.attempt_take, name="attempt_take"),
    path("attempts/<id:attempt_id>/review/", views.attempt_review, name="attempt_review"),
    path("attempts/<id:attempt_id>/answers/", views.attempt_autosave, name="attempt_autosave"),
    path("attempts/<id:attempt_id>/result/", views.attempt_result, name="attempt_result"),
    path("grading/", views.grading_queue, name="grading_queue"),
    path("grading/<id:response_id>/", views.response_grade_view, name="response_grade"),
    path("certificates/<str:code>/pdf/", certificate_views.certificate_download, name="certificate_download"),
    path("certificates/<str:code>/credential.json", certificate_views.credential_download, name="credential_download"),
    path("certificates/<str:code>/", certificate_views.certificate_manage, name="certificate_manage"),
    path("certificates/<str:code>/revoke/", certificate_views.certificate_action, {"action": "revoke"}, name="certificate_revoke"),
    path("certificates/<str:code>/reissue/", certificate_views.certificate_action, {"action": "reissue"}, name="certificate_reissue"),
]
