-- strata upgrade script for oracle
-- 6 steps, starting from an empty database.
-- Each step is followed by its history row; the script stops at the first error.
WHENEVER SQLERROR EXIT FAILURE ROLLBACK
WHENEVER OSERROR EXIT FAILURE ROLLBACK
SET DEFINE OFF
SET SQLBLANKLINES ON
SET SQLTERMINATOR OFF
SET ECHO ON

DECLARE
  n NUMBER;
BEGIN
  SELECT COUNT(*) INTO n FROM user_tables WHERE table_name = UPPER('strata_history');
  IF n = 0 THEN
    EXECUTE IMMEDIATE 'CREATE TABLE strata_history (
  installed_rank NUMBER(10) NOT NULL PRIMARY KEY,
  version VARCHAR2(50),
  description VARCHAR2(200) NOT NULL,
  kind VARCHAR2(20) NOT NULL,
  script VARCHAR2(1000) NOT NULL,
  checksum VARCHAR2(100),
  placeholders VARCHAR2(100),
  installed_by VARCHAR2(100) NOT NULL,
  installed_on TIMESTAMP NOT NULL,
  execution_ms NUMBER(19) NOT NULL,
  success NUMBER(1) NOT NULL,
  rows_affected NUMBER(19)
)';
  END IF;
END;
/

-- 1.8.0: initial schema (V1_8_0__initial_schema.oracle.sql, sha256:e41f30360888be6be951ce36ddde1f4773a1d41d0f1f5b5c19c4153d29e01ee1)
DECLARE
  n NUMBER;
BEGIN
  SELECT COUNT(*) INTO n FROM strata_history a WHERE version = '1.8.0' AND kind <> 'undo'
   AND NOT EXISTS (SELECT 1 FROM strata_history u WHERE u.version = a.version AND u.kind = 'undo'
     AND u.installed_rank > a.installed_rank);
  IF n > 0 THEN
    RAISE_APPLICATION_ERROR(-20001, 'strata: version 1.8.0 is already in strata_history; write a new script with strata plan --dialect oracle --from VERSION');
  END IF;
END;
/
CREATE TABLE am_subscriber (
  subscriber_id   NUMBER(10) PRIMARY KEY,
  user_id         VARCHAR2(255) NOT NULL,
  tenant_id       NUMBER(10) NOT NULL,
  email_address   VARCHAR2(256),
  date_subscribed TIMESTAMP NOT NULL,
  UNIQUE (tenant_id, user_id)
)
/
CREATE TABLE am_application (
  application_id NUMBER(10) PRIMARY KEY,
  name           VARCHAR2(100) NOT NULL,
  subscriber_id  NUMBER(10) NOT NULL REFERENCES am_subscriber (subscriber_id) ON DELETE CASCADE,
  tier           VARCHAR2(50) DEFAULT 'Unlimited',
  description    VARCHAR2(512),
  UNIQUE (name, subscriber_id)
)
/
CREATE TABLE am_api (
  api_id       NUMBER(10) PRIMARY KEY,
  api_provider VARCHAR2(200) NOT NULL,
  api_name     VARCHAR2(200) NOT NULL,
  api_version  VARCHAR2(30) NOT NULL,
  context      VARCHAR2(256),
  UNIQUE (api_provider, api_name, api_version)
)
/
CREATE TABLE am_subscription (
  subscription_id NUMBER(10) PRIMARY KEY,
  tier_id         VARCHAR2(50),
  api_id          NUMBER(10) NOT NULL REFERENCES am_api (api_id) ON DELETE CASCADE,
  application_id  NUMBER(10) NOT NULL REFERENCES am_application (application_id) ON DELETE CASCADE,
  sub_status      VARCHAR2(50) DEFAULT 'UNBLOCKED' NOT NULL
)
/
CREATE INDEX idx_sub_app ON am_subscription (application_id)
/
INSERT INTO strata_history (installed_rank, version, description, kind, script, checksum, placeholders, installed_by, installed_on, execution_ms, success, rows_affected) SELECT COALESCE(MAX(installed_rank), 0) + 1, '1.8.0', 'initial schema', 'versioned', 'V1_8_0__initial_schema.oracle.sql', 'sha256:e41f30360888be6be951ce36ddde1f4773a1d41d0f1f5b5c19c4153d29e01ee1', NULL, 'dba', SYS_EXTRACT_UTC(SYSTIMESTAMP), 0, 1, NULL FROM strata_history
/
COMMIT
/

-- 1.8.1: seed default data (V1_8_1__seed_default_data.oracle.sql, sha256:195f55318ece6d0a3f12ea0d48031e8234ce0398b9fbcb6bcb6222bc40b53ff2)
DECLARE
  n NUMBER;
BEGIN
  SELECT COUNT(*) INTO n FROM strata_history a WHERE version = '1.8.1' AND kind <> 'undo'
   AND NOT EXISTS (SELECT 1 FROM strata_history u WHERE u.version = a.version AND u.kind = 'undo'
     AND u.installed_rank > a.installed_rank);
  IF n > 0 THEN
    RAISE_APPLICATION_ERROR(-20001, 'strata: version 1.8.1 is already in strata_history; write a new script with strata plan --dialect oracle --from VERSION');
  END IF;
