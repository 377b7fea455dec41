from __future__ import annotations

from django.urls import path

from aftercare import views, views_feedback

app_name = "aftercare"

urlpatterns = [
    path("checkin/<str:token>/", views.checkin, name="checkin"),
    path("feedback/<str:about>/<int:about_id>/", views_feedback.feedback, name="feedback"),
]
