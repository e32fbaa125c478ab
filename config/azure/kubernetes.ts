// What AKS and Kubernetes themselves refuse or reserve, as data for the rules in config/.

/**
 * Kubernetes minors AKS supports (generally available or long-term support), from the AKS release calendar
 * (learn.microsoft.com/azure/aks/supported-kubernetes-versions), checked 2026-12. Update when a minor leaves it.
 */
export const SUPPORTED_KUBERNETES_MINORS = ["1.33", "1.34", "1.35", "1.36", "1.37"] as const;

/** Namespaces Kubernetes and AKS add-ons own: a release there would share them with the platform. */
export const SYSTEM_NAMESPACES = [
  "default",
  "kube-system",
  "kube-public",
  "kube-node-lease",
  "gatekeeper-system",
  "app-routing-system",
  "aks-command",
  "aks-istio-system",
  "aks-istio-ingress",
  "aks-istio-egress",
  "azappconfig-system",
  "calico-system",
  "tigera-operator",
  "dataprotection-microsoft",
  "flux-system",
  "gateway-system",
  "istio-system",
  "cert-manager",
] as const;

/** Prefixes Kubernetes reserves for its own namespaces. */
export const SYSTEM_NAMESPACE_PREFIXES = ["kube-"] as const;

/**
 * Ranges AKS refuses for the pod and service CIDRs: link-local, Docker's defaults that AKS keeps for itself,
 * and the documentation range (learn.microsoft.com/azure/aks/azure-cni-overlay).
 */
export const AKS_RESERVED_RANGES = ["169.254.0.0/16", "172.30.0.0/16", "172.31.0.0/16", "192.0.2.0/24"] as const;

/** The service CIDR may be no larger than this (AKS refuses a /11 or bigger). */
export const LARGEST_SERVICE_CIDR_PREFIX = 12;

/** Azure CNI overlay gives every node a /24 of the pod CIDR. */
export const OVERLAY_NODE_PREFIX = 24;

/** Node pools upgrade with this surge (stacks/constructs/aks-cluster.ts): extra nodes that also need addresses. */
export const UPGRADE_SURGE_PERCENT = 33;

/** AKS: the nodes of a system pool need at least 2 vCPUs. */
export const SYSTEM_POOL_MIN_VCPUS = 2;
