"""The counsellor's pages and the citizen's rebooking link (issue 10, workspace part)."""

from __future__ import annotations

from django.urls import path

from counselling import views_workspace as views

urlpatterns = [
    path("counsellor/", views.workspace, name="workspace"),
    path("counsellor/hours/", views.hours, name="hours"),
    path("counsellor/walk-in/", views.walk_in, name="walk_in"),
    path("counsellor/cases/<int:case_id>/", views.case_detail, name="case"),
    path("counsellor/cases/<int:case_id>/bookings/<int:booking_id>/cancel/", views.cancel_booking, name="cancel_booking"),
    path("counselling/rebook/<int:booking_id>/<int:slot_id>/", views.rebook, name="rebook"),
    path("counselling/rebook/done/<int:booking_id>/", views.rebook_done, name="rebook_done"),
]
