ALTER TABLE eventtype ADD COLUMN retry_schedule jsonb;
