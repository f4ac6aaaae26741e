# One image for the web and worker processes (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_ENV=production \
    SOLNA_VAR_DIR=/app/var \
    DJANGO_STATIC_ROOT=/app/staticfiles \
    DJANGO_MEDIA_ROOT=/data/media

# WeasyPrint (PDF rendering) needs Pango; fonts for glyphs our embedded font lacks.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY solna_sn solna_sn
COPY reports reports
COPY controls controls
COPY metrics metrics
COPY contracts contracts
RUN pip install .
COPY . .

# Static files are collected at build time; the settings need production-shaped values to load.
RUN DJANGO_SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-build-only \
    DATABASE_URL=postgres://build@localhost/build REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput \
 && useradd --system --uid 1000 --home-dir /app solna \
 && mkdir -p /data/media /app/var && chown -R solna /data /app/var

USER solna
EXPOSE 8000
CMD ["gunicorn", "solna_sn.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
