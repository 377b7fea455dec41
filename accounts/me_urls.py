"""나의 생애경력설계, mounted at /me/ by lifecareer/urls.py:
    path("me/", include("accounts.me_urls")),
"""

from django.urls import path

from accounts import me_views

app_name = "me"

urlpatterns = [
    path("", me_views.dashboard, name="dashboard"),
    path("steps/<int:step_id>/", me_views.toggle_step, name="step"),
    path("timeline/", me_views.timeline_page, name="timeline"),
    path("consents/", me_views.consents_page, name="consents"),
    path("export/", me_views.export, name="export"),
    path("delete/", me_views.delete, name="delete"),
]
