// Azure Resource Manager and storage limits the configuration must stay inside.

/** learn.microsoft.com/azure/azure-resource-manager/management/tag-resources#limitations */
export const TAGS = {
  maxPerResource: 50,
  /** Tag names may not start with these (any case): Azure keeps them for itself. */
  reservedPrefixes: ["azure", "microsoft", "windows"],
} as const;

/**
 * File share sizes by account tier. The project's account is Standard (StorageV2) without large file shares,
 * so a share holds at most 5 TiB; Premium (FileStorage) shares start at 100 GiB.
 * learn.microsoft.com/azure/storage/files/storage-files-scale-targets
 */
export const FILE_SHARE_QUOTA_GIB = {
  Standard: { min: 1, max: 5120 },
  StandardLargeFileShares: { min: 1, max: 102400 },
  Premium: { min: 100, max: 102400 },
} as const;

/** The tier of the project's storage account (stacks/constructs/mlflow-storage.ts). */
export const PROJECT_FILE_SHARE_TIER = "Standard" as const;

/** Azure's smallest subnet is a /29 (5 addresses of every subnet are Azure's own). */
export const SMALLEST_SUBNET_PREFIX = 29;
export const ADDRESSES_AZURE_KEEPS_PER_SUBNET = 5;

/** Words Azure refuses inside resource names with a public DNS name (ReservedResourceName). */
export const RESERVED_NAME_WORDS = ["microsoft", "windows"] as const;
