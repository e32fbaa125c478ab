"""MLflow Projects on Kubernetes: the Job template the chart renders, turned into the Job MLflow would submit by
MLflow's own Kubernetes backend code, validated against the Kubernetes schemas, and then run: the Job's container
command and environment are executed locally against the tracking server (everything but Docker and the cluster)."""

import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import ARTIFACTS_PATH, IMAGE_TAG, REPO_ROOT
from pod_runner import container_env, process_env

EXAMPLE = REPO_ROOT / "examples" / "linear-fit"
PARAMS = {"alpha": "0.3", "points": "120"}
DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")


@pytest.fixture(scope="module")
def job_configmap(rendered):
    found = [c for c in rendered.of_kind("ConfigMap") if "backend_config.json" in c.get("data", {})]
    assert len(found) == 1, "expected one ConfigMap holding backend_config.json and the Job template"
    return found[0]


@pytest.fixture(scope="module")
def project_job(job_configmap, tracking_server, in_cluster_tracking_uri, tmp_path_factory):
    """Build the Job as `mlflow run <project> --backend kubernetes --backend-config backend_config.json` does,
    from the ConfigMap's files saved as a user would (kubectl get configmap ...), minus the Docker build/push."""
    import mlflow
    from mlflow.projects import _parse_kubernetes_config
    from mlflow.projects import kubernetes as kb
    from mlflow.projects.docker import _get_docker_image_uri, validate_docker_env
    from mlflow.projects.utils import get_entry_point_command, get_or_create_run, get_run_env_vars, load_project

    workdir = tmp_path_factory.mktemp("mlflow-run")
    for key, text in job_configmap["data"].items():
        (workdir / key).write_text(text)
    backend_config = json.loads((workdir / "backend_config.json").read_text())

    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(workdir)  # kube-job-template-path is relative to where `mlflow run` is started
        mp.setenv("MLFLOW_TRACKING_URI", tracking_server.url)
        # What the user exports so the Job reports to the in-cluster Service instead of the client's own URI.
        mp.setenv("KUBE_MLFLOW_TRACKING_URI", in_cluster_tracking_uri)
        mlflow.set_tracking_uri(tracking_server.url)
        kube_config = _parse_kubernetes_config(backend_config)
        project = load_project(str(EXAMPLE))
        validate_docker_env(project)
        experiment_id = mlflow.MlflowClient().create_experiment("e2e-project")
        active_run = get_or_create_run(None, str(EXAMPLE), experiment_id, str(EXAMPLE), None, "main", PARAMS)
        image_uri = _get_docker_image_uri(kube_config["repository-uri"], str(EXAMPLE))
        digest = "sha256:" + hashlib.sha256(image_uri.encode()).hexdigest()  # what the registry push would return
        job = kb._get_kubernetes_job_definition(
            project.name, image_uri, digest,
            kb._get_run_command(get_entry_point_command(project, "main", PARAMS, None)),
            get_run_env_vars(active_run.info.run_id, experiment_id),
            kube_config["kube-job-template"],
        )
    job_file = workdir / "job.yaml"
    job_file.write_text(yaml.safe_dump(job))
    return {"job": job, "file": job_file, "run_id": active_run.info.run_id, "experiment_id": experiment_id,
            "image": f"{image_uri}@{digest}", "repository_uri": kube_config["repository-uri"]}


def test_example_project_builds_from_the_tracking_server_image():
    image = yaml.safe_load((EXAMPLE / "MLproject").read_text())["docker_env"]["image"]
    assert image == f"mlflow-tracking-server:{IMAGE_TAG}", "examples/linear-fit/MLproject: use the current image tag"


