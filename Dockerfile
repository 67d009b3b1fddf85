# HBS web/worker image: slim Python, non-root, static files collected at build time.
FROM node:20-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund

FROM python:3.13-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=hbs.settings.production
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 hbs
WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY --from=assets /build/node_modules ./node_modules
COPY --chown=hbs:hbs . .
# collectstatic needs settings to import, not real services or secrets.
RUN DJANGO_SECRET_KEY=build-only JWT_SIGNING_KEY=build-only-not-a-secret-build-only-not-a-secret DATABASE_URL=postgres://build@localhost/build REDIS_URL=redis://localhost:6379/0 \
    python -m hbs.catalogues && python manage.py collectstatic --no-input -v 0 && rm -rf node_modules
USER hbs
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8000/healthz || exit 1
CMD ["uvicorn", "hbs.asgi:application", "--host", "0.0.0.0", "--port", "8000", "--workers", "4", "--proxy-headers"]
