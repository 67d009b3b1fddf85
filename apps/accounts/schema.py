"""OpenAPI: the bearer scheme of our JWT authenticator, so each operation that takes a token declares it."""

from __future__ import annotations

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme


class VersionedJWTScheme(SimpleJWTScheme):
    """`Authorization: Bearer <access JWT>`, as simplejwt's own scheme; the token version is checked server side."""

    target_class = "apps.accounts.tokens.VersionedJWTAuthentication"
