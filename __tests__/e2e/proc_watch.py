"""Record the command line of every process the end-to-end run starts, while it runs.

A thread polls /proc and keeps each descendant of a root process (run.sh's shell: the services, pytest, the init
containers, the servers and their workers). A process's command line is read again on every poll while it lives,
so what it shows after exec is recorded, not only the parent's line it inherits at fork.
"""

import os
import threading
import time


def _stat(pid):
    """(ppid, start time) of a process, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read()
    except OSError:
        return None
    fields = data[data.rindex(b")") + 2:].split()  # after "pid (comm) "
    return int(fields[1]), int(fields[19])


def _cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
    except OSError:
        return None


class ProcessWatch:
    def __init__(self, root_pid, interval=0.05):
        self.root, self.interval = root_pid, interval
        self.seen = {}  # (pid, start) -> set of command lines
        self._known = {}  # pid -> (ppid, start) of every process seen, descendant or not
        self._descendants = {(root_pid, (_stat(root_pid) or (0, 0))[1])}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="proc-watch", daemon=True)
        self.polls = 0

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        self._thread.join()

    def _run(self):
        while not self._stop.is_set():
            self.poll()
            self._stop.wait(self.interval)

    def poll(self):
        alive = {int(name) for name in os.listdir("/proc") if name.isdigit()}
        # Only new pids are read (a pid reused between two polls, 50 ms apart, would be missed).
        self._known = {pid: v for pid, v in self._known.items() if pid in alive}
        for pid in alive - self._known.keys():
            stat = _stat(pid)
            if stat is not None:
                self._known[pid] = stat
        alive &= self._known.keys()
        # Parents come before children in no particular order: repeat until no new descendant is found.
        grew = True
        while grew:
            grew = False
            for pid in alive:
                ppid, start = self._known[pid]
                key = (pid, start)
                if key in self._descendants:
                    continue
                parent = self._known.get(ppid)
                if parent is not None and (ppid, parent[1]) in self._descendants:
                    self._descendants.add(key)
                    grew = True
        for pid in alive:
            key = (pid, self._known[pid][1])
            if key in self._descendants:
                line = _cmdline(pid)
                if line:
                    self.seen.setdefault(key, set()).add(line)
        self._descendants = {k for k in self._descendants if k[0] in alive or k[0] == self.root}
        self.polls += 1

    def command_lines(self):
        return sorted({line for lines in list(self.seen.values()) for line in lines})


def secrets_in(lines, secrets):
    """(secret label, command line) for every line that contains a secret."""
    return [(label, line) for line in lines for label, value in secrets.items() if value and value in line]