def test_job_passes_kubernetes_schema_validation(project_job):
    proc = subprocess.run(["bash", str(REPO_ROOT / "scripts" / "kube-validate.sh"), str(project_job["file"])],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, f"kube-validate.sh rejected the Job:\n{proc.stdout}\n{proc.stderr}"
    assert "Valid: 1" in proc.stdout, proc.stdout


def test_job_names_are_accepted_by_the_api_server(project_job):
    job = project_job["job"]
    name = job["metadata"]["name"]
    # The Job controller copies the name into a label value: at most 63 characters.
    assert DNS_LABEL.fullmatch(name) and len(name) <= 63, f"Job name {name!r} is not a valid DNS label"
    container = job["spec"]["template"]["spec"]["containers"][0]
    assert DNS_LABEL.fullmatch(container["name"]), f"container name {container['name']!r} is not a DNS label"
    assert job["metadata"]["namespace"], "MLflow submits to metadata.namespace; the template must set it"


def test_job_uses_the_service_account_pull_secret_and_projects_claim(project_job, rendered):
    spec = project_job["job"]["spec"]["template"]["spec"]
    account = rendered.get("ServiceAccount", spec["serviceAccountName"])
    pull = [s["name"] for s in spec["imagePullSecrets"]]
    assert len(pull) == 1 and rendered.get("Secret", pull[0])["type"] == "kubernetes.io/dockerconfigjson"
    assert account["metadata"]["namespace"] == project_job["job"]["metadata"]["namespace"]
    assert pull[0] in [s["name"] for s in account.get("imagePullSecrets", [])]
    # The service account may read the pull secret (and nothing more is checked here: the chart's own tests do).
    roles = [rendered.get("Role", b["roleRef"]["name"]) for b in rendered.of_kind("RoleBinding")
             if {"kind": "ServiceAccount", "name": account["metadata"]["name"],
                 "namespace": account["metadata"]["namespace"]} in b["subjects"]]
    assert any("secrets" in r["resources"] and "get" in r["verbs"] and pull[0] in r.get("resourceNames", [])
               for role in roles for r in role["rules"]), "the Jobs' service account cannot read the pull secret"

    claims = {v["name"]: v["persistentVolumeClaim"]["claimName"] for v in spec["volumes"]
              if "persistentVolumeClaim" in v}
    container = spec["containers"][0]
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    assert len(claims) == 1, f"expected the Azure Files claim as the one claim, got {claims}"
    (volume, claim_name), = claims.items()
    claim = rendered.get("PersistentVolumeClaim", claim_name)
    pv = rendered.get("PersistentVolume", claim["spec"]["volumeName"])
    assert pv["spec"]["csi"]["driver"] == "file.csi.azure.com"
    assert volume in mounts


def test_projects_mount_does_not_hide_the_project_code(project_job):
    """MLflow bakes the project into the image at /mlflow/projects/code/ and runs there; a volume mounted on that
    directory or one of its parents would hide the code and every run would fail."""
    from mlflow.projects.utils import MLFLOW_DOCKER_WORKDIR_PATH

    code = Path(MLFLOW_DOCKER_WORKDIR_PATH)
    container = project_job["job"]["spec"]["template"]["spec"]["containers"][0]
    for mount in container["volumeMounts"]:
        path = Path(mount["mountPath"])
        assert path != code and path not in code.parents, (
            f"volume {mount['name']} is mounted at {path}, which hides MLflow's project code in {code} "
            "(mlflowProject.job.projectsMountPath)"
        )


def test_job_runs_the_entry_point_with_the_mlflow_run(project_job, in_cluster_tracking_uri):
    container = project_job["job"]["spec"]["template"]["spec"]["containers"][0]
    # The image MLflow pushed to the chart's registry (repository-uri), pinned by digest.
    assert container["image"] == project_job["image"]
    assert container["image"].startswith(project_job["repository_uri"] + ":")
    assert container["command"][:2] == ["python", "train.py"]
    env = {e["name"]: e.get("value") for e in container["env"]}
    assert env["MLFLOW_TRACKING_URI"] == in_cluster_tracking_uri
    assert env["MLFLOW_RUN_ID"] == project_job["run_id"]
    assert env["MLFLOW_EXPERIMENT_ID"] == str(project_job["experiment_id"])


def test_job_container_logs_to_the_tracking_server(project_job, rendered, client, artifact_container, tmp_path):
    """Run the Job's container command with its environment, from a copy of the project as the image holds it.
    The run reaches the server through the Service's cluster DNS name (the Host header check included)."""
    pod_spec = project_job["job"]["spec"]["template"]["spec"]
    container = pod_spec["containers"][0]
    code = tmp_path / "code"
    shutil.copytree(EXAMPLE, code)
    declared = container_env(container, pod_spec, rendered)
    proc = subprocess.run(container["command"], env=process_env(declared), cwd=code, capture_output=True,
                          text=True, timeout=180, check=False)
    assert proc.returncode == 0, f"the project run failed:\n{proc.stdout}\n{proc.stderr}"

    run = client.get_run(project_job["run_id"])
    assert run.info.status == "FINISHED"
    assert run.data.params["alpha"] == PARAMS["alpha"] and run.data.params["points"] == PARAMS["points"]
    assert run.data.metrics["rmse"] < 1.0
    coefficients = json.loads(Path(client.download_artifacts(run.info.run_id, "coefficients.json",
                                                             str(tmp_path))).read_text())
    assert abs(coefficients["slope"] - 3.0) < 0.2
    blobs = [b.name for b in artifact_container.list_blobs(name_starts_with=f"{ARTIFACTS_PATH}/")]
    assert any(n.endswith(f"/{run.info.run_id}/artifacts/coefficients.json") for n in blobs)
