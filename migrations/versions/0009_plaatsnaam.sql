-- A groenvak without a name in its source is named after its place, as a resident would say
-- it: "Plantsoen bij Akkerweg 12–18" (the nearest street and the house numbers on it within
-- 40 m), "Hoek Akkerweg/Lindelaan" (grass at a crossing), "Berm Molenweg" (grass along a
-- street with no houses facing it), "Grasveld in Algemene begraafplaats" (inside a named
-- terrein). plaatsnaam_basis is that name; plaatsnaam adds " (2)", " (3)" … where two plots
-- of one gemeente would otherwise share it.

ALTER TABLE groenvak ADD COLUMN plaatsnaam_basis text, ADD COLUMN plaatsnaam text;
CREATE INDEX groenvak_plaatsnaam_idx ON groenvak (gemeente_code, plaatsnaam);

CREATE FUNCTION kaart_plaatsnaam_basis(g geometry, gem varchar, soort text)
RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
    woord text := CASE soort WHEN 'gras' THEN 'Grasveld' WHEN 'heesters' THEN 'Plantsoen'
                             WHEN 'haag' THEN 'Haag' WHEN 'boomspiegel' THEN 'Boomspiegel'
                             WHEN 'bloemenperk' THEN 'Bloemperk'
                             WHEN 'bosplantsoen' THEN 'Bosplantsoen'
                             WHEN 'moestuin' THEN 'Moestuin' ELSE 'Groen' END;
    p geometry := ST_PointOnSurface(g);
    terrein_naam text;
    s record;
    hoek text;
    laag integer;
    hoog integer;
BEGIN
    SELECT CASE WHEN t.soort = 'park' AND t.naam !~* '^park' THEN 'Park ' || t.naam
                ELSE t.naam END
      INTO terrein_naam FROM terrein t
     WHERE t.gemeente_code = gem AND t.naam IS NOT NULL AND ST_Intersects(t.geometrie, p)
     ORDER BY t.id LIMIT 1;
    IF terrein_naam IS NOT NULL THEN
        RETURN woord || ' in ' || terrein_naam;
    END IF;
    -- the nearest street for cars and people living on it (KNN on the GiST index)
    SELECT st.naam, st.geometrie INTO s FROM straat st
     WHERE st.gemeente_code = gem AND st.soort NOT IN ('fietspad', 'voetpad')
     ORDER BY st.geometrie <-> g LIMIT 1;
    IF s IS NULL OR ST_Distance(s.geometrie, g) > 150 THEN
        RETURN woord || coalesce(' in ' || (
            SELECT b.naam FROM gebied b WHERE b.gemeente_code = gem AND b.soort = 'buurt'
               AND ST_Intersects(b.geometrie, p) ORDER BY b.id LIMIT 1), '');
    END IF;
    SELECT min(a.huisnummer), max(a.huisnummer) INTO laag, hoog FROM adres a
     WHERE a.gemeente_code = gem AND a.straatnaam = s.naam AND ST_DWithin(a.geometrie, g, 40);
    IF laag IS NOT NULL THEN
        RETURN woord || ' bij ' || s.naam || ' ' || laag
               || CASE WHEN hoog > laag THEN '–' || hoog ELSE '' END;
    END IF;
    -- a crossing: another named street meeting this one within 20 m of the plot
    SELECT o.naam INTO hoek FROM straat o
     WHERE o.gemeente_code = gem AND o.soort NOT IN ('fietspad', 'voetpad')
       AND o.naam <> s.naam AND ST_DWithin(o.geometrie, g, 20)
       AND ST_DWithin(o.geometrie, s.geometrie, 1)
     ORDER BY o.geometrie <-> g LIMIT 1;
    IF hoek IS NOT NULL THEN
        RETURN CASE WHEN soort = 'gras' THEN 'Hoek ' ELSE woord || ' hoek ' END
               || s.naam || '/' || hoek;
    END IF;
    RETURN CASE WHEN soort = 'gras' THEN 'Berm' ELSE woord END || ' ' || s.naam;
END $$;

-- The basis, or the basis with the lowest free " (n)" in the gemeente (a row on its own).
CREATE FUNCTION kaart_plaatsnaam_uniek(gem varchar, basis text, zelf integer)
RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
    n integer := 1;
    kandidaat text := basis;
BEGIN
    IF basis IS NULL THEN
        RETURN NULL;
    END IF;
    WHILE EXISTS (SELECT 1 FROM groenvak WHERE gemeente_code = gem AND plaatsnaam = kandidaat
                     AND id IS DISTINCT FROM zelf) LOOP
        n := n + 1;
        kandidaat := basis || ' (' || n || ')';
    END LOOP;
    RETURN kandidaat;
END $$;

-- A groenvak that is added, moves or changes soort is named again. A bulk load that names
-- its rows afterwards with kaart_plaats_groenvakken says so with
-- set_config('kaart.plaatsnaam_later', 'ja', true).
CREATE FUNCTION kaart_groenvak_plaatsnaam() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('kaart.plaatsnaam_later', true) = 'ja' THEN
        RETURN NEW;
    END IF;
    NEW.plaatsnaam_basis := kaart_plaatsnaam_basis(NEW.geometrie, NEW.gemeente_code, NEW.soort);
    NEW.plaatsnaam := kaart_plaatsnaam_uniek(NEW.gemeente_code, NEW.plaatsnaam_basis, NEW.id);
    RETURN NEW;
END $$;

CREATE TRIGGER groenvak_plaatsnaam
    BEFORE INSERT OR UPDATE OF geometrie, soort, gemeente_code ON groenvak
    FOR EACH ROW EXECUTE FUNCTION kaart_groenvak_plaatsnaam();

-- Name every groenvak of a gemeente again, set-based (after streets or addresses were
-- (re)loaded, or after a bulk load); numbers shared names along the plots' order of id.
-- Returns the number of groenvakken whose name changed.
CREATE FUNCTION kaart_plaats_groenvakken(gem varchar) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    changed integer;
BEGIN
    CREATE TEMP TABLE IF NOT EXISTS kaart_plaatsnamen
        (id integer PRIMARY KEY, basis text, naam text) ON COMMIT DROP;
    TRUNCATE kaart_plaatsnamen;
    INSERT INTO kaart_plaatsnamen (id, basis)
    SELECT id, kaart_plaatsnaam_basis(geometrie, gemeente_code, soort)
      FROM groenvak WHERE gemeente_code = gem;
    UPDATE kaart_plaatsnamen k SET naam = n.naam FROM (
        SELECT id, basis || CASE WHEN row_number() OVER w = 1 THEN ''
                                 ELSE ' (' || row_number() OVER w || ')' END AS naam
          FROM kaart_plaatsnamen WINDOW w AS (PARTITION BY basis ORDER BY id)) n
     WHERE n.id = k.id;
    UPDATE groenvak g SET plaatsnaam_basis = k.basis, plaatsnaam = k.naam
      FROM kaart_plaatsnamen k
     WHERE g.id = k.id
       AND (g.plaatsnaam_basis, g.plaatsnaam) IS DISTINCT FROM (k.basis, k.naam);
    GET DIAGNOSTICS changed = ROW_COUNT;
    RETURN changed;
END $$;

SELECT kaart_plaats_groenvakken(code) FROM gemeente;
