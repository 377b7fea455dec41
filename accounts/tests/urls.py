"""The site's URLs plus /me/, until lifecareer/urls.py mounts accounts.me_urls itself."""

from django.urls import include, path

from lifecareer.urls import urlpatterns as site_patterns

urlpatterns = list(site_patterns)
if not any(getattr(p, "namespace", None) == "me" for p in site_patterns):
    urlpatterns.append(path("me/", include("accounts.me_urls")))
