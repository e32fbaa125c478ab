# Backup, init container `dump` (MySQL image): one consistent snapshot (--single-transaction, no table locks on
# InnoDB) of the MLflow database with its routines and triggers, CREATE DATABASE included (--databases) so a restore
# also works after the database is dropped. The dump goes to a file and is compressed afterwards: in a pipe, `sh -e`
# would not see mysqldump fail. Reads DB_HOST/DB_PORT/DB_USER/DB_NAME, DB_PASSWORD_FILE and BACKUP_DIR only, so it
# runs the same way outside the cluster (the end-to-end test runs it against MariaDB).
dump="$BACKUP_DIR/$DB_NAME-$(date -u +%Y%m%dT%H%M%SZ).sql"
MYSQL_PWD="$(cat "$DB_PASSWORD_FILE")"
export MYSQL_PWD
mysqldump --host="$DB_HOST" --port="$DB_PORT" --user="$DB_USER" \
  --single-transaction --routines --triggers --no-tablespaces --hex-blob \
  --result-file="$dump" --databases "$DB_NAME"
gzip -9 "$dump"
echo "dumped database $DB_NAME to $(basename "$dump").gz"
