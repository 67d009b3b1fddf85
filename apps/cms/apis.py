"""pages/ of the API contract: the published CMS pages (public)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.cms import selectors
from apps.cms.serializers import ContentPageDetailOut, ContentPageOut


class ContentPageListApi(ListAPIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    serializer_class = ContentPageOut
    filter_backends: list = []

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.published_pages()  # a cached list; the paginator slices it

    @extend_schema(tags=["pages"], summary="Published pages, by their order then title", auth=[])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class ContentPageDetailApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(tags=["pages"], responses={200: ContentPageDetailOut}, summary="One published page", auth=[])
    def get(self, request: Request, slug: str) -> Response:
        return Response(ContentPageDetailOut(selectors.published_page(slug=slug)).data)
