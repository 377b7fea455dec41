from __future__ import annotations

from django.urls import path

from aftercare import views, views_feedback, views_tasks

app_name = "aftercare"

urlpatterns = [
    path("checkin/<str:token>/", views.checkin, name="checkin"),
    path("tasks/<int:task_id>/done/", views_tasks.complete_task, name="complete_task"),
    path("feedback/<str:about>/<int:about_id>/", views_feedback.feedback, name="feedback"),
]
