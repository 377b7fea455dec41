"""Counselling URLs: the citizen's booking pages, the counsellor's workspace and the
centre lead's pages, each part in its own module."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from counselling import urls_booking, urls_lead, urls_workspace

app_name = "counselling"

urlpatterns: list[URLPattern | URLResolver] = [
    *urls_booking.urlpatterns,
    *urls_workspace.urlpatterns,
    *urls_lead.urlpatterns,
]
