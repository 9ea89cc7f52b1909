-- The distinct street names of the addresses, for the town search. An address search
-- ("Appelakker 14") used to match the street name by trigrams over every address before
-- narrowing by number: in a town of 500,000 addresses "appelhof" is similar to 17,000
-- addresses' street names, and the bitmap of those AND the 14,000 addresses numbered 1 took
-- 15-40 ms. Matched against a few thousand distinct names first, then looked up by
-- (gemeente, straatnaam, huisnummer), it takes well under a millisecond.
-- The table is kept by statement triggers on adres (transition tables: one pass per
-- statement, so a bulk load of 500,000 addresses adds one grouped insert, not a row trigger
-- per address). A name is removed when its last address goes.

CREATE TABLE adres_straatnaam (
    gemeente_code varchar(6) NOT NULL REFERENCES gemeente (code) ON DELETE CASCADE,
    straatnaam text NOT NULL,
    straatnaam_zoek text GENERATED ALWAYS AS (kaart_zoektekst(straatnaam)) STORED,
    PRIMARY KEY (gemeente_code, straatnaam)
);
ALTER TABLE adres_straatnaam ALTER COLUMN straatnaam_zoek SET STATISTICS 10;  -- as in 0012

INSERT INTO adres_straatnaam (gemeente_code, straatnaam)
SELECT DISTINCT gemeente_code, straatnaam FROM adres;

-- Built after the names are in, and without GIN's pending list: new entries of a GIN index
-- wait in an unsorted list that every search reads until VACUUM merges it; for a few thousand
-- names that are seldom added, writing them straight into the index is cheap, and a search
-- right after a bulk load does not read 800 pending names (4-5 ms measured).
CREATE INDEX adres_straatnaam_zoek_trgm_idx ON adres_straatnaam
    USING gin (straatnaam_zoek gin_trgm_ops) WITH (fastupdate = off);
CREATE INDEX adres_straat_nummer_idx ON adres (gemeente_code, straatnaam, huisnummer);

CREATE FUNCTION kaart_adres_straatnamen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM adres_straatnaam;
        RETURN NULL;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO adres_straatnaam (gemeente_code, straatnaam)
        SELECT DISTINCT gemeente_code, straatnaam FROM nieuw
        ON CONFLICT DO NOTHING;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        DELETE FROM adres_straatnaam n
         USING (SELECT gemeente_code, straatnaam FROM oud
                EXCEPT SELECT gemeente_code, straatnaam FROM nieuw) g
         WHERE n.gemeente_code = g.gemeente_code AND n.straatnaam = g.straatnaam
           AND NOT EXISTS (SELECT 1 FROM adres a WHERE a.gemeente_code = g.gemeente_code
                                                   AND a.straatnaam = g.straatnaam);
    ELSIF TG_OP = 'DELETE' THEN
        DELETE FROM adres_straatnaam n
         USING (SELECT DISTINCT gemeente_code, straatnaam FROM oud) g
         WHERE n.gemeente_code = g.gemeente_code AND n.straatnaam = g.straatnaam
           AND NOT EXISTS (SELECT 1 FROM adres a WHERE a.gemeente_code = g.gemeente_code
                                                   AND a.straatnaam = g.straatnaam);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER adres_straatnamen_erbij AFTER INSERT ON adres REFERENCING NEW TABLE AS nieuw
    FOR EACH STATEMENT EXECUTE FUNCTION kaart_adres_straatnamen();
CREATE TRIGGER adres_straatnamen_anders AFTER UPDATE ON adres
    REFERENCING OLD TABLE AS oud NEW TABLE AS nieuw
    FOR EACH STATEMENT EXECUTE FUNCTION kaart_adres_straatnamen();
CREATE TRIGGER adres_straatnamen_weg AFTER DELETE ON adres REFERENCING OLD TABLE AS oud
    FOR EACH STATEMENT EXECUTE FUNCTION kaart_adres_straatnamen();
CREATE TRIGGER adres_straatnamen_leeg AFTER TRUNCATE ON adres
    FOR EACH STATEMENT EXECUTE FUNCTION kaart_adres_straatnamen();
