"""Run the containers of a rendered pod spec as local processes, the way kubelet would start them.

command/args/env come from the rendered manifest unchanged: env values and secretKeyRefs are resolved from the
rendered Secrets, $(VAR) references are expanded with Kubernetes' rules, and the image's own environment
(docker/tracking-server/Dockerfile: PATH with the venv first, Python flags) is recreated with the test venv.
"""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

# ENV of docker/tracking-server/Dockerfile, with the image's /opt/mlflow venv replaced by the test venv (same lock).
VENV_BIN = str(Path(sys.executable).parent)
IMAGE_ENV = {
    "PATH": f"{VENV_BIN}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONUNBUFFERED": "1",
}
# The pod's IP (downward API status.podIP): a loopback address other than 127.0.0.1, so a request by pod IP, as
# Prometheus scrapes, is told apart from a local one (the chart allows 127.0.0.1 as Host in any case).
POD_IP = "127.0.0.2"
FIELD_REFS = {"status.podIP": POD_IP}


def expand(text, env):
    """Kubernetes $(VAR) expansion: defined names are replaced, $$ becomes $, anything else stays as written."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "$" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt == "$":
                out.append("$")
                i += 2
                continue
            if nxt == "(":
                close = text.find(")", i + 2)
                if close != -1:
                    name = text[i + 2:close]
                    out.append(env[name] if name in env else f"$({name})")
                    i = close + 1
                    continue
                out.append("$(")
                i += 2
                continue
            out.append(text[i:i + 2])
            i += 2
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


def service_link_env(rendered, pod_spec):
    """The variables kubelet injects for every Service of the namespace unless enableServiceLinks is false
    (<NAME>_SERVICE_HOST, <NAME>_PORT, ...). Rendered here so a name clash with MLflow's own MLFLOW_* settings
    would show up. Cluster IPs are made up; nothing in the test connects to them."""
    if pod_spec.get("enableServiceLinks", True) is False:
        return {}
    env = {}
    for number, service in enumerate(rendered.of_kind("Service"), start=1):
        prefix = service["metadata"]["name"].upper().replace("-", "_")
        ip = f"10.0.0.{number}"
        ports = service["spec"].get("ports", [])
        for port in ports:
            proto = port.get("protocol", "TCP")
            base = f"{prefix}_PORT_{port['port']}_{proto}"
            env.update({base: f"{proto.lower()}://{ip}:{port['port']}", f"{base}_PROTO": proto.lower(),
                        f"{base}_PORT": str(port["port"]), f"{base}_ADDR": ip})
            if port.get("name"):
                env[f"{prefix}_SERVICE_PORT_{port['name'].upper().replace('-', '_')}"] = str(port["port"])
        if ports:
            first = ports[0]
            env.update({f"{prefix}_SERVICE_HOST": ip, f"{prefix}_SERVICE_PORT": str(first["port"]),
                        f"{prefix}_PORT": f"{first.get('protocol', 'TCP').lower()}://{ip}:{first['port']}"})
    return env


def container_env(container, pod_spec, rendered):
    """The variables kubelet sets in the container: service links, then the env list in order (an entry's
    $(VAR) sees only those before it). The image's ENV comes underneath (see process_env)."""
    assert not container.get("envFrom"), f"container {container['name']}: envFrom is not supported by this runner"
    declared = service_link_env(rendered, pod_spec)
    for item in container.get("env", []):
        if "value" in item:
            declared[item["name"]] = expand(str(item["value"]), declared)
        elif item.get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") in FIELD_REFS:
            declared[item["name"]] = FIELD_REFS[item["valueFrom"]["fieldRef"]["fieldPath"]]
        else:
            ref = item.get("valueFrom", {}).get("secretKeyRef")
            assert ref, f"container {container['name']}: env {item['name']} has an unsupported valueFrom: {item}"
            declared[item["name"]] = rendered.secret_value(ref["name"], ref["key"])
    return declared


