from django.urls import path

from courses.views import employer, online, staff

app_name = "courses"

# Fixed paths first: a course slug can never be one of RESERVED_SLUGS (see reference.py).
urlpatterns = [
    path("", online.course_list, name="list"),
    path("certificates/", online.certificate_lookup, name="certificate-lookup"),
    path("certificates/<str:code>/", online.certificate_verify, name="certificate-verify"),
    path("employer/", employer.employer_home, name="employer"),
    path("employer/request/", employer.employer_request_new, name="employer-request"),
    path("employer/<int:pk>/", employer.employer_request_detail, name="employer-detail"),
    path("join/<str:token>/", employer.join, name="join"),
    path("join/<str:token>/enrol/", employer.join_enrol, name="join-enrol"),
    path("staff/employer-requests/", staff.request_list, name="staff-requests"),
    path("staff/employer-requests/<int:pk>/", staff.request_detail, name="staff-request"),
    path("<slug:slug>/", online.course_detail, name="detail"),
    path("<slug:slug>/certificate/", online.certificate_page, name="certificate"),
    path("<slug:slug>/certificate.pdf", online.certificate_pdf, name="certificate-pdf"),
    path("<slug:slug>/<int:order>/", online.lesson_detail, name="lesson"),
    path("<slug:slug>/<int:order>/complete/", online.complete_lesson, name="lesson-complete"),
]
