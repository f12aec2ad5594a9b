-- The model's own "no" verdicts per unit (App. D): instructions the validity check called invalid, and images the
-- prominent-object check found without a single central object. Neither is a failure or a reject; both explain
-- why a unit has fewer rows than it asked for. Replaced with the rest of a unit's accounting when it finishes.
ALTER TABLE npedit.dataset_units
    ADD COLUMN invalid_instructions integer,
    ADD COLUMN not_prominent_images integer;
