-- One search box that knows the town: trigram indexes for typo-tolerant name lookups on the
-- places, groenvakken and voorzieningen (adres.straatnaam and straat.naam have theirs in 0008),
-- and a btree for a bare postcode.

CREATE INDEX gebied_naam_trgm_idx ON gebied USING gin (naam gin_trgm_ops);
CREATE INDEX groenvak_naam_trgm_idx ON groenvak USING gin (naam gin_trgm_ops);
CREATE INDEX groenvak_extern_id_upper_idx ON groenvak (upper(extern_id));
CREATE INDEX voorziening_naam_trgm_idx ON voorziening USING gin (naam gin_trgm_ops);
