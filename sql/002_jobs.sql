-- Jobs: ablation grids and their runs, one-time triggers (the open-source stand-in for Hangfire Pro's batch
-- continuations), and a log of every job execution (which server ran which job, when, with what outcome).
CREATE TABLE npedit.grids (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          text NOT NULL UNIQUE,
    experiment_id bigint NOT NULL REFERENCES npedit.experiments (id),
    source_path   text NOT NULL,
    -- The grid file as submitted last (YAML parsed to JSON); points already expanded keep their runs.
    spec          jsonb NOT NULL,
    submitted_at  timestamptz NOT NULL DEFAULT now(),
    report_path   text,
    reported_at   timestamptz
);

-- One row per grid point (variant × parameter values × seed); the run row holds the resolved config and its hash.
CREATE TABLE npedit.grid_runs (
    grid_id bigint NOT NULL REFERENCES npedit.grids (id) ON DELETE CASCADE,
    run_id  uuid NOT NULL REFERENCES npedit.runs (id) ON DELETE CASCADE,
    point   jsonb NOT NULL,
    PRIMARY KEY (grid_id, run_id)
);

-- "Do this once": the first transaction to insert a key enqueues the job; every later one finds the key and
-- does nothing (e.g. 'finalize-dataset:42', enqueued by whichever unit finished last).
CREATE TABLE npedit.job_triggers (
    key        text PRIMARY KEY,
    job_id     text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE npedit.job_executions (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id     text NOT NULL,
    job_type   text NOT NULL,
    queue      text,
    server_id  text NOT NULL,
    started_at timestamptz NOT NULL DEFAULT now(),
    ended_at   timestamptz,
    outcome    text NOT NULL DEFAULT 'running' CHECK (outcome IN ('running', 'succeeded', 'failed', 'cancelled')),
    error      text
);
CREATE INDEX job_executions_job_idx ON npedit.job_executions (job_id);
