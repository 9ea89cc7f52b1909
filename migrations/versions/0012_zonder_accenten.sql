-- Search without accents or case: "Cafe" finds "Café", "ubbergseweg" finds "Übbergseweg".
-- unaccent() itself is only STABLE (its dictionary could change), so it cannot go into an
-- index; kaart_zoektekst() names the dictionary by schema and promises IMMUTABLE, which is true
-- as long as nobody edits unaccent.rules. The trigram indexes of 0008 and 0010 are rebuilt on it.

CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;

CREATE FUNCTION kaart_zoektekst(tekst text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN lower(public.unaccent('public.unaccent'::regdictionary, tekst));

DROP INDEX IF EXISTS adres_straatnaam_trgm_idx;
DROP INDEX IF EXISTS straat_naam_trgm_idx;
DROP INDEX IF EXISTS gebied_naam_trgm_idx;
DROP INDEX IF EXISTS groenvak_naam_trgm_idx;
DROP INDEX IF EXISTS voorziening_naam_trgm_idx;

CREATE INDEX adres_straatnaam_zoek_idx ON adres USING gin (kaart_zoektekst(straatnaam) gin_trgm_ops);
CREATE INDEX straat_naam_zoek_idx ON straat USING gin (kaart_zoektekst(naam) gin_trgm_ops);
CREATE INDEX gebied_naam_zoek_idx ON gebied USING gin (kaart_zoektekst(naam) gin_trgm_ops);
CREATE INDEX groenvak_naam_zoek_idx ON groenvak USING gin (kaart_zoektekst(naam) gin_trgm_ops);
CREATE INDEX voorziening_naam_zoek_idx ON voorziening USING gin (kaart_zoektekst(naam) gin_trgm_ops);
