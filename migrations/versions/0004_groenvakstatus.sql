-- The groenvak status rule of DOMAIN.md as one inlinable SQL function, so the API and the tiles
-- can compute it from a plain LEFT JOIN on adoptie instead of reading groenvak twice through
-- the view; the view keeps working for everyone else and uses the same function.
CREATE FUNCTION kaart_groenvak_status(zelfbeheer_mogelijk boolean, vervallen_op date,
                                      adoptie_status text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN NOT zelfbeheer_mogelijk OR vervallen_op IS NOT NULL THEN 'niet_beschikbaar'
                WHEN adoptie_status = 'actief' THEN 'in_zelfbeheer'
                WHEN adoptie_status IN ('concept', 'aangevraagd') THEN 'aangevraagd'
                ELSE 'beschikbaar' END
$$;

CREATE OR REPLACE VIEW groenvak_status AS
SELECT g.id AS groenvak_id,
       kaart_groenvak_status(g.zelfbeheer_mogelijk, g.vervallen_op, a.status) AS status,
       a.id AS adoptie_id,
       CASE WHEN a.groepsnaam_openbaar THEN a.groepsnaam END AS openbare_groepsnaam
  FROM groenvak g
  LEFT JOIN adoptie a ON a.groenvak_id = g.id AND a.status IN ('concept', 'aangevraagd', 'actief');
