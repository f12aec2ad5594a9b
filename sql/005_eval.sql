-- Evaluation (issue 8). An output set = one editor checkpoint run over one benchmark with the few-step sampler;
-- an eval run = one output set judged by one judge (tracked as a npedit.runs row of kind 'eval', so it has an
-- experiment, params and tags). Items keep every raw judge reply; failures are rows with no scores.

CREATE TABLE npedit.eval_output_sets (
    id                uuid PRIMARY KEY,
    checkpoint        text NOT NULL,
    checkpoint_sha256 text NOT NULL,
    benchmark         text NOT NULL,
    sampler_steps     integer NOT NULL,
    seed              bigint NOT NULL,
    directory         text NOT NULL,
    config            jsonb NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (checkpoint_sha256, benchmark, sampler_steps, seed, directory)
);

-- One edited image per benchmark item; a rerun skips items that have a row and a file.
CREATE TABLE npedit.eval_outputs (
    output_set_id uuid NOT NULL REFERENCES npedit.eval_output_sets (id) ON DELETE CASCADE,
    item_key      text NOT NULL,
    group_name    text NOT NULL,
    path          text NOT NULL,
    sha256        text NOT NULL,
    generation_ms integer NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (output_set_id, item_key)
);

CREATE TABLE npedit.eval_runs (
    run_id           uuid PRIMARY KEY REFERENCES npedit.runs (id) ON DELETE CASCADE,
    output_set_id    uuid REFERENCES npedit.eval_output_sets (id),
    -- The row name in ablation tables (e.g. 'full', 'no identity question', 'DMD only').
    label            text NOT NULL,
    checkpoint       text NOT NULL,
    benchmark        text NOT NULL,
    judge            text NOT NULL,
    judge_model      text,
    sampler_steps    integer,
    samples_per_item integer NOT NULL DEFAULT 1 CHECK (samples_per_item >= 1),
    config           jsonb NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);

-- One judgment (item × repeated sample). failure IS NOT NULL: excluded from every mean, counted next to it.
CREATE TABLE npedit.eval_items (
    run_id          uuid NOT NULL REFERENCES npedit.eval_runs (run_id) ON DELETE CASCADE,
    item_key        text NOT NULL,
    sample          integer NOT NULL,
    group_name      text NOT NULL,
    in_intersection boolean NOT NULL DEFAULT false,
    output_path     text NOT NULL,
    failure         text,
    -- [{prompt, reply, parsed, latency_ms, input_tokens, output_tokens, attempts}, ...]: every raw reply.
    calls           jsonb NOT NULL DEFAULT '[]',
    latency_ms      integer NOT NULL DEFAULT 0,
    input_tokens    integer NOT NULL DEFAULT 0,
    output_tokens   integer NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, item_key, sample)
);
CREATE INDEX eval_items_failures_idx ON npedit.eval_items (run_id) WHERE failure IS NOT NULL;

CREATE TABLE npedit.eval_scores (
    run_id   uuid NOT NULL,
    item_key text NOT NULL,
    sample   integer NOT NULL,
    metric   text NOT NULL,
    value    double precision NOT NULL,
    PRIMARY KEY (run_id, item_key, sample, metric),
    FOREIGN KEY (run_id, item_key, sample) REFERENCES npedit.eval_items (run_id, item_key, sample) ON DELETE CASCADE
);

-- Means with bootstrap intervals as computed by the evaluator; group_name '' is the macro average over groups.
CREATE TABLE npedit.eval_summaries (
    run_id        uuid NOT NULL REFERENCES npedit.eval_runs (run_id) ON DELETE CASCADE,
    subset        text NOT NULL CHECK (subset IN ('full', 'intersection')),
    metric        text NOT NULL,
    group_name    text NOT NULL,
    mean          double precision,
    ci_low        double precision,
    ci_high       double precision,
    items         integer NOT NULL,
    failures      integer NOT NULL,
    item_variance double precision NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, subset, metric, group_name)
);