END;
/
INSERT INTO am_subscriber (subscriber_id, user_id, tenant_id, email_address, date_subscribed)
VALUES (1, 'admin', -1234, 'admin@example.com', TIMESTAMP '2015-06-01 10:00:00')
/
INSERT INTO am_application (application_id, name, subscriber_id, tier, description)
VALUES (1, 'DefaultApplication', 1, 'Unlimited', 'Created at install; don''t delete')
/
INSERT INTO am_api (api_id, api_provider, api_name, api_version, context)
VALUES (1, 'admin', 'PizzaShack', '1.0.0', '/pizzashack/1.0.0')
/
INSERT INTO am_api (api_id, api_provider, api_name, api_version, context)
VALUES (2, 'admin', 'Weather', '2.1', '/weather/2.1')
/
INSERT INTO am_subscription (subscription_id, tier_id, api_id, application_id)
VALUES (1, 'Gold', 1, 1)
/
INSERT INTO am_subscription (subscription_id, tier_id, api_id, application_id)
VALUES (2, 'Bronze', 2, 1)
/
INSERT INTO strata_history (installed_rank, version, description, kind, script, checksum, placeholders, installed_by, installed_on, execution_ms, success, rows_affected) SELECT COALESCE(MAX(installed_rank), 0) + 1, '1.8.1', 'seed default data', 'versioned', 'V1_8_1__seed_default_data.oracle.sql', 'sha256:195f55318ece6d0a3f12ea0d48031e8234ce0398b9fbcb6bcb6222bc40b53ff2', NULL, 'dba', SYS_EXTRACT_UTC(SYSTIMESTAMP), 0, 1, NULL FROM strata_history
/
COMMIT
/

-- 2.6.0: throttling and audit (V2_6_0__throttling_and_audit.oracle.sql, sha256:2b8fe1f0c1c57786cd115d3d2fd29b929ac3b386401adf45eb77d7c9c8519e47)
DECLARE
  n NUMBER;
BEGIN
  SELECT COUNT(*) INTO n FROM strata_history a WHERE version = '2.6.0' AND kind <> 'undo'
   AND NOT EXISTS (SELECT 1 FROM strata_history u WHERE u.version = a.version AND u.kind = 'undo'
     AND u.installed_rank > a.installed_rank);
  IF n > 0 THEN
    RAISE_APPLICATION_ERROR(-20001, 'strata: version 2.6.0 is already in strata_history; write a new script with strata plan --dialect oracle --from VERSION');
  END IF;
END;
/
ALTER TABLE am_application ADD (token_type VARCHAR2(10) DEFAULT 'OAUTH')
/
CREATE TABLE am_policy_application (
  policy_id    NUMBER(10) PRIMARY KEY,
  name         VARCHAR2(512) NOT NULL UNIQUE,
  quota        NUMBER(10) NOT NULL,
  quota_unit   VARCHAR2(10) DEFAULT 'REQ' NOT NULL
)
/
INSERT INTO am_policy_application (policy_id, name, quota, quota_unit)
VALUES (1, 'Unlimited', 2147483647, 'REQ')
/
INSERT INTO am_policy_application (policy_id, name, quota, quota_unit)
VALUES (2, '50PerMin', 50, 'REQ')
/
INSERT INTO am_policy_application (policy_id, name, quota, quota_unit)
VALUES (3, '20PerMin', 20, 'REQ')
/
CREATE TABLE am_api_audit (
  audit_id   NUMBER(10) GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  api_id     NUMBER(10) NOT NULL,
  action     VARCHAR2(20) NOT NULL,
  changed_on TIMESTAMP DEFAULT SYSTIMESTAMP NOT NULL
)
/
CREATE OR REPLACE TRIGGER am_api_audit_update
AFTER UPDATE ON am_api
FOR EACH ROW
BEGIN
  INSERT INTO am_api_audit (api_id, action) VALUES (:NEW.api_id, 'UPDATE');
END;
/
INSERT INTO strata_history (installed_rank, version, description, kind, script, checksum, placeholders, installed_by, installed_on, execution_ms, success, rows_affected) SELECT COALESCE(MAX(installed_rank), 0) + 1, '2.6.0', 'throttling and audit', 'versioned', 'V2_6_0__throttling_and_audit.oracle.sql', 'sha256:2b8fe1f0c1c57786cd115d3d2fd29b929ac3b386401adf45eb77d7c9c8519e47', NULL, 'dba', SYS_EXTRACT_UTC(SYSTIMESTAMP), 0, 1, NULL FROM strata_history
/
COMMIT
/

-- 3.2.0: api uuid and status (V3_2_0__api_uuid_and_status.oracle.sql, sha256:8250410bca263290f86128f9d7205a0dab45225812f31f268309c941f69acabd)
DECLARE
  n NUMBER;
