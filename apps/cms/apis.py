"""pages/ of the API contract: the published CMS pages (public)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.cms import selectors
from apps.cms.serializers import ContentPageDetailOut, ContentPageOut


class ContentPageListApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(tags=["pages"], responses={200: ContentPageOut(many=True)}, summary="Published pages", auth=[])
    def get(self, request: Request) -> Response:
        return Response(ContentPageOut(selectors.published_pages(), many=True).data)


class ContentPageDetailApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(tags=["pages"], responses={200: ContentPageDetailOut}, summary="One published page", auth=[])
    def get(self, request: Request, slug: str) -> Response:
        return Response(ContentPageDetailOut(selectors.published_page(slug=slug)).data)
