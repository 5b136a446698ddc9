#!/usr/bin/env bash
# OneStop on PostgreSQL: create, or bring back into shape, the database and its roles.
#
#   sudo -u postgres bash installer/postgres/setup.sh            (on the database server)
#   PGHOST=db.example PGUSER=postgres bash installer/postgres/setup.sh   (from elsewhere)
#
# Run it as a PostgreSQL superuser. It is safe to run again, and it must be run again
# after every `onestop db upgrade`: the tables a migration adds get their privileges
# then. docs/deploy.md explains the roles and the whole set-up.
#
# Settings, from the environment (or the options below):
#   ONESTOP_DB_NAME       the database (default: onestop)            --database NAME
#   ONESTOP_ROLE_PREFIX   the roles' names begin with it (default: onestop_)   --prefix P
#   ONESTOP_ADMIN_PASSWORD, ONESTOP_SUPERVISOR_PASSWORD, ONESTOP_STAFF_PASSWORD,
#   ONESTOP_DISPLAY_PASSWORD, ONESTOP_KIOSK_PASSWORD
#                         the login roles' passwords (12 characters or more). A role
#                         that exists keeps its password unless its variable is set;
#                         a new role's password is asked for at the terminal when its
#                         variable is not set. Passwords are never written to disk
#                         (but to a private temporary file psql reads and that is
#                         deleted at once) nor to the server's log.
#   PSQL                  the psql program (default: psql)
#   PGHOST, PGPORT, PGUSER, PGPASSWORD, PGSSLMODE...   where the server is, as for psql
#
# Exit status: 0 done, 2 a setting is wrong (nothing changed), 1 the server refused.

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
db=${ONESTOP_DB_NAME:-onestop}
prefix=${ONESTOP_ROLE_PREFIX:-onestop_}
psql=${PSQL:-psql}
apps=(admin supervisor staff display kiosk)

usage() {
    sed -n '2,27p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

fail() {
    echo "setup.sh: error: $*" >&2
    exit 2
}

while [ $# -gt 0 ]; do
    case "$1" in
        --database) [ $# -ge 2 ] || fail "--database needs a name"; db=$2; shift 2 ;;
        --prefix) [ $# -ge 2 ] || fail "--prefix needs a value"; prefix=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) fail "unknown option $1 (see --help)" ;;
    esac
done

[[ $db =~ ^[a-z_][a-z0-9_]{0,62}$ ]] ||
    fail "database name '$db': lower-case letters, digits and _ only, starting with a letter or _"
[[ $prefix =~ ^[a-z_][a-z0-9_]{0,39}$ ]] ||
    fail "role prefix '$prefix': lower-case letters, digits and _ only, at most 40"
command -v "$psql" >/dev/null || fail "no $psql here: install the PostgreSQL client (apt-get install postgresql-client)"

run_psql() {
    "$psql" -X -q -P pager=off -v ON_ERROR_STOP=1 "$@"
}

# Which of the login roles exist already (they keep their passwords).
existing=$(run_psql -d postgres -tA -c "SELECT string_agg(rolname, ' ') FROM pg_roles WHERE rolname LIKE '$prefix%'") ||
    { echo "setup.sh: error: cannot reach the PostgreSQL server as a superuser (see above)" >&2; exit 1; }

psql_quote() {  # a value for psql's \set: backslashes doubled, quotes doubled
    local value=${1//\\/\\\\}
    printf "'%s'" "${value//\'/\'\'}"
}

secrets=$(mktemp "${TMPDIR:-/tmp}/onestop-setup.XXXXXX")
chmod 600 "$secrets"
trap 'rm -f "$secrets"' EXIT
{
    echo "\\set db $(psql_quote "$db")"
    echo "\\set prefix $(psql_quote "$prefix")"
} >"$secrets"

for app in "${apps[@]}"; do
    role="$prefix$app"
    variable="ONESTOP_${app^^}_PASSWORD"
    password=${!variable:-}
    if [ -z "$password" ] && [[ " $existing " != *" $role "* ]]; then
        if [ -t 0 ]; then
            read -rsp "Password for the new role $role: " password; echo >&2
            read -rsp "The same again: " again; echo >&2
            [ "$password" = "$again" ] || fail "the two passwords for $role differ"
        else
            fail "$role is new and $variable is not set (and there is no terminal to ask)"
        fi
    fi
    if [ -n "$password" ]; then
        [ ${#password} -ge 12 ] || fail "the password for $role is shorter than 12 characters"
        [[ $password != *$'\n'* && $password != *$'\r'* ]] || fail "the password for $role has a line break"
    fi
    echo "\\set ${app}_password $(psql_quote "$password")" >>"$secrets"
done

run_psql -d postgres -f "$secrets" -f "$here/roles.sql" || exit 1
run_psql -d "$db" -f "$secrets" -f "$here/grants.sql" || exit 1
rm -f "$secrets"

cat <<EOF
OneStop database '$db' ready; its roles: ${apps[*]/#/$prefix}.
Next, as the admin (it runs the migrations), from a PC with OneStop and the admin's
password in its pgpass file (docs/deploy.md):
  onestop db upgrade --db 'postgresql+psycopg://${prefix}admin@SERVER/$db?sslmode=verify-full&sslrootcert=CA.pem'
then run this script again, so that the new tables get their privileges.
EOF
