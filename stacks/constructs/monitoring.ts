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
   * Storage access logs: diagnostic settings of the blob, file and queue services. Azure Monitor replaces the classic
   * analytics logging, which only the storage data plane can switch on. (Log Analytics "storage insights" is not a
   * substitute: it ingests Azure Diagnostics extension logs from containers and would need the account key.)
   */
  watchStorage(account: StorageAccount): void {
    const categories = ["StorageRead", "StorageWrite", "StorageDelete"];
    for (const service of ["blob", "file", "queue"]) {
      this.sendLogs(`${service}-service-logs`, `${account.id}/${service}Services/default`, categories);
    }
  }
}
