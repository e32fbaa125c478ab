"""The end-to-end venv runs exactly the tracking-server image's dependency set, and the image files agree."""

import re
from importlib import metadata

from conftest import IMAGE_TAG, REPO_ROOT

IMAGE_DIR = REPO_ROOT / "docker" / "tracking-server"


def _pins(path):
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, sep, version = line.partition("==")
            assert sep, f"{path.name}: {line!r} is not pinned with =="
            pins[name.strip()] = version.strip()
    return pins


def test_venv_has_every_pin_of_the_image_lock():
    lock = _pins(IMAGE_DIR / "requirements.txt")
    wrong = {name: (want, _installed(name)) for name, want in lock.items() if _installed(name) != want}
    assert not wrong, f"venv differs from docker/tracking-server/requirements.txt (want, have): {wrong}"


def test_lock_contains_the_direct_requirements():
    # pip freeze writes some names with "_" (prometheus_client): compare names as PEP 503 normalizes them.
    lock = {_normalized(name): v for name, v in _pins(IMAGE_DIR / "requirements.txt").items()}
    direct = _pins(IMAGE_DIR / "requirements.in")
    assert {_normalized(n): v for n, v in direct.items()}.items() <= lock.items()


def _normalized(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def test_image_tag_is_mlflow_version_and_build_number():
    mlflow_version = _pins(IMAGE_DIR / "requirements.in")["mlflow"]
    assert re.fullmatch(rf"{re.escape(mlflow_version)}-[1-9][0-9]*", IMAGE_TAG), (
        f"docker/tracking-server/VERSION is {IMAGE_TAG!r}; expected <mlflow version {mlflow_version}>-<build number>"
    )


def test_dockerfile_installs_the_lock_and_runs_as_non_root():
    text = (IMAGE_DIR / "Dockerfile").read_text()
    final = text.rsplit("\nFROM ", 1)[1]
    assert re.search(r"pip install --only-binary=:all: -r /tmp/requirements.txt", text)
    users = re.findall(r"^USER\s+(\d+)", final, flags=re.M)
    assert users and int(users[-1]) != 0, "the final stage must switch to a numeric non-root USER"
    # The final stage only copies the venv: no package manager, no build tools.
    assert not re.search(r"apt-get|pip install|gcc|build-essential", final)


def _installed(name):
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def test_toolbox_pins_the_project_tool_versions():
    """The toolbox builds helm and kubectl at the versions the project's own tool scripts pin."""
    pinned = dict(line.split("=", 1) for line in (REPO_ROOT / "scripts" / "versions.env").read_text().splitlines()
                  if line and not line.startswith("#"))
    text = (REPO_ROOT / "docker" / "toolbox" / "Dockerfile").read_text()
    for name in ("HELM_VERSION", "KUBERNETES_VERSION"):
        args = set(re.findall(rf"^ARG {name}=(\S+)", text, flags=re.M))
        assert args == {pinned[name]}, (
            f"docker/toolbox/Dockerfile ARG {name} is {args}; scripts/versions.env has {pinned[name]}")


def test_chart_app_version_is_the_image_mlflow_version():
    """Chart.yaml says which MLflow release the chart runs (its appVersion); it must be the image's."""
    import yaml

    chart = yaml.safe_load((REPO_ROOT / "helm_charts" / "mlflow_setup" / "Chart.yaml").read_text())
    mlflow_version = _pins(IMAGE_DIR / "requirements.in")["mlflow"]
    assert chart["appVersion"] == mlflow_version, (
        f"helm_charts/mlflow_setup/Chart.yaml appVersion is {chart['appVersion']}; the image runs MLflow {mlflow_version}")
