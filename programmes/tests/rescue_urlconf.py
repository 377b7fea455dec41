"""The site's URLs with the rescue patterns in the programmes namespace (see rescue_urls.py)."""

from django.urls import URLResolver, include, path

from lifecareer import urls as site
from programmes import rescue_urls
from programmes import urls as programme_urls


def _programme_patterns() -> list:
    wired = {getattr(p, "name", None) for p in programme_urls.urlpatterns}
    if "rescue_offer" in wired:
        return list(programme_urls.urlpatterns)
    *head, slug = programme_urls.urlpatterns
    return [*head, *rescue_urls.urlpatterns, slug]


urlpatterns = [
    path("programmes/", include((_programme_patterns(), "programmes"), namespace="programmes"))
    if isinstance(p, URLResolver) and p.namespace == "programmes"
    else p
    for p in site.urlpatterns
]
