import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import type { KubeloginMode } from "../../config";
import type { PlatformOutputs } from "../platform-outputs";

/** Entra ID application of the AKS API server: the audience kubelogin requests tokens for. */
export const AKS_SERVER_APP_ID = "6dae42f8-4368-4678-94ff-3960e28e3630";

export interface ClusterProvidersProps {
  platform: Pick<PlatformOutputs, "clusterHost" | "clusterCaCertificate" | "clusterClientCredentials">;
  kubeloginMode: KubeloginMode;
}

/**
 * Kubernetes and Helm providers for one cluster. With local accounts the admin client certificate
 * signs in; without them (Entra ID only) kubelogin fetches a token in the configured login mode:
 * azurecli for people, workloadidentity or spn for pipelines (credentials from AZURE_* variables).
 */
export class ClusterProviders extends Construct {
  readonly kubernetes: KubernetesProvider;
  readonly helm: HelmProvider;

  constructor(scope: Construct, id: string, props: ClusterProvidersProps) {
    super(scope, id);
    const p = props.platform;
    const endpoint = { host: p.clusterHost, clusterCaCertificate: Fn.base64decode(p.clusterCaCertificate) };
    const credentials = p.clusterClientCredentials;
    if (credentials) {
      const certificate = {
        clientCertificate: Fn.base64decode(credentials.certificate),
        clientKey: Fn.base64decode(credentials.key),
      };
      this.kubernetes = new KubernetesProvider(this, "kubernetes", { ...endpoint, ...certificate });
      this.helm = new HelmProvider(this, "helm", { kubernetes: { ...endpoint, ...certificate } });
    } else {
      const exec = kubeloginExec(props.kubeloginMode);
      // Same exec plugin; the Kubernetes provider takes it as a block list, Helm 3.x as an object.
      this.kubernetes = new KubernetesProvider(this, "kubernetes", { ...endpoint, exec: [exec] });
      this.helm = new HelmProvider(this, "helm", { kubernetes: { ...endpoint, exec } });
    }
  }
}

export function kubeloginExec(mode: KubeloginMode) {
  return {
    apiVersion: "client.authentication.k8s.io/v1beta1",
    command: "kubelogin",
    args: ["get-token", "--login", mode, "--server-id", AKS_SERVER_APP_ID],
  };
}
