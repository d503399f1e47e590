/**
 * Local endpoints: what GCPC's CreateEndpoint and DeployModel create on Vertex. An endpoint is
 * `<registry>/endpoints/<id>/endpoint.json`: its deployed models (each a model version) and the
 * traffic split between them. A deployment with a non-empty split overwrites the split (`"0"`
 * stands for the model being deployed, as in DeployModelRequest); an empty split leaves it as it
 * is, except on an endpoint with no traffic yet, where the new model takes 100 %, as Vertex does
 * for an endpoint's first model. Rollback moves all traffic back to an earlier deployed model.
 * The prediction server re-reads the record when it changes, so a switch takes effect at once.
 */
import * as path from 'node:path';
import { endpointResourceName, parseEndpointName, parseModelName } from '../vertex-resource-names';
import { containedChild } from '../../compiler/util/contained-path';
import { allocateFolderId, numberedIds, readJson, writeJsonAtomic } from './json-files';
import { withRegistryLock } from './registry-lock';
import type { ModelRegistry, ModelVersionRecord } from './model-registry';

export interface DeployedModelRecord {
  /** Unique within the endpoint, a decimal string as on Vertex. */
  readonly id: string;
  /** The version's resource name, `projects/…/models/ID@N`. */
  readonly model: string;
  readonly modelVersionId: string;
  readonly displayName: string;
  readonly artifactUri: string;
  readonly createTime: string;
  /** DeployModel's `dedicated_resources.machine_spec`, when it names them (its serving command sees them as AIP_MACHINE_TYPE, AIP_ACCELERATOR_TYPE). */
  readonly machineType?: string;
  readonly acceleratorType?: string;
}

/** The machine a deployment asks for: recorded, and told to the serving command, not provisioned. */
export interface DeployedMachine {
  readonly machineType?: string;
  readonly acceleratorType?: string;
}

export interface TrafficChange {
  readonly time: string;
  readonly trafficSplit: Readonly<Record<string, number>>;
  readonly reason: string;
}

export interface EndpointRecord {
  readonly name: string;
  readonly displayName: string;
  readonly description: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly network: string;
  readonly createTime: string;
  readonly deployedModels: readonly DeployedModelRecord[];
  /** Deployed model id → percent; the percents sum to 100 once a model is deployed. */
  readonly trafficSplit: Readonly<Record<string, number>>;
  /** Every change of the split, oldest first, for `kfp-ts endpoints list` and audits. */
  readonly trafficHistory: readonly TrafficChange[];
}

export interface CreateEndpointRequest {
  readonly project: string;
  readonly location: string;
  readonly displayName: string;
  readonly description?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly network?: string;
}

export class EndpointRegistry {
  constructor(
    readonly root: string,
    private readonly models: ModelRegistry,
  ) {}

  /** `<registry>/endpoints/<id>/endpoint.json`; the id comes from a resource name or a URL, so it must not climb out. */
  recordFile(endpointId: string): string {
    return path.join(containedChild(path.join(this.root, 'endpoints'), endpointId, 'endpoint id'), 'endpoint.json');
  }

  create(request: CreateEndpointRequest, now = new Date()): EndpointRecord {
    return withRegistryLock(this.root, () => this.createLocked(request, now));
  }

  private createLocked(request: CreateEndpointRequest, now: Date): EndpointRecord {
    const endpointId = allocateFolderId(path.join(this.root, 'endpoints'));
    const record: EndpointRecord = {
      name: endpointResourceName({ project: request.project, location: request.location, endpointId }),
      displayName: request.displayName,
      description: request.description ?? '',
      labels: request.labels ?? {},
      network: request.network ?? '',
      createTime: now.toISOString(),
      deployedModels: [],
      trafficSplit: {},
      trafficHistory: [],
    };
    writeJsonAtomic(this.recordFile(endpointId), record);
    return record;
  }

  get(endpointId: string): EndpointRecord | undefined {
    return readJson<EndpointRecord>(this.recordFile(endpointId));
  }

  list(): EndpointRecord[] {
    return numberedIds(path.join(this.root, 'endpoints'))
      .map((id) => this.get(id))
      .filter((e): e is EndpointRecord => e !== undefined);
  }

