"""staff security and the audit trail

Lock-outs on staff accounts (wrong PINs in a row, locked until, leavers); sign-ins
(staff_login); the audit trail beyond visit steps (audit_event) and who did each
visit step (visit_event.staff_name); the day each site's automatic purge last ran.

On PostgreSQL, the functions that check a PIN without the apps' logins ever
reading a PIN hash (SECURITY DEFINER: they run as the tables' owner). The app
sends the scrypt digest it computed from the PIN typed and the salt the first
function gives; the function compares it with the stored digest, counts wrong PINs
and locks the account, and records the sign-in. installer/postgres/grants.sql
says which login may call which.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import shared.store.db

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# The salt and parameters of an account's hash: the stored hash without its digest.
PIN_SETTING = """
CREATE OR REPLACE FUNCTION public.onestop_pin_setting(p_site text, p_name text)
RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
  SELECT regexp_replace(s.pin_hash, '\\$[^$]*$', '')
    FROM public.staff s JOIN public.site t ON t.id = s.site_id
   WHERE t.code = p_site AND s.name = p_name AND s.left_at IS NULL
$$
"""

# One sign-in attempt: outcome ok | wrong | locked_now | locked | unknown | left.
SIGN_IN = """
CREATE OR REPLACE FUNCTION public.onestop_sign_in(
  p_site text, p_name text, p_digest text, p_token_hash text, p_place text,
  p_expires timestamptz, p_tries integer, p_lock interval)
RETURNS TABLE (outcome text, staff_id integer, staff_name text, role text,
               failures integer, locked_until timestamptz)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
  acct record;
  moment timestamptz := clock_timestamp();
  stored text;
  wrong integer;
BEGIN
  SELECT s.id, s.site_id, s.name, s.role, s.pin_hash, s.failed_pins, s.locked_until,
         s.left_at
    INTO acct
    FROM public.staff s JOIN public.site t ON t.id = s.site_id
   WHERE t.code = p_site AND s.name = p_name
     FOR UPDATE OF s;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'unknown'::text, NULL::integer, NULL::text, NULL::text, 0,
                        NULL::timestamptz;
    RETURN;
  END IF;
  IF acct.left_at IS NOT NULL THEN
    RETURN QUERY SELECT 'left'::text, acct.id, acct.name::text, acct.role::text, 0,
                        NULL::timestamptz;
    RETURN;
  END IF;
  IF acct.locked_until IS NOT NULL AND acct.locked_until > moment THEN
    RETURN QUERY SELECT 'locked'::text, acct.id, acct.name::text, acct.role::text,
                        acct.failed_pins, acct.locked_until;
    RETURN;
  END IF;
  stored := substring(acct.pin_hash FROM '[^$]*$');
  IF p_digest IS NOT NULL
     AND sha256(convert_to(stored, 'UTF8')) = sha256(convert_to(p_digest, 'UTF8')) THEN
    UPDATE public.staff SET failed_pins = 0, locked_until = NULL WHERE id = acct.id;
    IF p_token_hash IS NOT NULL THEN
      INSERT INTO public.staff_login
        (site_id, staff_id, token_hash, place, signed_in_at, expires_at)
      VALUES (acct.site_id, acct.id, p_token_hash, p_place, moment, p_expires);
    END IF;
    RETURN QUERY SELECT 'ok'::text, acct.id, acct.name::text, acct.role::text, 0,
                        NULL::timestamptz;
    RETURN;
  END IF;
  -- A lock that has run out starts the count again.
  wrong := CASE WHEN acct.locked_until IS NULL THEN acct.failed_pins ELSE 0 END + 1;
  IF wrong >= p_tries THEN
    UPDATE public.staff SET failed_pins = wrong, locked_until = moment + p_lock
     WHERE id = acct.id;
    RETURN QUERY SELECT 'locked_now'::text, acct.id, acct.name::text, acct.role::text,
                        wrong, moment + p_lock;
  ELSE
    UPDATE public.staff SET failed_pins = wrong, locked_until = NULL WHERE id = acct.id;
    RETURN QUERY SELECT 'wrong'::text, acct.id, acct.name::text, acct.role::text, wrong,
                        NULL::timestamptz;
  END IF;
END $$
"""

# Who may leave a site's kiosks: its supervisors and every admin (their hash settings).
KIOSK_SETTINGS = """
CREATE OR REPLACE FUNCTION public.onestop_kiosk_settings(p_site text)
RETURNS TABLE (staff_id integer, setting text) LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
  SELECT s.id, regexp_replace(s.pin_hash, '\\$[^$]*$', '')
    FROM public.staff s JOIN public.site t ON t.id = s.site_id
   WHERE s.left_at IS NULL
     AND ((t.code = p_site AND s.role = 'supervisor') OR s.role = 'admin')
   ORDER BY s.id
$$
"""

# A PIN typed at a kiosk's keypad: the digests the kiosk computed for each account, and
# whether the site file's PIN matched (used only while the site has no such accounts).
# Outcome ok | wrong | locked_now | locked; the wrong tries are the audit trail's rows
# for this kiosk since it was last unlocked, within the window.
KIOSK_PIN = """
CREATE OR REPLACE FUNCTION public.onestop_kiosk_pin(
  p_site text, p_kiosk text, p_ids integer[], p_digests text[], p_fallback_ok boolean,
  p_tries integer, p_window interval)
