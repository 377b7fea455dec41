from typing import Any

from csp.decorators import csp_update
from django.urls import path
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from api import (
    accounts,
    bookings,
    catalog,
    centres,
    checkins,
    courses,
    diagnosis,
    journeys,
    programmes,
    referrals,
    timeline,
)
from api.errors import document_edge_refusal, install_handlers
from insights import api as insights_api


class LifecareerAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None) -> OpenAPISchema:
        return document_edge_refusal(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))


api = LifecareerAPI(
    title="lifecareer API",
    version="1",
    description="중장년 맞춤형 생애경력설계서비스 공개 API. 오류는 {detail, errors:[{field,message,code}]} 형식입니다.",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    # Swagger UI sets inline styles; relax style-src for the docs page only.
    docs_decorator=csp_update({"style-src": ["'unsafe-inline'"], "img-src": ["'self'", "data:"]}),
)
install_handlers(api)
api.add_router("/v1/diagnosis", diagnosis.router)
api.add_router("/v1", catalog.router)
api.add_router("/v1", journeys.router)
api.add_router("/v1", programmes.router)
api.add_router("/v1", accounts.router)
api.add_router("/v1", courses.router)
api.add_router("/v1", centres.router)
api.add_router("/v1", bookings.router)
api.add_router("/v1", checkins.router)
api.add_router("/v1", referrals.router)
api.add_router("/v1", timeline.router)
api.add_router("/v1", insights_api.router)

urlpatterns = [path("", api.urls)]
