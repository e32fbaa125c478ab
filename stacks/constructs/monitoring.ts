import { LogAnalyticsStorageInsights } from "@cdktf/provider-azurerm/lib/log-analytics-storage-insights";
import { LogAnalyticsWorkspace } from "@cdktf/provider-azurerm/lib/log-analytics-workspace";
import type { StorageAccount } from "@cdktf/provider-azurerm/lib/storage-account";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { Construct } from "constructs";

export interface MonitoringProps {
  name: string;
  resourceGroupName: string;
  location: string;
  retentionDays: number;
}

/** The environment's Log Analytics workspace: container insights, API server audit and storage access logs. */
export class Monitoring extends Construct {
  readonly workspace: LogAnalyticsWorkspace;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.workspace = new LogAnalyticsWorkspace(this, "workspace", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      sku: "PerGB2018",
      retentionInDays: props.retentionDays,
      localAuthenticationEnabled: false,
    });
  }

  /** Sends the given log categories of a resource to the workspace. */
  sendLogs(id: string, targetResourceId: string, categories: string[]): MonitorDiagnosticSetting {
    return new MonitorDiagnosticSetting(this, id, {
      name: "to-log-analytics",
      targetResourceId,
      logAnalyticsWorkspaceId: this.workspace.id,
      enabledLog: categories.map((category) => ({ category })),
    });
  }

  /**
   * Storage access logs: diagnostic settings of the blob, file and queue services (Azure Monitor replaces the classic
   * analytics logging, which only the storage data plane can switch on), plus storage insights over the artifact container.
   */
  watchStorage(account: StorageAccount, blobContainerNames: string[]): void {
    const categories = ["StorageRead", "StorageWrite", "StorageDelete"];
    this.sendLogs("blob-service-logs", `${account.id}/blobServices/default`, categories);
    this.sendLogs("file-service-logs", `${account.id}/fileServices/default`, categories);
    this.sendLogs("queue-service-logs", `${account.id}/queueServices/default`, categories);
    new LogAnalyticsStorageInsights(this, "storage-insights", {
      name: "mlflow-storage",
      resourceGroupName: this.workspace.resourceGroupName,
      workspaceId: this.workspace.id,
      storageAccountId: account.id,
      storageAccountKey: account.primaryAccessKey,
      blobContainerNames,
    });
  }
}
