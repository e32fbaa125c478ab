// Azure VM size names, read by their parts: Standard_<family><vCPUs>[-<active vCPUs>]<features>[_<accelerator>][_v<version>],
// e.g. Standard_D4ds_v5 = family D, 4 vCPUs, features d (local disk) and s (premium storage), version 5.
// learn.microsoft.com/azure/virtual-machines/vm-naming-conventions

/** VM families Azure offers (the capital letters after Standard_). */
export const VM_FAMILIES = [
  "A",
  "B",
  "D",
  "DC",
  "DS",
  "E",
  "EB",
  "EC",
  "F",
  "FS",
  "FX",
  "G",
  "GS",
  "H",
  "HB",
  "HC",
  "HX",
  "L",
  "LS",
  "M",
  "MS",
  "NC",
  "ND",
  "NG",
  "NP",
  "NV",
] as const;

const SIZE = /^Standard_([A-Z]{1,3})(\d{1,3})(?:-(\d{1,3}))?([a-z]*)(?:_([A-Z][A-Za-z0-9]*|cc))?(?:_v(\d{1,2}))?$/;

export interface VmSize {
  family: string;
  vcpus: number;
  /** Lower-case feature letters: a = AMD, p = Arm, d = local disk, s = premium storage, ... */
  features: string;
  version: number;
}

export const VM_SIZE_RULE = "an Azure VM size: Standard_, a family, vCPUs, feature letters, optional _v<version> (e.g. Standard_D4ds_v5)";

/** The parts of a VM size, or a reason it is not one. */
export function parseVmSize(name: string): VmSize | { error: string } {
  const match = SIZE.exec(name);
  if (!match) return { error: `"${name}" is not ${VM_SIZE_RULE}` };
  const [, family = "", cpus = "0", active, features = "", , version] = match;
  if (!(VM_FAMILIES as readonly string[]).includes(family)) {
    return { error: `"${name}": "${family}" is not an Azure VM family (${VM_FAMILIES.join(", ")})` };
  }
  const vcpus = Number(active ?? cpus);
  if (vcpus < 1) return { error: `"${name}" has no vCPUs` };
  return { family, vcpus, features, version: version ? Number(version) : 1 };
}

/** From version 4 on, D, E and F sizes have a local disk only when their name says d; ephemeral OS disks need it. */
export function hasLocalDisk(size: VmSize): boolean {
  return size.version < 4 || !["D", "E", "F"].includes(size.family) || size.features.includes("d");
}

/** Arm64 sizes (feature p) cannot run the amd64 images the pipeline builds. */
export function isArm(size: VmSize): boolean {
  return size.features.includes("p");
}

/**
 * Size of the local (temporary) disk where AKS places an Ephemeral OS disk, for the families whose size is fixed
 * per vCPU: D and E with d, versions 4 and 5 (37.5 GiB per vCPU, e.g. Standard_D4ds_v5: 150 GiB). Null: unknown.
 */
export function localDiskGib(size: VmSize): number | null {
  const perVcpu = ["D", "E"].includes(size.family) && size.features.includes("d") && [4, 5].includes(size.version);
  return perVcpu ? Math.floor(size.vcpus * 37.5) : null;
}
