DROP INDEX IF EXISTS messageattempt_per_endp_no_status;
