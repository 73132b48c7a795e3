from django.urls import path

from training.dashboards import views

urlpatterns = [
    path("", views.my_learning, name="my_learning"),
    path("team/", views.team, name="team"),
    path("team/<id:employee_id>/", views.team_member, name="team_member"),
    path("team/<id:employee_id>/unlock/", views.team_member_unlock, name="team_member_unlock"),
    path("team/<id:employee_id>/time/", views.team_member_time, name="team_member_time"),
    path("team/<id:employee_id>/time/<id:accommodation_id>/end/", views.team_member_time_end, name="team_member_time_end"),
    path("team/<id:employee_id>/invite/", views.team_member_invite, name="team_member_invite"),
]
