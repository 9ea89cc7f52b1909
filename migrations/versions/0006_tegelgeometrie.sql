-- Vector tiles are Web Mercator (EPSG:3857): every published layer keeps a copy of its geometry
-- in 3857, kept up to date by the database itself, so a tile is filtered on its own GiST index
-- and rendered without transforming anything at request time. ST_Transform(geometry, integer)
-- is IMMUTABLE, so it may compute a stored generated column; no writer ever names the column.

ALTER TABLE groenvak ADD COLUMN geometrie_3857 geometry(MultiPolygon, 3857)
    GENERATED ALWAYS AS (ST_Transform(geometrie, 3857)) STORED;
CREATE INDEX groenvak_geometrie_3857_idx ON groenvak USING gist (geometrie_3857);

ALTER TABLE voorziening ADD COLUMN geometrie_3857 geometry(Point, 3857)
    GENERATED ALWAYS AS (ST_Transform(geometrie, 3857)) STORED;
CREATE INDEX voorziening_geometrie_3857_idx ON voorziening USING gist (geometrie_3857);

ALTER TABLE gebied ADD COLUMN geometrie_3857 geometry(MultiPolygon, 3857)
    GENERATED ALWAYS AS (ST_Transform(geometrie, 3857)) STORED;
CREATE INDEX gebied_geometrie_3857_idx ON gebied USING gist (geometrie_3857);
