from django.urls import path

from programmes import staff_views, views
from rescue import urls as rescue_urls

app_name = "programmes"

urlpatterns = [
    path("", views.programme_list, name="list"),
    path("sessions/", views.session_search, name="session_search"),
    path("sessions/<int:session_id>/", views.session_detail, name="session_detail"),
    path("sessions/<int:session_id>/enrol/", views.enrol, name="enrol"),
    path("me/", views.my_enrolments, name="my_enrolments"),
    path("enrolments/<int:enrolment_id>/cancel/", views.cancel_enrolment, name="cancel_enrolment"),
    path("enrolments/<int:enrolment_id>/calendar.ics", views.enrolment_calendar, name="enrolment_calendar"),
    path("staff/", staff_views.session_list, name="staff_sessions"),
    path("staff/sessions/new/", staff_views.session_create, name="staff_session_create"),
    path("staff/sessions/<int:session_id>/edit/", staff_views.session_edit, name="staff_session_edit"),
    path("staff/sessions/<int:session_id>/status/", staff_views.session_status, name="staff_session_status"),
    path("staff/sessions/<int:session_id>/roster/", staff_views.roster, name="staff_roster"),
    path("staff/sessions/<int:session_id>/roster.csv", staff_views.roster_csv, name="staff_roster_csv"),
    path("staff/enrolments/<int:enrolment_id>/attendance/", staff_views.attendance, name="staff_attendance"),
    *rescue_urls.urlpatterns,
    # Last: a programme slug could otherwise shadow the paths above.
    path("<slug:slug>/", views.programme_detail, name="detail"),
]
