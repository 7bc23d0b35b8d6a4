DROP INDEX IF EXISTS messageattempt_per_endp_unified;