-- Per item: the mean over its successful repeated judgments.
CREATE VIEW npedit.eval_item_means AS
SELECT s.run_id, s.item_key, i.group_name, i.in_intersection, s.metric,
       avg(s.value) AS value, count(*) AS samples
FROM npedit.eval_scores s
JOIN npedit.eval_items i USING (run_id, item_key, sample)
GROUP BY s.run_id, s.item_key, i.group_name, i.in_intersection, s.metric;

-- Per group: the mean over items, and the failed judgments of that group (full set and GEdit's intersection subset).
CREATE VIEW npedit.eval_group_means AS
SELECT m.run_id, sub.subset, m.metric, m.group_name,
       avg(m.value) AS mean, count(*) AS items,
       (SELECT count(*) FROM npedit.eval_items f
        WHERE f.run_id = m.run_id AND f.group_name = m.group_name AND f.failure IS NOT NULL
          AND (sub.subset = 'full' OR f.in_intersection)) AS failures
FROM npedit.eval_item_means m
CROSS JOIN (VALUES ('full'), ('intersection')) AS sub (subset)
WHERE sub.subset = 'full' OR m.in_intersection
GROUP BY m.run_id, sub.subset, m.metric, m.group_name;

-- One row per eval run, subset and metric: the macro average over groups, as GEdit-Bench and ImgEdit report it.
CREATE VIEW npedit.eval_leaderboard AS
SELECT x.name AS experiment, r.run_id, r.label, r.checkpoint, r.benchmark, r.judge, r.judge_model,
       r.sampler_steps, r.samples_per_item, g.subset, g.metric,
       avg(g.mean) AS macro_mean, count(*) AS groups, sum(g.items) AS items,
       -- From the judgments, not the groups: a group whose every judgment failed has no mean but its failures count.
       (SELECT count(*) FROM npedit.eval_items f
        WHERE f.run_id = r.run_id AND f.failure IS NOT NULL AND (g.subset = 'full' OR f.in_intersection)) AS failures,
       ru.created_at
FROM npedit.eval_group_means g
JOIN npedit.eval_runs r USING (run_id)
JOIN npedit.runs ru ON ru.id = r.run_id
JOIN npedit.experiments x ON x.id = ru.experiment_id
GROUP BY x.name, r.run_id, r.label, r.checkpoint, r.benchmark, r.judge, r.judge_model,
         r.sampler_steps, r.samples_per_item, g.subset, g.metric, ru.created_at;

-- Tables 3–4 of the paper: one row per variant (label), SC / PQ / Overall (or ImgEdit's score) side by side,
-- with the evaluator's 95% bootstrap interval of the headline metric and the failures excluded.
CREATE VIEW npedit.eval_ablation AS
SELECT l.experiment, l.label, l.benchmark, l.judge, l.sampler_steps, l.subset,
       max(l.macro_mean) FILTER (WHERE l.metric = 'sc')      AS sc,
       max(l.macro_mean) FILTER (WHERE l.metric = 'pq')      AS pq,
       max(l.macro_mean) FILTER (WHERE l.metric = 'overall') AS overall,
       max(l.macro_mean) FILTER (WHERE l.metric = 'score')   AS score,
       max(s.ci_low)  FILTER (WHERE l.metric IN ('overall', 'score')) AS ci_low,
       max(s.ci_high) FILTER (WHERE l.metric IN ('overall', 'score')) AS ci_high,
       max(l.items)    AS items,
       max(l.failures) AS failures,
       l.run_id
FROM npedit.eval_leaderboard l
LEFT JOIN npedit.eval_summaries s
       ON s.run_id = l.run_id AND s.subset = l.subset AND s.metric = l.metric AND s.group_name = ''
GROUP BY l.experiment, l.label, l.benchmark, l.judge, l.sampler_steps, l.subset, l.run_id;
