-- A learner states an age band when joining, never a birth date. Under 14, a linked parent is the
-- consent that Italian law asks for before the learner's badges leave Officina.
ALTER TABLE users ADD COLUMN age_band TEXT CHECK (age_band IN ('under_14', '14_plus'));
