import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { Release } from "@cdktf/provider-helm/lib/release";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { Password } from "@cdktf/provider-random/lib/password";
import { OFF_DEFAULT_ENV, onlyResourceOf, PIPELINE_ENV, refOf, synthAll, type TerraformJson } from "../support/stacks";

const app = synthAll();
const mlflow = (env: string): TerraformJson => app.json(`mlflow-${env}`);
const dev = mlflow("dev");
const prod = mlflow("prod");
const remoteState = (env: string) => `data.terraform_remote_state.cross-stack-reference-input-infra-${env}.outputs.`;

describe("stack wiring", () => {
  it.each(["dev", "staging", "prod"])("mlflow-%s depends on its own platform stack only", (env) => {
    expect(app.dependencies(`mlflow-${env}`)).toEqual([`infra-${env}`]);
  });

  it.each([
    ["dev", dev],
    ["prod", prod],
  ])("%s: reads the platform only through its remote state", (env, json) => {
    const remote = json.data!.terraform_remote_state!;
    expect(Object.keys(remote)).toEqual([`cross-stack-reference-input-infra-${env}`]);
    expect(remote[`cross-stack-reference-input-infra-${env}`]).toMatchObject({
      backend: "local",
      config: { path: `../../../terraform.infra-${env}.tfstate` },
    });
  });

  it("uses the azurerm backend for its own state and the platform's when configured", () => {
    const json = synthAll(PIPELINE_ENV).json("mlflow-prod");
    expect(json.terraform.backend.azurerm.key).toBe("mlflow-prod.tfstate");
    expect(json.data!.terraform_remote_state!["cross-stack-reference-input-infra-prod"]!.config).toEqual({
      resource_group_name: "rg-tfstate",
      storage_account_name: "sttfstate01",
      container_name: "tfstate",
      key: "infra-prod.tfstate",
      use_azuread_auth: true,
    });
  });
});

describe("cluster sign-in", () => {
  it("local accounts on: the admin client certificate from the platform", () => {
    const withLocalAccounts = synthAll(OFF_DEFAULT_ENV).json("mlflow-dev");
    const [kubernetes] = withLocalAccounts.provider!.kubernetes!;
    expect(kubernetes).toEqual({
      host: `\${${remoteState("dev")}cross-stack-output-azurerm_kubernetes_clusteraks_cluster_D4B35EC5kube_config0host}`,
      cluster_ca_certificate: expect.stringMatching(/^\$\{base64decode\(data\.terraform_remote_state\..*kube_config0cluster_ca_certificate\)\}$/),
      client_certificate: expect.stringMatching(/^\$\{base64decode\(data\.terraform_remote_state\..*kube_admin_config0client_certificate\)\}$/),
      client_key: expect.stringMatching(/^\$\{base64decode\(data\.terraform_remote_state\..*kube_admin_config0client_key\)\}$/),
    });
    expect(withLocalAccounts.provider!.helm![0].kubernetes).toEqual(kubernetes);
  });

  it.each([
    ["dev", dev],
    ["prod", prod],
  ])("%s (Entra ID only): kubelogin with the Azure CLI login by default, for both providers", (_env, json) => {
    const exec = {
      api_version: "client.authentication.k8s.io/v1beta1",
      command: "kubelogin",
      args: ["get-token", "--login", "azurecli", "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630"],
    };
    expect(json.provider!.kubernetes![0].exec).toEqual([exec]);
    expect(json.provider!.helm![0].kubernetes.exec).toEqual(exec);
    expect(json.provider!.kubernetes![0].client_key).toBeUndefined();
  });

  it("prod: the login mode follows KUBELOGIN_LOGIN_MODE (workload identity in pipelines)", () => {
    const json = synthAll(PIPELINE_ENV).json("mlflow-prod");
    expect(json.provider!.helm![0].kubernetes.exec.args).toEqual([
      "get-token",
      "--login",
      "workloadidentity",
      "--server-id",
      "6dae42f8-4368-4678-94ff-3960e28e3630",
    ]);
  });
});

describe("namespace", () => {
  it("is created per environment, labelled, with pod security admission", () => {
    expect(onlyResourceOf(prod, "kubernetes_namespace_v1").metadata).toEqual({
      name: "mlflow",
      labels: {
        "app.kubernetes.io/part-of": "mlflow",
        "mlflow-aks/environment": "prod",
        "pod-security.kubernetes.io/enforce": "baseline",
        "pod-security.kubernetes.io/warn": "restricted",
        "pod-security.kubernetes.io/audit": "restricted",
      },
    });
  });

  it("is protected from destroy where the environment protects its data (its deletion would take the database claim)", () => {
    expect(onlyResourceOf(prod, "kubernetes_namespace_v1").lifecycle).toEqual({ prevent_destroy: true });
    expect(onlyResourceOf(dev, "kubernetes_namespace_v1").lifecycle).toBeUndefined();
  });
});

