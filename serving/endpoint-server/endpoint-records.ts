/**
 * What the endpoint server knows of the registry: endpoint records re-read whenever their file is
 * replaced (writes are atomic renames, so a new inode means a new record: a deployment or a
 * rollback takes effect on the next request), and which deployed model a request goes to under
 * the traffic split.
 */
import * as fs from 'node:fs';
import type { DeployedModelRecord, EndpointRecord } from '../registry/endpoint-registry';
import type { LocalRegistry } from '../registry/local-registry';

export class EndpointRecords {
  private readonly records = new Map<string, { readonly key: string; readonly record: EndpointRecord }>();
  private readonly requestCounts = new Map<string, number>();

  constructor(readonly registry: LocalRegistry) {}

  /** The endpoint's current record, or undefined when it does not exist. */
  endpoint(endpointId: string): EndpointRecord | undefined {
    const file = this.registry.endpoints.recordFile(endpointId);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      this.records.delete(endpointId);
      return undefined;
    }
    const key = `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
    const cached = this.records.get(endpointId);
    if (cached?.key === key) return cached.record;
    const record = this.registry.endpoints.get(endpointId);
    if (record) this.records.set(endpointId, { key, record });
    return record;
  }

  /**
   * The deployed model for the next request: a weighted round robin over the split, so that an
   * 80/20 split sends exactly 80 of every 100 requests to the first model, deterministically.
   */
  route(endpoint: EndpointRecord): DeployedModelRecord | undefined {
    const weighted = withTraffic(endpoint);
    if (weighted.length === 0) return undefined;
    const count = this.requestCounts.get(endpoint.name) ?? 0;
    this.requestCounts.set(endpoint.name, count + 1);
    let slot = count % 100;
    for (const d of weighted) {
      slot -= endpoint.trafficSplit[d.id]!;
      if (slot < 0) return d;
    }
    return weighted[weighted.length - 1];
  }
}

/** The deployed models that get a share of the endpoint's traffic. */
export function withTraffic(endpoint: EndpointRecord): DeployedModelRecord[] {
  return endpoint.deployedModels.filter((d) => (endpoint.trafficSplit[d.id] ?? 0) > 0);
}
