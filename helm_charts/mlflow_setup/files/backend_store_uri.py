# Prints MLFLOW_BACKEND_STORE_URI for the start-up of the tracking server (run as `python3 -c <this file>`): the password is
# read from DB_PASSWORD_FILE (trailing newlines dropped, as the shell and the MySQL image do), never a command line.
# Every part is percent-encoded with quote(safe=""), which SQLAlchemy decodes back exactly (a space becomes %20, not
# "+"), so any password works, including one from an existing Secret the chart never sees. Non-ASCII too: PyMySQL sends
# the latin-1 bytes of the password, so it gets the string whose latin-1 bytes are the UTF-8 bytes of the password, which
# is what MySQL hashed (files/migrate_database.py does the same). No single quote in this file: the chart single-quotes it.
import os
from urllib.parse import quote

env = os.environ
password = open(env["DB_PASSWORD_FILE"], encoding="utf-8").read().rstrip("\n").encode().decode("latin-1")
options = env.get("DB_OPTIONS", "")
print(
    "mysql+pymysql://" + quote(env["DB_USER"], safe="") + ":" + quote(password, safe="")
    + "@" + env["DB_HOST"] + ":" + env["DB_PORT"] + "/" + quote(env["DB_NAME"], safe="")
    + ("?" + options if options else "")
)