describe("helm release", () => {
  const release = onlyResourceOf(prod, "helm_release");

  it("installs the local chart through a path relative to the stack folder", () => {
    expect(release.chart).toBe("../../../helm_charts/mlflow_setup");
    expect(release.dependency_update).toBe(true);
  });

  it("is atomic, waits, cleans up on failure, keeps a bounded history", () => {
    expect(release).toMatchObject({ name: "mlflow", atomic: true, cleanup_on_fail: true, wait: true, timeout: 900, max_history: 10 });
    expect(release.namespace).toBe(refOf(prod, "kubernetes_namespace_v1", "metadata[0].name"));
  });

  it("hands every secret only through set_sensitive, as references", () => {
    expect(release.set_sensitive).toEqual([
      {
        name: "registry.password",
        type: "string",
        value: expect.stringMatching(new RegExp(`^\\$\\{${remoteState("prod").replace(/\./g, "\\.")}cross-stack-output-azuread_application_password`)),
      },
      { name: "storage.accountKey", type: "string", value: expect.stringMatching(/^\$\{data\.terraform_remote_state\..*primary_access_key\}$/) },
      { name: "mysql.auth.password", type: "string", value: expect.stringMatching(/^\$\{random_password\.mlflow_mysql-password_\w+\.result\}$/) },
      { name: "mysql.auth.rootPassword", type: "string", value: expect.stringMatching(/^\$\{random_password\.mlflow_mysql-root-password_\w+\.result\}$/) },
    ]);
    expect(release.set).toBeUndefined();
  });

  it("keeps secrets out of `values`, and shows the non-secret platform outputs", () => {
    const values = JSON.parse(release.values[0]);
    expect(values.registry).toEqual({
      server: expect.stringMatching(/^\$\{nonsensitive\(data\.terraform_remote_state\..*login_server\)\}$/),
      username: expect.stringMatching(/^\$\{nonsensitive\(data\.terraform_remote_state\..*client_id\)\}$/),
    });
    expect(values.registry.password).toBeUndefined();
    expect(values.storage.accountKey).toBeUndefined();
    expect(values.mysql.auth).toEqual({ database: "mlflow", username: "mlflow" });
    expect(release.values[0]).not.toMatch(/password|primary_access_key|random_/i);
  });

  it("sizes the release per environment", () => {
    const devValues = JSON.parse(onlyResourceOf(dev, "helm_release").values[0]);
    const prodValues = JSON.parse(release.values[0]);
    expect(devValues.trackingServer.replicas).toBe(1);
    expect(prodValues.trackingServer.replicas).toBe(2);
    expect(prodValues.mysql.persistence.size).toBe("64Gi");
    expect(prodValues.storage.fileShare.size).toBe("500Gi");
  });

  it("restarts the tracking server when the chart changes", () => {
    const values = JSON.parse(release.values[0]);
    expect(values.trackingServer.podAnnotations["mlflow-aks/chart-digest"]).toMatch(/^[a-f0-9]{16}$/);
  });

  it("uses a pipeline-built image digest when one is given", () => {
    const json = synthAll(PIPELINE_ENV).json("mlflow-staging");
    const digest = PIPELINE_ENV.MLFLOW_IMAGE_DIGEST;
    expect(JSON.parse(onlyResourceOf(json, "helm_release").values[0]).image).toEqual({ repository: "mlflow-tracking-server", tag: "3.17.2-2", digest });
  });
});

describe("database passwords", () => {
  it.each(["mysql-password", "mysql-root-password"])("%s is long and needs no escaping in a URI", (id) => {
    const password = Object.entries(prod.resource.random_password!).find(([key]) => key.startsWith(`mlflow_${id}_`))![1];
    expect(password).toMatchObject({ length: 40, special: true, override_special: "-_.~" });
  });
});

describe("outputs", () => {
  it("gives the in-cluster tracking URI, namespace and release name", () => {
    expect(prod.output!.tracking_uri!.value).toBe("http://mlflow-tracking-server.mlflow.svc.cluster.local:5000");
    expect(prod.output!.namespace!.value).toBe(refOf(prod, "kubernetes_namespace_v1", "metadata[0].name"));
    expect(prod.output!.release_name!.value).toBe(refOf(prod, "helm_release", "name"));
  });
});

it("holds exactly the release, its namespace and passwords (cdktf matchers)", () => {
  const synthesized = JSON.stringify(mlflow("staging"));
  expect(synthesized).toHaveResourceWithProperties(Release, { name: "mlflow", chart: "../../../helm_charts/mlflow_setup" });
  expect(synthesized).toHaveResource(NamespaceV1);
  expect(synthesized).toHaveResource(Password);
  expect(synthesized).toHaveProvider(HelmProvider);
});
