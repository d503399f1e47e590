/**
 * What the prediction server knows of the registry: endpoint records re-read whenever their file
 * is replaced (writes are atomic renames, so a new inode means a new record: a deployment or a
 * rollback takes effect on the next request), the loaded classifier of each deployed model, and
 * which deployed model a request goes to under the traffic split.
 */
import * as fs from 'node:fs';
import type { LocalRegistry } from '../../../serving/registry/local-registry';
import type { DeployedModelRecord, EndpointRecord } from '../../../serving/registry/endpoint-registry';
import { ServedClassifier } from './served-classifier';

export class EndpointState {
  private readonly records = new Map<string, { readonly key: string; readonly record: EndpointRecord }>();
  private readonly classifiers = new Map<string, Promise<ServedClassifier>>();
  private readonly requestCounts = new Map<string, number>();

  constructor(private readonly registry: LocalRegistry) {}

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
    const weighted = endpoint.deployedModels.filter((d) => (endpoint.trafficSplit[d.id] ?? 0) > 0);
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

  /** The loaded classifier of a deployed model; loaded once, shared by every endpoint serving it. */
  classifier(deployed: DeployedModelRecord): Promise<ServedClassifier> {
    const key = `${deployed.model}|${deployed.artifactUri}`;
    let loading = this.classifiers.get(key);
    if (!loading) {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(deployed.artifactUri)) {
        return Promise.reject(new Error(`${deployed.model} lives at ${deployed.artifactUri}; the local server loads local folders only, so run the pipeline with a local pipeline root.`));
      }
      loading = ServedClassifier.load(deployed.artifactUri);
      // A failed load is not cached: the next request tries again (e.g. after the files are restored).
      loading.catch(() => this.classifiers.delete(key));
      this.classifiers.set(key, loading);
    }
    return loading;
  }

  /** Loads the classifiers of every deployed model with traffic; rejects with the first failure. */
  async warm(endpoint: EndpointRecord): Promise<void> {
    const weighted = endpoint.deployedModels.filter((d) => (endpoint.trafficSplit[d.id] ?? 0) > 0);
    await Promise.all(weighted.map((d) => this.classifier(d)));
  }

  async dispose(): Promise<void> {
    const loaded = await Promise.allSettled(this.classifiers.values());
    for (const result of loaded) if (result.status === 'fulfilled') result.value.dispose();
    this.classifiers.clear();
  }
}
