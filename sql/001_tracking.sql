-- Experiment tracking, MLflow-like: experiments -> runs with params, tags, metric histories and artifacts.
CREATE TABLE npedit.experiments (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    description text,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE npedit.runs (
    id            uuid PRIMARY KEY,
    experiment_id bigint NOT NULL REFERENCES npedit.experiments (id),
    name          text,
    kind          text NOT NULL DEFAULT 'train',
    status        text NOT NULL DEFAULT 'queued'
                  CHECK (status IN ('queued', 'running', 'finished', 'failed', 'cancelled')),
    config        jsonb NOT NULL,
    -- sha256 of the canonical resolved config: resubmitting the same config finds the same run.
    config_hash   text NOT NULL,
    git_sha       text,
    host          text,
    device        text,
    job_id        text,
    error         text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    started_at    timestamptz,
    ended_at      timestamptz,
    UNIQUE (experiment_id, config_hash)
);
CREATE INDEX runs_status_idx ON npedit.runs (status);

-- The config flattened to dotted keys (optimizer.lr -> '2e-06') so runs can be filtered in plain SQL.
CREATE TABLE npedit.run_params (
    run_id uuid NOT NULL REFERENCES npedit.runs (id) ON DELETE CASCADE,
    key    text NOT NULL,
    value  text NOT NULL,
    PRIMARY KEY (run_id, key)
);
CREATE INDEX run_params_key_value_idx ON npedit.run_params (key, value);

CREATE TABLE npedit.run_tags (
    run_id uuid NOT NULL REFERENCES npedit.runs (id) ON DELETE CASCADE,
    key    text NOT NULL,
    value  text NOT NULL,
    PRIMARY KEY (run_id, key)
);

CREATE TABLE npedit.metrics (
    run_id    uuid NOT NULL REFERENCES npedit.runs (id) ON DELETE CASCADE,
    key       text NOT NULL,
    step      bigint NOT NULL,
    value     double precision NOT NULL,
    wall_time timestamptz NOT NULL,
    PRIMARY KEY (run_id, key, step)
);

CREATE TABLE npedit.artifacts (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id     uuid NOT NULL REFERENCES npedit.runs (id) ON DELETE CASCADE,
    kind       text NOT NULL,
    path       text NOT NULL,
    sha256     text NOT NULL,
    bytes      bigint NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (run_id, path)
);
