"""The citizen's booking pages (counselling/views_booking.py)."""

from __future__ import annotations

from django.urls import path

from counselling import views_booking as views

urlpatterns = [
    path("counselling/book/", views.book, name="book"),
    path("counselling/mine/", views.my_bookings, name="my_bookings"),
    path("counselling/mine/<int:booking_id>/", views.booking, name="booking"),
    path("counselling/mine/<int:booking_id>/cancel/", views.cancel_booking, name="cancel_booking"),
    path("counselling/mine/<int:booking_id>/move/", views.move_booking, name="move_booking"),
    path("counselling/mine/<int:booking_id>/calendar.ics", views.booking_ics, name="booking_ics"),
]
