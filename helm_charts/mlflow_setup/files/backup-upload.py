# Backup, container `upload` (tracking-server image): puts every *.sql.gz of BACKUP_DIR under BACKUP_PREFIX/ in the
# BACKUP_CONTAINER blob container (never overwriting), then deletes the dumps under that prefix older than
# BACKUP_RETENTION_DAYS, never the one just written. Credentials in MLflow's order: connection string file, account
# key file, workload identity. Reads only its environment and the credential files.
import datetime, os, pathlib, sys
from azure.storage.blob import BlobServiceClient

e = os.environ
def secret(variable):
    path = e.get(variable)
    return pathlib.Path(path).read_text().rstrip("\n") if path else None

connection_string = secret("AZURE_STORAGE_CONNECTION_STRING_FILE")
access_key = secret("AZURE_STORAGE_ACCESS_KEY_FILE")
if connection_string:
    service = BlobServiceClient.from_connection_string(connection_string)
elif access_key:
    credential = {"account_name": e["AZURE_STORAGE_ACCOUNT"], "account_key": access_key}
    service = BlobServiceClient(e["AZURE_STORAGE_ACCOUNT_URL"], credential=credential)
else:
    from azure.identity import DefaultAzureCredential
    service = BlobServiceClient(e["AZURE_STORAGE_ACCOUNT_URL"], credential=DefaultAzureCredential())

container = service.get_container_client(e["BACKUP_CONTAINER"])
if not container.exists():
    container.create_container()
prefix = e["BACKUP_PREFIX"] + "/"
dumps = sorted(pathlib.Path(e["BACKUP_DIR"]).glob("*.sql.gz"))
if not dumps:
    sys.exit("no dump in " + e["BACKUP_DIR"])
for dump in dumps:
    with dump.open("rb") as data:
        container.upload_blob(prefix + dump.name, data, overwrite=False)
    print("uploaded %s%s (%d bytes)" % (prefix, dump.name, dump.stat().st_size), flush=True)

days = int(e["BACKUP_RETENTION_DAYS"])
cutoff = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=days)
written = {prefix + dump.name for dump in dumps}
for blob in container.list_blobs(name_starts_with=prefix):
    if blob.name.endswith(".sql.gz") and blob.name not in written and blob.last_modified < cutoff:
        container.delete_blob(blob.name)
        print("deleted %s (older than %d days)" % (blob.name, days), flush=True)
