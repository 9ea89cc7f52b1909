-- One row per background job (an import, a large export). The process that runs a job beats
-- its heart (hartslag_op) every second or so; a job whose heartbeat went stale is marked
-- 'afgebroken' by whoever reads it next. Generic on purpose (soort, status, voortgang,
-- resultaat, hartslag_op), so it can sit beside a job queue later.
CREATE TABLE taak (
    id varchar(40) PRIMARY KEY,
    soort varchar(20) NOT NULL,
    status varchar(10) NOT NULL DEFAULT 'wachtend'
        CHECK (status IN ('wachtend', 'bezig', 'klaar', 'mislukt', 'afgebroken')),
    -- no foreign key: the first gebieden import creates its gemeente inside the job
    gemeente_code varchar(6),
    gebruiker_id integer REFERENCES gebruiker (id) ON DELETE SET NULL,
    voortgang bigint NOT NULL DEFAULT 0,
    totaal bigint,
    parameters jsonb NOT NULL DEFAULT '{}',
    resultaat jsonb,
    fout text,
    proces text,
    aangemaakt_op timestamptz NOT NULL DEFAULT now(),
    bijgewerkt_op timestamptz NOT NULL DEFAULT now(),
    hartslag_op timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX taak_open_idx ON taak (hartslag_op) WHERE status IN ('wachtend', 'bezig');
CREATE INDEX taak_gebruiker_idx ON taak (gebruiker_id);
