"""Counselling URLs: the citizen's booking pages, the counsellor's workspace and the
centre lead's pages, each part in its own module."""

from __future__ import annotations

from django.urls import URLPattern

from counselling import urls_lead

app_name = "counselling"

urlpatterns: list[URLPattern] = [*urls_lead.urlpatterns]
