import { AzurermBackend, LocalBackend, type TerraformStack } from "cdktf";
import type { StateBackendSettings } from "../../config";

/**
 * Where a stack keeps its state. Local state lives at the project root, addressed relative to
 * the stack's working directory (cdktf.out/stacks/<stack>/) so synth output holds no machine path.
 * The azurerm backend gets no credentials here: Terraform reads them from ARM_* variables.
 */
export function configureStateBackend(stack: TerraformStack, stackName: string, backend: StateBackendSettings): void {
  if (backend.kind === "azurerm") {
    new AzurermBackend(stack, {
      resourceGroupName: backend.resourceGroupName,
      storageAccountName: backend.storageAccountName,
      containerName: backend.containerName,
      key: `${stackName}.tfstate`,
      useAzureadAuth: true,
    });
  } else {
    new LocalBackend(stack, { path: localStatePath(stackName) });
  }
}

export function localStatePath(stackName: string): string {
  return `../../../terraform.${stackName}.tfstate`;
}
