"""Superusers may edit the online courses (reference data). Employer requests are handled
on the operators' screens (/courses/staff/…), which check access and log reads."""

from __future__ import annotations

from django.contrib import admin

from courses.models import Lesson, OnlineCourse


class LessonInline(admin.StackedInline):
    model = Lesson
    extra = 0
    ordering = ["order"]


@admin.register(OnlineCourse)
class OnlineCourseAdmin(admin.ModelAdmin):
    list_display = ["title_ko", "slug", "order", "illustrative"]
    search_fields = ["title_ko", "slug"]
    inlines = [LessonInline]
