# Run by the tracking server's `wait-for-database` init container as `python3 -c <this file>`: waits until the
# database accepts TCP connections (DB_HOST, DB_PORT), up to DB_WAIT_TIMEOUT_SECONDS.
import os, socket, sys, time
host, port = os.environ["DB_HOST"], int(os.environ["DB_PORT"])
deadline = time.monotonic() + int(os.environ["DB_WAIT_TIMEOUT_SECONDS"])
while True:
    try:
        socket.create_connection((host, port), timeout=5).close()
        break
    except OSError as err:
        if time.monotonic() > deadline:
            sys.exit("database %s:%d not reachable: %s" % (host, port, err))
        print("waiting for database %s:%d (%s)" % (host, port, err), flush=True)
        time.sleep(2)
print("database %s:%d accepts connections" % (host, port), flush=True)