  /**
   * The endpoint a user means: its id, its resource name, or its display name when exactly one
   * endpoint has it. Throws naming the endpoints there are.
   */
  find(reference: string): EndpointRecord {
    const all = this.list();
    const id = reference.includes('/') ? parseEndpointName(reference).endpointId : reference;
    const byId = all.find((e) => parseEndpointName(e.name).endpointId === id);
    if (byId) return byId;
    const byName = all.filter((e) => e.displayName === reference);
    if (byName.length === 1) return byName[0]!;
    const known = all.map((e) => `${parseEndpointName(e.name).endpointId} (${e.displayName})`).join(', ') || 'none';
    if (byName.length > 1)
      throw new Error(`${byName.length} endpoints are named '${reference}'; pass an id instead (endpoints: ${known}).`);
    throw new Error(
      `no local endpoint '${reference}' in ${this.root} (endpoints: ${known}); deploy one with the pipeline's ModelDeployOp first.`,
    );
  }

  /**
   * Deploys a model version; returns the deployed model and the endpoint as it was before. The
   * record is read, changed and written under the registry's lock, so deployments from several
   * processes at once all land.
   */
  deploy(
    endpointName: string,
    modelName: string,
    trafficSplit: Readonly<Record<string, number>>,
    now = new Date(),
    machine: DeployedMachine = {},
  ): { deployed: DeployedModelRecord; previous: EndpointRecord } {
    return withRegistryLock(this.root, () => this.deployLocked(endpointName, modelName, trafficSplit, now, machine));
  }

  private deployLocked(
    endpointName: string,
    modelName: string,
    trafficSplit: Readonly<Record<string, number>>,
    now: Date,
    machine: DeployedMachine,
  ): { deployed: DeployedModelRecord; previous: EndpointRecord } {
    const { endpointId } = parseEndpointName(endpointName);
    const endpoint = this.get(endpointId);
    if (!endpoint || endpoint.name !== endpointName) {
      throw new Error(`endpoint ${endpointName} is not in the local registry ${this.root}; create it with EndpointCreateOp first.`);
    }
    const version = this.models.resolve(modelName);
    const deployed = { ...deployedModel(endpoint, version, now), ...definedFields(machine) };
    const split =
      Object.keys(trafficSplit).length === 0
        ? Object.keys(endpoint.trafficSplit).length === 0
          ? { [deployed.id]: 100 }
          : { ...endpoint.trafficSplit }
        : Object.fromEntries(Object.entries(trafficSplit).map(([id, percent]) => [id === '0' ? deployed.id : id, percent]));
    checkTrafficSplit(split, [...endpoint.deployedModels, deployed]);
    const updated = { ...endpoint, deployedModels: [...endpoint.deployedModels, deployed] };
    this.write(endpointId, updated, split, `deploy ${version.name} as deployed model ${deployed.id}`, now);
    return { deployed, previous: endpoint };
  }

  /** Puts an endpoint record back as it was, whatever was written since. */
  restore(record: EndpointRecord): void {
    withRegistryLock(this.root, () => writeJsonAtomic(this.recordFile(parseEndpointName(record.name).endpointId), record));
  }

  /**
   * Takes back one deployment (whose model failed to load): removes its deployed model and, if the
   * split still sends it traffic, puts back the split from before it, keeping every other change
   * made since (another process's deployment), which `restore` would drop.
   */
  undeploy(deployed: DeployedModelRecord, previous: EndpointRecord, now = new Date()): void {
    const endpointId = parseEndpointName(previous.name).endpointId;
    withRegistryLock(this.root, () => {
      const current = this.get(endpointId);
      if (!current) return;
      // Nothing written since this deployment: the record goes back exactly as it was.
      if (
        current.deployedModels.length === previous.deployedModels.length + 1 &&
        current.trafficHistory.length === previous.trafficHistory.length + 1
      ) {
        writeJsonAtomic(this.recordFile(endpointId), previous);
        return;
      }
      const record = { ...current, deployedModels: current.deployedModels.filter((d) => d.id !== deployed.id) };
      if ((current.trafficSplit[deployed.id] ?? 0) === 0) {
        writeJsonAtomic(this.recordFile(endpointId), {
          ...record,
          trafficSplit: Object.fromEntries(Object.entries(current.trafficSplit).filter(([id]) => id !== deployed.id)),
        });
        return;
      }
      this.write(
        endpointId,
        record,
        { ...previous.trafficSplit },
        `undeploy ${deployed.model} (deployed model ${deployed.id}): it did not start`,
        now,
      );
    });
  }

