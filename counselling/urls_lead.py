"""The centre lead's pages (counselling namespace)."""

from __future__ import annotations

from django.urls import path

from counselling import views_lead

urlpatterns = [
    path("counsellor/centre/", views_lead.centre_cases, name="centre_cases"),
    path("counsellor/centre/cases/<int:case_id>/", views_lead.centre_case_action, name="centre_case_action"),
    path("counsellor/access-review/", views_lead.review_page, name="access_review"),
    path("counsellor/access-review.csv", views_lead.review_csv, name="access_review_csv"),
    path("counsellor/access-review/done/", views_lead.review_done, name="access_review_done"),
]
