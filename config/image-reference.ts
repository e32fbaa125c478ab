// Image reference forms that config and settings accept, in one place.

/** An image digest as registries print it: sha256: and 64 lowercase hex digits. */
export const imageDigest = /^sha256:[a-f0-9]{64}$/;

/** <registry host>[:port]/<path>, no tag: the first component names a registry (a dot or a port), as image references do. */
export const imageRepository = /^(?=[^/]*[.:])(?=.{1,255}$)[a-z0-9]+([.-][a-z0-9]+)*(:[0-9]{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*)+$/;
