-- DatasetBuilder accounting on top of 003: which unit made each VLM call and which attempts failed (by kind),
-- replies that could not be parsed (kept raw), inputs that were skipped, and the row ids that make exact
-- deduplication hold across the units of a dataset.
ALTER TABLE npedit.vlm_calls
    ADD COLUMN unit       integer,
    ADD COLUMN from_cache boolean NOT NULL DEFAULT false,
    ADD COLUMN failures   jsonb NOT NULL DEFAULT '{}'::jsonb;
CREATE INDEX vlm_calls_unit_idx ON npedit.vlm_calls (dataset_id, unit);

ALTER TABLE npedit.dataset_units
    ADD COLUMN started_at  timestamptz,
    ADD COLUMN finished_at timestamptz,
    ADD COLUMN duplicates  integer;

ALTER TABLE npedit.datasets
    ADD COLUMN units                integer,
    ADD COLUMN near_duplicate_rate  double precision,
    ADD COLUMN exact_duplicates     integer;

-- A reply the parsers could not read (or that said "cannot tell"): nothing was invented, the raw text is kept.
CREATE TABLE npedit.dataset_rejects (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dataset_id  bigint NOT NULL REFERENCES npedit.datasets (id) ON DELETE CASCADE,
    unit        integer NOT NULL,
    source_id   text NOT NULL,
    prompt      text NOT NULL,
    reason      text NOT NULL,
    raw_reply   text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dataset_rejects_unit_idx ON npedit.dataset_rejects (dataset_id, unit);

-- An input image that was not sent: corrupt, too small, too large.
CREATE TABLE npedit.dataset_skips (
    dataset_id  bigint NOT NULL REFERENCES npedit.datasets (id) ON DELETE CASCADE,
    unit        integer NOT NULL,
    source_id   text NOT NULL,
    reason      text NOT NULL,
    PRIMARY KEY (dataset_id, unit, source_id)
);

-- Row ids (sha256 of source image + normalised instruction) claimed by a unit: a second unit holding the same
-- image and instruction drops the row, so a dataset never has an exact duplicate, whatever order units run in.
CREATE TABLE npedit.dataset_rows (
    dataset_id      bigint NOT NULL REFERENCES npedit.datasets (id) ON DELETE CASCADE,
    row_id          text NOT NULL,
    unit            integer NOT NULL,
    instruction_key text NOT NULL,
    PRIMARY KEY (dataset_id, row_id)
);
