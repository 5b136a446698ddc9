-- OneStop on PostgreSQL, part 2 of 2: who may do what, table by table.
--
-- Run by setup.sh, connected to the OneStop database as a superuser, after roles.sql;
-- run it again after every `onestop db upgrade` (setup.sh does both parts each time).
-- It starts from nothing each time (every privilege of the OneStop roles on the
-- tables is revoked, then granted as below, in one transaction), so running it twice
-- gives the same privileges as running it once, and a privilege granted by hand is
-- taken away again.
--
-- Every table the migrations create must appear in the grants below (a test checks):
-- a table nobody decided about is open to the owner alone.

\set ON_ERROR_STOP on
\set QUIET on
SET client_min_messages = warning;

\set owner :prefix owner
\set admin :prefix admin
\set supervisor :prefix supervisor
\set staff :prefix staff
\set display :prefix display
\set kiosk :prefix kiosk

BEGIN;

-- The schema: the owner's; the apps may use it, nobody else may even look in.
ALTER SCHEMA public OWNER TO :"owner";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"supervisor", :"staff", :"display", :"kiosk";

-- Tables another role created (a database first migrated as the superuser) pass to
-- the owner, their id sequences with them.
SELECT format('ALTER TABLE public.%I OWNER TO %I', tablename, :'owner')
  FROM pg_tables WHERE schemaname = 'public' AND tableowner <> :'owner'
\gexec
SELECT format('ALTER SEQUENCE public.%I OWNER TO %I', sequencename, :'owner')
  FROM pg_sequences WHERE schemaname = 'public' AND sequenceowner <> :'owner'
\gexec
-- And the functions (a SECURITY DEFINER function runs as its owner: never a superuser).
SELECT format('ALTER FUNCTION %s OWNER TO %I', p.oid::regprocedure, :'owner')
  FROM pg_proc p
 WHERE p.pronamespace = 'public'::regnamespace AND p.proname LIKE 'onestop\_%'
   AND p.proowner <> (SELECT oid FROM pg_roles WHERE rolname = :'owner')
\gexec

-- From nothing.
REVOKE ALL ON ALL TABLES IN SCHEMA public
  FROM PUBLIC, :"admin", :"supervisor", :"staff", :"display", :"kiosk";
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public
  FROM PUBLIC, :"admin", :"supervisor", :"staff", :"display", :"kiosk";
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public
  FROM PUBLIC, :"admin", :"supervisor", :"staff", :"display", :"kiosk";

-- Tables a later migration creates, until this script is run again after it: the
-- staff PCs may read and write them (so an upgrade does not stop the desks), the
-- kiosk and the display may not touch them (a public screen gets nothing by default).
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
  REVOKE ALL ON TABLES FROM PUBLIC, :"supervisor", :"staff", :"display", :"kiosk";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
  REVOKE ALL ON SEQUENCES FROM PUBLIC, :"supervisor", :"staff", :"display", :"kiosk";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner"
  REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE ON TABLES TO :"staff";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO :"staff";

-- grant(role, table, privileges): privileges as GRANT writes them, column lists
-- included; 'new rows' is the table's id sequence, which INSERT needs.
CREATE FUNCTION pg_temp.onestop_grant(grantee text, tbl text, what text)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  seq text;
BEGIN
  IF to_regclass(format('public.%I', tbl)) IS NULL THEN
    RETURN 'missing ' || tbl;
  END IF;
  IF what = 'new rows' THEN
    seq := pg_get_serial_sequence(format('public.%I', tbl), 'id');
    EXECUTE format('GRANT USAGE ON SEQUENCE %s TO %I', seq, grantee);
  ELSE
    EXECUTE format('GRANT %s ON public.%I TO %I', what, tbl, grantee);
  END IF;
  RETURN format('%s: %s on %s', grantee, what, tbl);
END $$;