  /**
   * Moves all traffic to the model deployed just before the one now taking the most traffic, or,
   * with `toVersion`, to the one serving that version of the same model (deploying the version if
   * the endpoint has none for it). Returns the deployed model that now takes the traffic.
   */
  rollback(reference: string, options: { readonly toVersion?: string } = {}, now = new Date()): DeployedModelRecord {
    return withRegistryLock(this.root, () => this.rollbackLocked(reference, options, now));
  }

  private rollbackLocked(reference: string, options: { readonly toVersion?: string }, now: Date): DeployedModelRecord {
    const endpoint = this.find(reference);
    const endpointId = parseEndpointName(endpoint.name).endpointId;
    const current = servingModel(endpoint);
    if (!current) throw new Error(`endpoint ${endpoint.name} has no deployed model; there is nothing to roll back.`);
    let target: DeployedModelRecord | undefined;
    let record = endpoint;
    if (options.toVersion !== undefined) {
      const { project, location, modelId } = parseModelName(current.model);
      const version = this.models.resolve({ project, location, modelId, versionId: options.toVersion });
      target = [...endpoint.deployedModels].reverse().find((d) => d.model === version.name);
      if (!target) {
        target = deployedModel(endpoint, version, now);
        record = { ...endpoint, deployedModels: [...endpoint.deployedModels, target] };
      }
    } else {
      const index = endpoint.deployedModels.findIndex((d) => d.id === current.id);
      target = endpoint.deployedModels[index - 1];
      if (!target) {
        throw new Error(
          `endpoint ${endpoint.name} serves its first deployed model (${current.model}); there is nothing earlier to roll back to. Pass --to-version to pick a version.`,
        );
      }
    }
    this.write(
      endpointId,
      record,
      { [target.id]: 100 },
      `rollback from deployed model ${current.id} (${current.model}) to ${target.id} (${target.model})`,
      now,
    );
    return target;
  }

  private write(endpointId: string, endpoint: EndpointRecord, trafficSplit: Record<string, number>, reason: string, now: Date): void {
    const record: EndpointRecord = {
      ...endpoint,
      trafficSplit,
      trafficHistory: [...endpoint.trafficHistory, { time: now.toISOString(), trafficSplit, reason }],
    };
    writeJsonAtomic(this.recordFile(endpointId), record);
  }
}

function deployedModel(endpoint: EndpointRecord, version: ModelVersionRecord, now: Date): DeployedModelRecord {
  const id = String(Math.max(0, ...endpoint.deployedModels.map((d) => Number(d.id))) + 1);
  return {
    id,
    model: version.name,
    modelVersionId: version.versionId,
    displayName: version.displayName,
    artifactUri: version.artifactUri,
    createTime: now.toISOString(),
  };
}

function definedFields(machine: DeployedMachine): DeployedMachine {
  return Object.fromEntries(Object.entries(machine).filter(([, value]) => typeof value === 'string' && value !== ''));
}

/** The deployed model with the largest share of traffic (the earliest deployed on a tie). */
export function servingModel(endpoint: EndpointRecord): DeployedModelRecord | undefined {
  let best: DeployedModelRecord | undefined;
  for (const d of endpoint.deployedModels) {
    if ((endpoint.trafficSplit[d.id] ?? 0) > (best ? (endpoint.trafficSplit[best.id] ?? 0) : 0)) best = d;
  }
  return best;
}

function checkTrafficSplit(split: Record<string, number>, deployed: readonly DeployedModelRecord[]): void {
  const ids = new Set(deployed.map((d) => d.id));
  for (const [id, percent] of Object.entries(split)) {
    if (!ids.has(id)) {
      throw new Error(
        `traffic_split names deployed model '${id}', which the endpoint does not have (it has ${[...ids].join(', ')}; "0" is the model being deployed).`,
      );
    }
    if (!Number.isInteger(percent) || percent < 0 || percent > 100) {
      throw new Error(`traffic_split gives deployed model '${id}' ${percent} %; percents are whole numbers from 0 to 100.`);
    }
  }
  const total = Object.values(split).reduce((a, b) => a + b, 0);
  if (total !== 100)
    throw new Error(
      `traffic_split ${JSON.stringify(split)} adds up to ${total} %, not 100; e.g. pass {"0": 100} to send all traffic to the new model.`,
    );
}
