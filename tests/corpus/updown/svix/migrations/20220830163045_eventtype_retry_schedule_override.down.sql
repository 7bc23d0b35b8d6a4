ALTER TABLE eventtype DROP COLUMN retry_schedule;