BEGIN
  SELECT COUNT(*) INTO n FROM strata_history a WHERE version = '3.2.0' AND kind <> 'undo'
   AND NOT EXISTS (SELECT 1 FROM strata_history u WHERE u.version = a.version AND u.kind = 'undo'
     AND u.installed_rank > a.installed_rank);
  IF n > 0 THEN
    RAISE_APPLICATION_ERROR(-20001, 'strata: version 3.2.0 is already in strata_history; write a new script with strata plan --dialect oracle --from VERSION');
  END IF;
END;
/
ALTER TABLE am_api ADD (api_uuid VARCHAR2(36))
/
ALTER TABLE am_api ADD (status VARCHAR2(30) DEFAULT 'PUBLISHED' NOT NULL)
/
UPDATE am_api SET api_uuid = LOWER(REGEXP_REPLACE(RAWTOHEX(SYS_GUID()),
  '(.{8})(.{4})(.{4})(.{4})(.{12})', '\1-\2-\3-\4-\5'))
/
CREATE UNIQUE INDEX idx_am_api_uuid ON am_api (api_uuid)
/
ALTER TABLE am_subscription ADD (uuid VARCHAR2(36))
/
UPDATE am_subscription SET uuid = 'sub-' || subscription_id
/
INSERT INTO strata_history (installed_rank, version, description, kind, script, checksum, placeholders, installed_by, installed_on, execution_ms, success, rows_affected) SELECT COALESCE(MAX(installed_rank), 0) + 1, '3.2.0', 'api uuid and status', 'versioned', 'V3_2_0__api_uuid_and_status.oracle.sql', 'sha256:8250410bca263290f86128f9d7205a0dab45225812f31f268309c941f69acabd', NULL, 'dba', SYS_EXTRACT_UTC(SYSTIMESTAMP), 0, 1, NULL FROM strata_history
/
COMMIT
/

-- 4.0.0: gateway environments (V4_0_0__gateway_environments.oracle.sql, sha256:e5c1bc8e43c04a32202a671481dbc9f514b4ecf871cd6b4e61bab9a5ae5db36d)
DECLARE
  n NUMBER;
BEGIN
  SELECT COUNT(*) INTO n FROM strata_history a WHERE version = '4.0.0' AND kind <> 'undo'
   AND NOT EXISTS (SELECT 1 FROM strata_history u WHERE u.version = a.version AND u.kind = 'undo'
     AND u.installed_rank > a.installed_rank);
  IF n > 0 THEN
    RAISE_APPLICATION_ERROR(-20001, 'strata: version 4.0.0 is already in strata_history; write a new script with strata plan --dialect oracle --from VERSION');
  END IF;
END;
/
CREATE TABLE am_gateway_environment (
  id           NUMBER(10) PRIMARY KEY,
  uuid         VARCHAR2(45) NOT NULL UNIQUE,
  name         VARCHAR2(255) NOT NULL,
  organization VARCHAR2(100) NOT NULL,
  display_name VARCHAR2(255),
  description  VARCHAR2(1023)
)
/
ALTER TABLE am_api ADD (organization VARCHAR2(100))
/
UPDATE am_api SET organization = 'carbon.super'
/
INSERT INTO am_gateway_environment (id, uuid, name, organization, display_name)
VALUES (1, 'a7f4e6c2-default', 'Default', 'carbon.super', 'Default gateway')
/
INSERT INTO strata_history (installed_rank, version, description, kind, script, checksum, placeholders, installed_by, installed_on, execution_ms, success, rows_affected) SELECT COALESCE(MAX(installed_rank), 0) + 1, '4.0.0', 'gateway environments', 'versioned', 'V4_0_0__gateway_environments.oracle.sql', 'sha256:e5c1bc8e43c04a32202a671481dbc9f514b4ecf871cd6b4e61bab9a5ae5db36d', 'sha256:2d46fea33acc26b4cccada5f3c2e6d4cfd661a247a08162553f40eb379bd8910', 'dba', SYS_EXTRACT_UTC(SYSTIMESTAMP), 0, 1, NULL FROM strata_history
/
COMMIT
/

-- repeatable: api subscription view (R__api_subscription_view.oracle.sql, sha256:61d12dd8767cb3bfa8979cbab83d0974f67cf6f333c2a59c82a6f16e35046dff)
CREATE OR REPLACE VIEW am_api_subscriptions AS
SELECT a.api_name, a.api_version, app.name AS application, s.tier_id, s.sub_status
  FROM am_subscription s
  JOIN am_api a ON a.api_id = s.api_id
  JOIN am_application app ON app.application_id = s.application_id
/
INSERT INTO strata_history (installed_rank, version, description, kind, script, checksum, placeholders, installed_by, installed_on, execution_ms, success, rows_affected) SELECT COALESCE(MAX(installed_rank), 0) + 1, NULL, 'api subscription view', 'repeatable', 'R__api_subscription_view.oracle.sql', 'sha256:61d12dd8767cb3bfa8979cbab83d0974f67cf6f333c2a59c82a6f16e35046dff', NULL, 'dba', SYS_EXTRACT_UTC(SYSTIMESTAMP), 0, 1, NULL FROM strata_history
/
COMMIT
/
