-- Eval runs remember what reports need (005 is applied and checksummed, so the additions live here):
-- the judge's headline metrics in report order, and where the judged images and the benchmark were read from
-- (the qualitative grid shows input | output | ground truth side by side).
ALTER TABLE npedit.eval_runs
    ADD COLUMN metrics        text[] NOT NULL DEFAULT '{}',
    ADD COLUMN outputs_dir    text   NOT NULL DEFAULT '',
    ADD COLUMN benchmark_root text   NOT NULL DEFAULT '';