RETURNS TABLE (outcome text, staff_name text, failures integer)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
  v_site integer;
  moment timestamptz := clock_timestamp();
  since timestamptz;
  recent integer;
  accounts integer;
  who record;
BEGIN
  SELECT t.id INTO v_site FROM public.site t WHERE t.code = p_site;
  IF v_site IS NULL THEN
    RAISE EXCEPTION 'no site %', p_site USING ERRCODE = 'no_data_found';
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('onestop kiosk pin ' || p_site || p_kiosk));
  SELECT coalesce(max(a.at), '-infinity') INTO since FROM public.audit_event a
   WHERE a.site_id = v_site AND a.place = p_kiosk AND a.action = 'kiosk_unlocked';
  SELECT count(*) INTO recent FROM public.audit_event a
   WHERE a.site_id = v_site AND a.place = p_kiosk AND a.action = 'kiosk_pin_refused'
     AND a.at > greatest(since, moment - p_window);
  IF recent >= p_tries THEN
    RETURN QUERY SELECT 'locked'::text, NULL::text, recent;
    RETURN;
  END IF;
  SELECT count(*) INTO accounts FROM public.onestop_kiosk_settings(p_site);
  IF accounts = 0 THEN
    IF p_fallback_ok THEN
      INSERT INTO public.audit_event (site_id, at, action, place, detail)
      VALUES (v_site, moment, 'kiosk_unlocked', p_kiosk, 'the site file''s PIN');
      RETURN QUERY SELECT 'ok'::text, NULL::text, 0;
      RETURN;
    END IF;
  ELSE
    SELECT s.name, s.role INTO who
      FROM public.staff s
      JOIN unnest(p_ids, p_digests) AS given(id, digest) ON given.id = s.id
     WHERE s.id IN (SELECT k.staff_id FROM public.onestop_kiosk_settings(p_site) k)
       AND sha256(convert_to(substring(s.pin_hash FROM '[^$]*$'), 'UTF8'))
           = sha256(convert_to(given.digest, 'UTF8'))
     ORDER BY s.id LIMIT 1;
    IF FOUND THEN
      INSERT INTO public.audit_event (site_id, at, action, staff_name, role, place)
      VALUES (v_site, moment, 'kiosk_unlocked', who.name, who.role, p_kiosk);
      RETURN QUERY SELECT 'ok'::text, who.name::text, 0;
      RETURN;
    END IF;
  END IF;
  recent := recent + 1;
  INSERT INTO public.audit_event (site_id, at, action, place, detail)
  VALUES (v_site, moment, 'kiosk_pin_refused', p_kiosk,
          format('wrong PIN %s of %s', recent, p_tries));
  IF recent >= p_tries THEN
    INSERT INTO public.audit_event (site_id, at, action, place, detail)
    VALUES (v_site, moment, 'kiosk_pin_locked', p_kiosk,
            format('keypad locked until %s',
                   to_char(moment + p_window, 'YYYY-MM-DD"T"HH24:MI:SSOF')));
    RETURN QUERY SELECT 'locked_now'::text, NULL::text, recent;
  ELSE
    RETURN QUERY SELECT 'wrong'::text, NULL::text, recent;
  END IF;
END $$
"""

FUNCTIONS = {
    "onestop_pin_setting(text, text)": PIN_SETTING,
    "onestop_sign_in(text, text, text, text, text, timestamptz, integer, interval)": SIGN_IN,
    "onestop_kiosk_settings(text)": KIOSK_SETTINGS,
    "onestop_kiosk_pin(text, text, integer[], text[], boolean, integer, interval)": KIOSK_PIN,
}


def upgrade() -> None:
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("failed_pins", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
        batch_op.add_column(
            sa.Column("locked_until", shared.store.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("left_at", shared.store.db.UTCDateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("visit_event", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("staff_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True)
        )
    op.create_table(
        "staff_login",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("place", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("signed_in_at", shared.store.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", shared.store.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("signed_out_at", shared.store.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"]),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("staff_login", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_login_staff_id"), ["staff_id"], unique=False)
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("at", shared.store.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("staff_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("place", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.Column("ticket", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
        sa.Column("detail", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index("ix_audit_event_site_at", ["site_id", "at"], unique=False)
    op.create_table(
        "daily_purge",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("at", shared.store.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"]),
        sa.PrimaryKeyConstraint("site_id"),
    )
    if op.get_bind().dialect.name == "postgresql":
        for signature, body in FUNCTIONS.items():
            op.execute(body)
            op.execute(f"REVOKE ALL ON FUNCTION public.{signature} FROM PUBLIC")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for signature in reversed(FUNCTIONS):
            op.execute(f"DROP FUNCTION IF EXISTS public.{signature}")
    op.drop_table("daily_purge")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_site_at")
    op.drop_table("audit_event")
    with op.batch_alter_table("staff_login", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_login_staff_id"))
    op.drop_table("staff_login")
    with op.batch_alter_table("visit_event", schema=None) as batch_op:
        batch_op.drop_column("staff_name")
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_column("left_at")
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_pins")