\pset tuples_only on
\pset format unaligned
\echo 'Privileges granted:'
WITH granted AS (SELECT pg_temp.onestop_grant(role, tbl, what) AS line FROM (VALUES
  -- The kiosk: check a visitor in (a ticket number, the visit, its first event, the
  -- queue counts, a booked appointment marked arrived), read the sites, services and
  -- notices, close or open the office from its staff page, raise and clear its help
  -- and printer alerts, record survey answers. Never: the staff table (PIN hashes),
  -- the audit trail, who is at which desk, other survey answers; never an update of
  -- a visit, never a delete. Its audit rows (the office closed from its staff page)
  -- name no member of staff: who unlocked its keypad is written by the function
  -- that checks the PIN (below).
  (:'kiosk', 'alembic_version', 'SELECT'),
  (:'kiosk', 'site', 'SELECT'),
  (:'kiosk', 'ticket_counter', 'SELECT, INSERT, UPDATE (last)'),
  -- Blocks of numbers it keeps for when the database is away (docs/kiosk.md).
  (:'kiosk', 'ticket_block', 'SELECT, INSERT'),
  (:'kiosk', 'ticket_block', 'new rows'),
  (:'kiosk', 'queue_count', 'SELECT, INSERT, UPDATE (waiting)'),
  (:'kiosk', 'visit', 'SELECT, INSERT'),
  (:'kiosk', 'visit', 'new rows'),
  (:'kiosk', 'visit_event', 'SELECT (id), INSERT (visit_id, site_id, at, action, state, desk,'
                            ' detail)'),  -- SQLAlchemy reads the new id back; no staff_name
  (:'kiosk', 'visit_event', 'new rows'),
  (:'kiosk', 'appointment', 'SELECT, UPDATE (status, visit_id)'),
  (:'kiosk', 'site_notice', 'SELECT, INSERT (site_id, closed, closed_message, updated_at),'
                            ' UPDATE (closed, closed_message, updated_at)'),
  (:'kiosk', 'alert', 'SELECT, INSERT (site_id, kind, source, detail, raised_at),'
                      ' UPDATE (detail, resolved_at)'),
  (:'kiosk', 'alert', 'new rows'),
  (:'kiosk', 'survey_response', 'SELECT (id), INSERT'),
  (:'kiosk', 'survey_response', 'new rows'),
  (:'kiosk', 'audit_event', 'SELECT (id), INSERT (site_id, at, action, place, detail, note)'),
  (:'kiosk', 'audit_event', 'new rows'),
  -- The wait printed on the ticket counts the desks open now (never who is at them).
  (:'kiosk', 'desk_session', 'SELECT (id, site_id, desk, status, signed_in_at, status_since,'
                             ' signed_out_at)'),

  -- The display: reads the calls (which desk, which ticket), the queue and the notices,
  -- and for the waits on its ticker the desks open and the appointments due (never a
  -- booking reference, never who is at a desk).
  (:'display', 'alembic_version', 'SELECT'),
  (:'display', 'appointment', 'SELECT (id, site_id, service, at, status)'),
  (:'display', 'desk_session', 'SELECT (id, site_id, desk, status, signed_in_at, status_since,'
                               ' signed_out_at)'),
  (:'display', 'site', 'SELECT'),
  (:'display', 'queue_count', 'SELECT'),
  (:'display', 'visit', 'SELECT'),
  (:'display', 'visit_event', 'SELECT (id, visit_id, site_id, at, action, desk)'),
  (:'display', 'site_notice', 'SELECT'),

  -- Staff: the reception console and the CSA desks. Visits move through their states
  -- (never renumbered, never moved to another site); the audit trail is added to,
  -- never changed; appointments booked, moved, cancelled; desks signed in and out;
  -- notices and alerts. Reads the staff table but never a PIN hash (a PIN is checked
  -- by onestop_sign_in, below, which also counts wrong PINs and records the sign-in:
  -- staff may sign out, never sign anyone in or change a count). Reads the survey
  -- answers for the reports a supervisor opens at the reception console; writes the
  -- audit trail (never changes it, but clears old notes) and clears old survey
  -- comments (the daily data-protection purge, run by the staff apps).
  (:'staff', 'alembic_version', 'SELECT'),
  (:'staff', 'site', 'SELECT'),
  (:'staff', 'ticket_counter', 'SELECT, INSERT, UPDATE (last)'),
  (:'staff', 'ticket_block', 'SELECT'),  -- a day's numbers step over the kiosks' blocks
  (:'staff', 'queue_count', 'SELECT, INSERT, UPDATE (waiting)'),
  (:'staff', 'visit', 'SELECT, INSERT, UPDATE (service, state, priority, appointment_at,'
                      ' flags, arrived_at, greeted_at, first_called_at, called_at, call_count,'
                      ' serving_at, parked_at, ended_at, desk, assigned_desk, transfers,'
                      ' outcome, outcome_detail, rank_class, rank_at, callable_at,'
                      ' arrived_hour)'),
  (:'staff', 'visit', 'new rows'),
  (:'staff', 'visit_event', 'SELECT, INSERT'),
  (:'staff', 'visit_event', 'new rows'),
  (:'staff', 'appointment', 'SELECT, INSERT, UPDATE (service, at, status, visit_id)'),
  (:'staff', 'appointment', 'new rows'),
  (:'staff', 'site_notice', 'SELECT, INSERT, UPDATE'),
  (:'staff', 'alert', 'SELECT, INSERT, UPDATE (detail, resolved_at)'),
  (:'staff', 'alert', 'new rows'),
  (:'staff', 'survey_response', 'SELECT, UPDATE (comment)'),
  (:'staff', 'staff', 'SELECT (id, site_id, name, role, created_at, failed_pins, locked_until,'
                      ' left_at)'),
  (:'staff', 'staff_login', 'SELECT, UPDATE (signed_out_at)'),
  (:'staff', 'audit_event', 'SELECT, INSERT, UPDATE (note)'),
  (:'staff', 'audit_event', 'new rows'),
  (:'staff', 'daily_purge', 'SELECT, INSERT, UPDATE (day, at)'),
  (:'staff', 'desk_session', 'SELECT, INSERT, UPDATE (status, status_since, signed_out_at)'),
  (:'staff', 'desk_session', 'new rows'),

  -- Supervisors: everything staff may (they are members of the staff role), and the
  -- site settings (loading a site's configuration re-ranks its waiting visitors and
  -- recounts its queue) and staff accounts (adding staff, changing a PIN or a role,
  -- unlocking an account, closing a leaver's). Never reads a PIN hash either.
  (:'supervisor', 'site', 'INSERT, UPDATE (name, config, version, loaded_at)'),
  (:'supervisor', 'site', 'new rows'),
  (:'supervisor', 'queue_count', 'DELETE'),
  (:'supervisor', 'staff', 'INSERT, UPDATE (role, pin_hash, failed_pins, locked_until,'
                           ' left_at)'),
  (:'supervisor', 'staff', 'new rows')

  -- The admin is the owner: everything, migrations included.
) AS grants(role, tbl, what))
SELECT line FROM (
  SELECT DISTINCT 1 AS part, line FROM granted WHERE line NOT LIKE 'missing %'
  UNION ALL
  SELECT 2, 'not yet created (run onestop db upgrade, then this script again): '
            || string_agg(DISTINCT substr(line, 9), ', ')
    FROM granted WHERE line LIKE 'missing %' HAVING count(*) > 0
) AS report ORDER BY part, line;

-- The functions that check PINs (migration 0006; SECURITY DEFINER, owned by the owner):
-- staff sign in with onestop_sign_in, the kiosk's keypad asks onestop_kiosk_pin. No
-- login may call the others' (the kiosk cannot try staff PINs by name).
SELECT format('GRANT EXECUTE ON FUNCTION %s TO %I', p.oid::regprocedure, g.grantee)
  FROM (VALUES (:'staff', 'onestop_pin_setting'), (:'staff', 'onestop_sign_in'),
               (:'kiosk', 'onestop_kiosk_settings'), (:'kiosk', 'onestop_kiosk_pin'))
       AS g (grantee, fn)
  JOIN pg_proc p ON p.proname = g.fn AND p.pronamespace = 'public'::regnamespace
\gexec
SELECT format('%s: EXECUTE on %s', g.grantee, g.fn)
  FROM (VALUES (:'staff', 'onestop_pin_setting'), (:'staff', 'onestop_sign_in'),
               (:'kiosk', 'onestop_kiosk_settings'), (:'kiosk', 'onestop_kiosk_pin'))
       AS g (grantee, fn)
 WHERE EXISTS (SELECT FROM pg_proc p
                WHERE p.proname = g.fn AND p.pronamespace = 'public'::regnamespace)
 ORDER BY 1;
\pset tuples_only off
\pset format aligned

-- Row rules the column grants cannot say. The kiosk may mark a booked appointment
-- arrived (not cancel or move one), and raise and clear help, printer and kiosk alerts only
-- (never silence a desk's safety alarm). Staff may clear a survey comment (the purge),
-- never write one; the same for a note in the audit trail, whose rows take the server's
-- time. Trigger functions run whoever may EXECUTE them.
SET LOCAL ROLE :"owner";
CREATE OR REPLACE FUNCTION public.onestop_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  kiosk_role text := TG_ARGV[0];
  staff_role text := TG_ARGV[1];
  superuser boolean := (SELECT rolsuper FROM pg_roles WHERE rolname = current_user);
BEGIN
  IF superuser THEN
    RETURN NEW;
  END IF;
  IF pg_has_role(current_user, kiosk_role, 'USAGE') THEN
    IF TG_TABLE_NAME = 'appointment' THEN
      IF OLD.status = 'booked' AND NEW.status = 'arrived' THEN
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'the kiosk may only check in a booked appointment'
        USING ERRCODE = 'insufficient_privilege';
    ELSIF TG_TABLE_NAME = 'alert' THEN
      IF NEW.kind IN ('help', 'printer', 'kiosk')
         AND (TG_OP = 'INSERT' OR OLD.kind = NEW.kind) THEN
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'the kiosk may raise and clear only help, printer and kiosk alerts'
        USING ERRCODE = 'insufficient_privilege';
    END IF;
  END IF;
  -- (PL/pgSQL does not stop at the first false AND: a table's own fields are only
  -- named inside that table's branch.)
  IF TG_TABLE_NAME = 'survey_response' AND pg_has_role(current_user, staff_role, 'USAGE') THEN
    IF NEW.comment IS NOT NULL AND NEW.comment IS DISTINCT FROM OLD.comment THEN
      RAISE EXCEPTION 'a survey comment can be cleared, never written, by staff'
        USING ERRCODE = 'insufficient_privilege';
    END IF;
  END IF;
  -- The audit trail: stamped with the server's clock (nobody writes a row in the past),
  -- and a note can be cleared (the purge), never rewritten.
  IF TG_TABLE_NAME = 'audit_event' THEN
    IF TG_OP = 'INSERT' THEN
      NEW.at := clock_timestamp();
    ELSIF NEW.note IS NOT NULL AND NEW.note IS DISTINCT FROM OLD.note THEN
      RAISE EXCEPTION 'a note in the audit trail can be cleared, never written'
        USING ERRCODE = 'insufficient_privilege';
    END IF;
  END IF;
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION public.onestop_guard() FROM PUBLIC;
RESET ROLE;

CREATE FUNCTION pg_temp.onestop_guard_table(tbl text, events text, kiosk text, staff text)
RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  IF to_regclass(format('public.%I', tbl)) IS NULL THEN
    RETURN NULL;
  END IF;
  EXECUTE format('DROP TRIGGER IF EXISTS onestop_guard ON public.%I', tbl);
  EXECUTE format('CREATE TRIGGER onestop_guard BEFORE %s ON public.%I FOR EACH ROW'
                 ' EXECUTE FUNCTION public.onestop_guard(%L, %L)', events, tbl, kiosk, staff);
  RETURN format('row rules on %s', tbl);
END $$;

\pset tuples_only on
\pset format unaligned
SELECT line FROM (
  SELECT pg_temp.onestop_guard_table(tbl, events, :'kiosk', :'staff') AS line FROM (VALUES
    ('appointment', 'UPDATE'),
    ('alert', 'INSERT OR UPDATE'),
    ('survey_response', 'UPDATE'),
    ('audit_event', 'INSERT OR UPDATE')
  ) AS guarded(tbl, events)
) AS report WHERE line IS NOT NULL;
\pset tuples_only off
\pset format aligned

COMMIT;
