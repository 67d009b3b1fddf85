"""The API's bearer scheme in the OpenAPI schema: our JWT authentication is simplejwt's, with token versions."""

from __future__ import annotations

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme


class VersionedJWTScheme(SimpleJWTScheme):
    target_class = "apps.accounts.tokens.VersionedJWTAuthentication"
    name = "jwtAuth"
