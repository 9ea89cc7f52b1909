# Voorzieningenkaart: production image. Multi-stage; runs as a non-root user.
# Needs DATABASE_URL pointing at PostgreSQL with PostGIS (see compose.yaml).

FROM python:3.11-slim-bookworm AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY app ./app
# Install the dependencies into a venv; the app itself runs from its source folder below.
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-cache-dir --upgrade pip \
 && /opt/venv/bin/pip install --no-cache-dir . \
 && /opt/venv/bin/pip uninstall -y voorzieningenkaart

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH=/opt/venv/bin:$PATH \
    KAART_HOST=0.0.0.0 KAART_PORT=8000
RUN groupadd --system kaart && useradd --system --gid kaart --home-dir /srv/kaart kaart \
 && install -d -o kaart -g kaart /var/lib/kaart/uploads
ENV KAART_DATA_DIR=/var/lib/kaart KAART_UPLOAD_DIR=/var/lib/kaart/uploads
COPY --from=build /opt/venv /opt/venv
WORKDIR /srv/kaart
# The app finds templates, static, data and migrations next to app/, as in the repository;
# they stay owned by root, so the app cannot change its own code.
COPY app ./app
COPY templates ./templates
COPY static ./static
COPY migrations ./migrations
COPY data ./data
COPY alembic.ini ./
USER kaart
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4)" || exit 1
CMD ["python", "-m", "app", "serve"]
