-- Search without accents or case: "Cafe" finds "Café", "ubbergseweg" finds "Übbergseweg".
-- unaccent() itself is only STABLE (its dictionary could change), so it cannot go into an
-- index or a generated column; kaart_zoektekst() names the dictionary by schema and promises
-- IMMUTABLE, which is true as long as nobody edits unaccent.rules.
-- Each searched name gets a stored copy through it (`naam_zoek`, `straatnaam_zoek`) with the
-- trigram index on that copy: an index on the expression kaart_zoektekst(naam) would work too,
-- but then every candidate row calls the SQL function again (recheck, filter, two similarity
-- scores: about 5 µs a call, 10-40 ms for a typo matching a thousand rows); a column is read.

CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;

CREATE FUNCTION kaart_zoektekst(tekst text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN lower(public.unaccent('public.unaccent'::regdictionary, tekst));

DROP INDEX IF EXISTS adres_straatnaam_trgm_idx;
DROP INDEX IF EXISTS straat_naam_trgm_idx;
DROP INDEX IF EXISTS gebied_naam_trgm_idx;
DROP INDEX IF EXISTS groenvak_naam_trgm_idx;
DROP INDEX IF EXISTS voorziening_naam_trgm_idx;

ALTER TABLE adres ADD COLUMN straatnaam_zoek text
    GENERATED ALWAYS AS (kaart_zoektekst(straatnaam)) STORED;
ALTER TABLE straat ADD COLUMN naam_zoek text GENERATED ALWAYS AS (kaart_zoektekst(naam)) STORED;
ALTER TABLE gebied ADD COLUMN naam_zoek text GENERATED ALWAYS AS (kaart_zoektekst(naam)) STORED;
ALTER TABLE groenvak ADD COLUMN naam_zoek text GENERATED ALWAYS AS (kaart_zoektekst(naam)) STORED;
ALTER TABLE voorziening ADD COLUMN naam_zoek text
    GENERATED ALWAYS AS (kaart_zoektekst(naam)) STORED;

CREATE INDEX adres_straatnaam_zoek_idx ON adres USING gin (straatnaam_zoek gin_trgm_ops);
CREATE INDEX straat_naam_zoek_idx ON straat USING gin (naam_zoek gin_trgm_ops);
CREATE INDEX gebied_naam_zoek_idx ON gebied USING gin (naam_zoek gin_trgm_ops);
CREATE INDEX groenvak_naam_zoek_idx ON groenvak USING gin (naam_zoek gin_trgm_ops);
CREATE INDEX voorziening_naam_zoek_idx ON voorziening USING gin (naam_zoek gin_trgm_ops);

-- Planning: pg_trgm estimates a similarity condition by running it on every entry of the column's
-- statistics (matchingsel), for each of the search's ten trigram conditions; with the default
-- 100 entries that took 2-3 ms of planning per search, with 10 under 1 ms, and the plans stayed.
ALTER TABLE adres ALTER COLUMN straatnaam_zoek SET STATISTICS 10;
ALTER TABLE straat ALTER COLUMN naam_zoek SET STATISTICS 10;
ALTER TABLE gebied ALTER COLUMN naam_zoek SET STATISTICS 10;
ALTER TABLE groenvak ALTER COLUMN naam_zoek SET STATISTICS 10;
ALTER TABLE voorziening ALTER COLUMN naam_zoek SET STATISTICS 10;

-- pg_trgm declares its similarity operators as cheap as `=` (COST 1), so on a few thousand
-- street segments the planner filtered every row (8-17 ms) instead of using the trigram
-- index (0.5 ms). A trigram comparison costs microseconds; PostGIS raises the cost of its
-- index-backed predicates for the same reason. Changing an extension's function needs its
-- owner: without that right the search still works, only less well planned on small tables.
DO $$
BEGIN
    ALTER FUNCTION similarity_op(text, text) COST 100;
    ALTER FUNCTION word_similarity_op(text, text) COST 100;
    ALTER FUNCTION word_similarity_commutator_op(text, text) COST 100;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'pg_trgm: operator costs unchanged (not the owner of its functions)';
END $$;
