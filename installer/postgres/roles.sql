-- OneStop on PostgreSQL, part 1 of 2: the roles and the database.
--
-- Run by setup.sh, connected to the maintenance database (postgres) as a superuser.
-- psql variables it sets: db, prefix, and admin_password, supervisor_password,
-- staff_password, display_password, kiosk_password ('' keeps a role's password).
-- Safe to run again: what exists is brought back to this shape, nothing is dropped.
--
--   <prefix>owner       no login; owns the schema and every table (migrations run as it)
--   <prefix>admin       the IT officer: every session becomes <prefix>owner (migrations,
--                       backups, purge, history import)
--   <prefix>supervisor  <prefix>staff, plus site settings and staff accounts
--   <prefix>staff       reception console and CSA desks (and the reports they open)
--   <prefix>display     the call-forward display: reads only
--   <prefix>kiosk       the check-in kiosk and the exit survey
--
-- What each may do, table by table, is in grants.sql.

\set ON_ERROR_STOP on
\set QUIET on
SET client_min_messages = warning;
-- Passwords must reach neither the server's log nor its statistics.
SET log_statement = 'none';
SET log_min_error_statement = 'panic';
SET log_min_duration_statement = -1;
SET password_encryption = 'scram-sha-256';

\set owner :prefix owner
\set admin :prefix admin
\set supervisor :prefix supervisor
\set staff :prefix staff
\set display :prefix display
\set kiosk :prefix kiosk

SELECT format('CREATE ROLE %I NOLOGIN', :'owner')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner')
\gexec

SELECT format('CREATE ROLE %I LOGIN', name)
  FROM unnest(ARRAY[:'admin', :'supervisor', :'staff', :'display', :'kiosk']) AS name
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = name)
\gexec

-- No role may do more than its grants say, whatever someone changed by hand.
SELECT format(
         'ALTER ROLE %I NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT %s',
         name, CASE WHEN name = :'owner' THEN 'NOLOGIN' ELSE 'LOGIN' END)
  FROM unnest(ARRAY[:'owner', :'admin', :'supervisor', :'staff', :'display', :'kiosk']) AS name
 WHERE (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
\gexec

SELECT format('ALTER ROLE %I PASSWORD %L', name, secret)
  FROM (VALUES (:'admin', :'admin_password'),
               (:'supervisor', :'supervisor_password'),
               (:'staff', :'staff_password'),
               (:'display', :'display_password'),
               (:'kiosk', :'kiosk_password')) AS given(name, secret)
 WHERE secret <> ''
\gexec

-- A supervisor does all that staff do; the admin acts as the owner.
SELECT format('GRANT %I TO %I', :'staff', :'supervisor')
 WHERE NOT pg_has_role(:'supervisor', :'staff', 'MEMBER')
\gexec
SELECT format('GRANT %I TO %I', :'owner', :'admin')
 WHERE NOT pg_has_role(:'admin', :'owner', 'MEMBER')
\gexec

-- The database, owned by the owner; only OneStop's roles may connect to it.
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L TEMPLATE template0', :'db', :'owner', 'UTF8')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db')
\gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', :'db', :'owner')
\gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db')
\gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO %I', :'db', name)
  FROM unnest(ARRAY[:'admin', :'supervisor', :'staff', :'display', :'kiosk']) AS name
\gexec

-- The admin's sessions in this database act as the owner, so the tables a migration
-- creates belong to the owner, whoever of the IT staff ran it.
SELECT format('ALTER ROLE %I IN DATABASE %I SET role = %L', :'admin', :'db', :'owner')
\gexec
-- A PC that vanishes inside a transaction (power cut, cable pulled) must not hold its
-- row locks for the hours TCP takes to notice: the server ends it after 30 s.
SELECT format('ALTER ROLE %I IN DATABASE %I SET idle_in_transaction_session_timeout = %L',
              name, :'db', '30s')
  FROM unnest(ARRAY[:'supervisor', :'staff', :'display', :'kiosk']) AS name
\gexec
