-- Edit datasets built by the DatasetBuilder: a manifest of datasets, their units of work and shards,
-- and a cache of every completed VLM reply so a rerun never pays for a request twice.
CREATE TABLE npedit.vlm_replies (
    request_hash  text PRIMARY KEY,
    model         text NOT NULL,
    endpoint      text NOT NULL,
    reply         text NOT NULL,
    input_tokens  integer NOT NULL,
    output_tokens integer NOT NULL,
    latency_ms    integer NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE npedit.datasets (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    config      jsonb NOT NULL,
    config_hash text NOT NULL,
    output_dir  text NOT NULL,
    status      text NOT NULL DEFAULT 'building' CHECK (status IN ('building', 'finished', 'failed')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz
);

-- One unit of work = one input slice; it produces exactly one shard. Reruns skip finished units.
CREATE TABLE npedit.dataset_units (
    dataset_id  bigint NOT NULL REFERENCES npedit.datasets (id) ON DELETE CASCADE,
    unit        integer NOT NULL,
    input       text NOT NULL,
    status      text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'finished', 'failed')),
    shard_path  text,
    rows        integer,
    bytes       bigint,
    sha256      text,
    images_in   integer,
    images_skipped integer,
    skipped_reasons jsonb,
    type_counts jsonb,
    error       text,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (dataset_id, unit)
);

-- Every VLM call a dataset made (or found in the cache), for accounting: tokens, latency, failures by kind.
CREATE TABLE npedit.vlm_calls (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dataset_id    bigint REFERENCES npedit.datasets (id) ON DELETE CASCADE,
    request_hash  text NOT NULL,
    prompt        text NOT NULL,
    endpoint      text,
    outcome       text NOT NULL,
    attempts      integer NOT NULL,
    input_tokens  integer NOT NULL DEFAULT 0,
    output_tokens integer NOT NULL DEFAULT 0,
    latency_ms    integer NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX vlm_calls_dataset_idx ON npedit.vlm_calls (dataset_id, outcome);
