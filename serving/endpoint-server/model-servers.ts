/**
 * The serving commands behind the endpoints: one process per deployed model, as Vertex runs a
 * container per DeployedModel (each told its own AIP_ENDPOINT_ID and AIP_DEPLOYED_MODEL_ID).
 * A process starts when a request or a deployment check first needs it, is started again after it
 * exits, and is stopped once its deployed model has left the endpoint (undeployed, or a failed
 * deployment undone). Logs are `<state>/serving/models/endpoint-E-deployed-D.log`.
 */
import * as path from 'node:path';
import { servingFolder } from '../detached-server';
import type { DeployedModelRecord, EndpointRecord } from '../registry/endpoint-registry';
import type { LocalRegistry } from '../registry/local-registry';
import { parseEndpointName } from '../vertex-resource-names';
import { freeLoopbackPort, startModelServer, type RunningModelServer } from '../model-server/model-process';
import { planModelServer, type ServingHost } from '../model-server/model-server-plan';

export interface ModelServersOptions extends ServingHost {
  readonly stateDir: string;
  readonly startTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

interface Entry {
  readonly endpointId: string;
  readonly deployed: DeployedModelRecord;
  readonly server: Promise<RunningModelServer>;
  readonly cancel: AbortController;
}

export class ModelServers {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly registry: LocalRegistry,
    private readonly options: ModelServersOptions,
  ) {}

  /** The running server of a deployed model, started (and waited for until healthy) if needed. */
  server(endpoint: EndpointRecord, deployed: DeployedModelRecord): Promise<RunningModelServer> {
    const { endpointId } = parseEndpointName(endpoint.name);
    const key = `${endpointId}/${deployed.id}`;
    const existing = this.entries.get(key);
    if (existing && sameDeployment(existing.deployed, deployed)) return existing.server;
    // An id reused after a failed deployment was undone names another deployment.
    if (existing) this.retire(key, existing);
    const cancel = new AbortController();
    const server = this.start(endpoint, deployed, cancel.signal);
    const entry: Entry = { endpointId, deployed, server, cancel };
    this.entries.set(key, entry);
    server.then(
      (running) =>
        running.exited.then((how) => {
          if (this.entries.get(key) !== entry) return;
          this.entries.delete(key);
          this.options.log?.(
            `${deployed.model} (endpoint ${endpointId}, deployed model ${deployed.id}) ended (${how}); the next request starts it again`,
          );
        }),
      // A failed start is not kept: the next request tries again (e.g. after the files are restored).
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return server;
  }

  /** Stops the servers whose deployed model is no longer on its endpoint, as `current` reads the endpoints now. */
  retireUndeployed(current: (endpointId: string) => EndpointRecord | undefined): void {
    for (const [key, entry] of this.entries) {
      const endpoint = current(entry.endpointId);
      if (!endpoint?.deployedModels.some((d) => sameDeployment(d, entry.deployed))) this.retire(key, entry);
    }
  }

  async close(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    for (const entry of all) entry.cancel.abort();
    await Promise.allSettled(all.map(async (entry) => (await entry.server).stop()));
  }

  private retire(key: string, entry: Entry): void {
    this.entries.delete(key);
    entry.cancel.abort();
    entry.server.then(
      (running) => running.stop(),
      () => undefined,
    );
    this.options.log?.(
      `stopping ${entry.deployed.model} (endpoint ${entry.endpointId}, deployed model ${entry.deployed.id}): it is no longer deployed`,
    );
  }

  private async start(endpoint: EndpointRecord, deployed: DeployedModelRecord, signal: AbortSignal): Promise<RunningModelServer> {
    const { endpointId, project } = parseEndpointName(endpoint.name);
    const version = this.registry.models.resolve(deployed.model);
    const deployment = {
      endpointId,
      deployedModelId: deployed.id,
      // Vertex gives the project's number; a local project is named, and a name is no number.
      ...(/^\d+$/.test(project) ? { projectNumber: project } : {}),
      ...(deployed.machineType ? { machineType: deployed.machineType } : {}),
      ...(deployed.acceleratorType ? { acceleratorType: deployed.acceleratorType } : {}),
    };
    const plan = planModelServer(version, deployment, await freeLoopbackPort(), this.options);
    const logFile = path.join(servingFolder(this.options.stateDir), 'models', `endpoint-${endpointId}-deployed-${deployed.id}.log`);
    this.options.log?.(
      `starting ${deployed.model} for endpoint ${endpointId} (deployed model ${deployed.id}): ${JSON.stringify(plan.argv)} on port ${plan.port}, log ${logFile}`,
    );
    const running = await startModelServer(plan, {
      logFile,
      signal,
      ...(this.options.startTimeoutMs !== undefined ? { startTimeoutMs: this.options.startTimeoutMs } : {}),
    });
    this.options.log?.(
      `${deployed.model} serves endpoint ${endpointId} as deployed model ${deployed.id} at ${running.url} (pid ${running.pid})`,
    );
    return running;
  }
}

function sameDeployment(a: DeployedModelRecord, b: DeployedModelRecord): boolean {
  return a.id === b.id && a.model === b.model && a.createTime === b.createTime;
}
