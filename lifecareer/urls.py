from django.contrib import admin
from django.urls import include, path

from core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("privacy/", core_views.privacy, name="privacy"),
    path("accessibility/", core_views.accessibility, name="accessibility"),
    path("healthz", core_views.healthz, name="healthz"),
    path("bench/hello", core_views.hello, name="bench-hello"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("diagnosis/", include("diagnosis.urls")),
    # Before the includes at "" below, which are tried pattern by pattern (none of them
    # starts with api/): an API request was resolved through ~25 patterns first.
    path("api/", include("api.urls")),
    path("services/", include("catalog.urls")),
    path("plans/", include("journeys.urls")),
    path("guide-maps/", include("journeys.browse_urls")),
    path("accounts/", include("accounts.urls")),
    path("", include("outcomes.urls")),  # /me/outcomes/ before /me/
    path("me/", include("accounts.me_urls")),
    path("programmes/", include("programmes.urls")),
    path("notifications/", include("notifications.urls")),
    path("courses/", include("courses.urls")),
    path("centres/", include("centres.urls")),
    path("aftercare/", include("aftercare.urls")),
    path("insights/", include("insights.urls")),
    path("", include("counselling.urls")),
    path("", include("referrals.urls")),
    path("admin/", admin.site.urls),
]
