import { z } from "zod";
import { imageDigest, imageRepository } from "./image-reference";

// The front door of an environment (docs/access.md): MLflow at https://<host>, Entra ID sign-in for the members of
// the allowed groups. The fields are required only when it is enabled; the messages name the field and the rule.

/** A DNS name: lowercase labels of letters, digits and inner hyphens, at least two labels, at most 253 characters. */
export const dnsName = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)+$/;

export const frontDoorSchema = z
  .strictObject({
    /** Serve MLflow at https://<host> through the Gateway API, behind oauth2-proxy and Entra ID. */
    enabled: z.boolean(),
    /** The name people and notebooks use, e.g. mlflow.dev.example.internal; also the certificate's subject. */
    host: z.string().regex(dnsName, { message: "must be a lowercase DNS name such as mlflow.dev.example.internal" }).nullable(),
    /**
     * Private access mode: the gateway's internal load balancer address, a free address of network.nodesSubnet. The
     * platform stack publishes <host> at it in a private DNS zone linked to the VNet.
     */
    privateIpAddress: z.ipv4({ message: "must be an IPv4 address" }).nullable(),
    /** Entra ID groups whose members may sign in and whose tokens are accepted. */
    allowedGroupObjectIds: z.array(z.uuid({ message: "must be an Entra ID group object id (uuid)" })),
    /**
     * The oauth2-proxy image; null keeps the chart's (quay.io, the version the sign-in test builds). A cluster that
     * pulls only from its registry names the imported copy; the digest pins it (required by the production policy).
     */
    proxyImage: z.strictObject({
      repository: z
        .string()
        .regex(imageRepository, { message: "must be an image repository with its registry host and no tag, such as myregistry.azurecr.io/oauth2-proxy" })
        .nullable(),
      digest: z.string().regex(imageDigest, { message: "must be sha256: followed by 64 hex digits (crane digest <image>:<tag>)" }).nullable(),
    }),
  })
  .superRefine((fd, ctx) => {
    if (!fd.enabled) return;
    if (fd.host === null) {
      ctx.addIssue({ code: "custom", path: ["host"], message: "is required when frontDoor.enabled: the DNS name MLflow is served at" });
    }
    if (fd.allowedGroupObjectIds.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["allowedGroupObjectIds"],
        message: "needs at least one group object id when frontDoor.enabled: without it nobody could sign in",
      });
    }
  });

export type FrontDoorConfig = z.infer<typeof frontDoorSchema>;
