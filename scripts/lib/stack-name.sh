# Sourced by the scripts that take a stack name, so the rule lives once: <kind>-<env>, lower case (environment names
# as config/schema.ts allows them). Checked before the name becomes a path. Calls the caller's die().
STACK_NAME_PATTERN='^[a-z]+-[a-z][a-z0-9]{1,9}$'
require_stack_name() {
  [[ "$1" =~ ${STACK_NAME_PATTERN} ]] || die "stack '$1' is not a stack name: expected <kind>-<env> in lower case, e.g. infra-dev"
}
