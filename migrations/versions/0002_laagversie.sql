-- A version number per published layer, bumped by every statement that changes it: caches
-- (vector tiles, ETags) compare versions instead of guessing from timestamps.
CREATE TABLE laag_versie (
    laag varchar(30) PRIMARY KEY,
    versie bigint NOT NULL DEFAULT 1,
    gewijzigd_op timestamptz NOT NULL DEFAULT now()
);
INSERT INTO laag_versie (laag) VALUES ('gebieden'), ('voorzieningen'), ('groenvakken');

CREATE FUNCTION kaart_laag_gewijzigd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE laag_versie SET versie = versie + 1, gewijzigd_op = now() WHERE laag = TG_ARGV[0];
    RETURN NULL;
END $$;

CREATE TRIGGER gebied_laag AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON gebied
    FOR EACH STATEMENT EXECUTE FUNCTION kaart_laag_gewijzigd('gebieden');
CREATE TRIGGER voorziening_laag AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON voorziening
    FOR EACH STATEMENT EXECUTE FUNCTION kaart_laag_gewijzigd('voorzieningen');
CREATE TRIGGER categorie_laag AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON categorie
    FOR EACH STATEMENT EXECUTE FUNCTION kaart_laag_gewijzigd('voorzieningen');
CREATE TRIGGER groenvak_laag AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON groenvak
    FOR EACH STATEMENT EXECUTE FUNCTION kaart_laag_gewijzigd('groenvakken');

-- An adoptie changes its groenvak's public status: touch the groenvak so its gewijzigd_op
-- (and with it ETags and the layer version) moves too.
CREATE FUNCTION kaart_adoptie_raakt_groenvak() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE groenvak SET gewijzigd_op = now()
     WHERE id IN (NEW.groenvak_id, CASE WHEN TG_OP = 'UPDATE' THEN OLD.groenvak_id END);
    RETURN NULL;
END $$;

CREATE TRIGGER adoptie_raakt_groenvak
    AFTER INSERT OR UPDATE OF status, groepsnaam, groepsnaam_openbaar, groenvak_id ON adoptie
    FOR EACH ROW EXECUTE FUNCTION kaart_adoptie_raakt_groenvak();
