# PostgreSQL with PostGIS and pgRouting (routing over the street network), from the Debian
# packages of the official PostgreSQL image's repository.
FROM postgres:16-bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-16-postgis-3 postgresql-16-pgrouting \
 && rm -rf /var/lib/apt/lists/*