def write_credential_files(container, pod_spec, rendered):
    """The files kubelet projects for the container: every secret or projected-secret volume it mounts, written at
    its mountPath from the rendered Secrets (render with trackingServer.secretsMountPath under the test's state)."""
    volumes = {v["name"]: v for v in pod_spec.get("volumes", [])}
    for mount in container.get("volumeMounts", []):
        volume = volumes[mount["name"]]
        if "secret" in volume:
            sources = [{"secret": {"name": volume["secret"]["secretName"], "items": volume["secret"]["items"]}}]
        elif "projected" in volume:
            sources = volume["projected"]["sources"]
        else:
            continue
        target = Path(mount["mountPath"])
        target.mkdir(parents=True, exist_ok=True)
        for source in sources:
            secret = source["secret"]
            for item in secret["items"]:
                path = target / item["path"]
                path.write_text(rendered.secret_value(secret["name"], item["key"]))
                path.chmod(0o440)


def process_env(declared):
    """What the container's process sees: the image's ENV overridden by the pod's variables."""
    return {**IMAGE_ENV, **declared}


def container_argv(container, env):
    """command + args after $(VAR) expansion (with the declared env, not the image's). A container without
    command would run the image's CMD, which the test cannot know from the manifest."""
    assert container.get("command"), f"container {container['name']}: no command; the chart should set it"
    return [expand(part, env) for part in container["command"] + container.get("args", [])]


class PodProcess:
    """One start of a pod: init containers in order, then the first container in the background."""

    def __init__(self, pod_spec, rendered, work_dir, pid_dir, log_dir, name):
        self.spec, self.rendered = pod_spec, rendered
        self.work_dir, self.pid_dir, self.log_dir, self.name = Path(work_dir), Path(pid_dir), Path(log_dir), name
        self.process = None
        self.work_dir.mkdir(parents=True, exist_ok=True)

    def run_init_containers(self, timeout=240):
        for init in self.spec.get("initContainers", []):
            declared = container_env(init, self.spec, self.rendered)
            write_credential_files(init, self.spec, self.rendered)
            log = self.log_dir / f"{self.name}-{init['name']}.log"
            with open(log, "ab") as out:
                try:
                    proc = subprocess.run(container_argv(init, declared), env=process_env(declared),
                                          cwd=self.work_dir, stdout=out, stderr=subprocess.STDOUT,
                                          timeout=timeout, check=False)
                except subprocess.TimeoutExpired:
                    raise AssertionError(f"init container {init['name']} ran over {timeout}s; see {log}") from None
            if proc.returncode != 0:
                raise AssertionError(f"init container {init['name']} exited {proc.returncode}:\n{_tail(log)}")

    def start_main(self):
        main = self.spec["containers"][0]
        declared = container_env(main, self.spec, self.rendered)
        write_credential_files(main, self.spec, self.rendered)
        log = open(self.log_dir / f"{self.name}-{main['name']}.log", "ab")
        # Own process group (like run.sh's services), so stopping it also stops the server's worker processes.
        self.process = subprocess.Popen(container_argv(main, declared), env=process_env(declared),
                                        cwd=self.work_dir, stdout=log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        log.close()
        (self.pid_dir / f"{self.name}.pid").write_text(str(self.process.pid))
        return main

    def wait_ready(self, port, path, timeout=120):
        """Poll the startup probe's HTTP path until it answers 200."""
        url = f"http://127.0.0.1:{port}{path}"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"{self.name} exited {self.process.returncode}:\n{_tail(self._main_log())}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.5)
        raise AssertionError(f"{self.name} not ready at {url} after {timeout}s:\n{_tail(self._main_log())}")

    def stop(self, timeout=20):
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        # Workers may outlive the leader by a moment; the group must be empty before the next start.
        deadline = time.monotonic() + timeout
        while _group_alive(self.process.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if _group_alive(self.process.pid):
            os.killpg(self.process.pid, signal.SIGKILL)
        (self.pid_dir / f"{self.name}.pid").unlink(missing_ok=True)

    def _main_log(self):
        return self.log_dir / f"{self.name}-{self.spec['containers'][0]['name']}.log"


def named_port(container, port):
    """A probe's port: a number, or the name of one of the container's ports."""
    if isinstance(port, int):
        return port
    for item in container.get("ports", []):
        if item.get("name") == port:
            return item["containerPort"]
    raise AssertionError(f"container {container['name']} has no port named {port!r}")


def _group_alive(pgid):
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False


def _tail(path, lines=40):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError as err:
        return f"(no log: {err})"
