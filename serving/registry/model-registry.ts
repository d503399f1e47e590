/**
 * The local Model Registry: what GCPC's UploadModel creates on Vertex. A model is a folder
 * `<registry>/models/<id>/` holding `model.json` (display name, description, labels) and one
 * `versions/<n>.json` per uploaded version (artifact folder, serving container, labels, aliases,
 * the pipeline job that made it). Uploading with a parent model adds a version to it; otherwise a
 * new model with version 1 is created, as on Vertex.
 */
import * as path from 'node:path';
import { modelResourceName, parseModelName, type ModelName } from '../vertex-resource-names';
import { containedChild } from '../../compiler/util/contained-path';
import { allocateFolderId, allocateRecordId, numberedIds, readJson, writeJsonAtomic } from './json-files';
import { withRegistryLock } from './registry-lock';

export interface ModelRecord {
  /** `projects/P/locations/L/models/ID`, without a version. */
  readonly name: string;
  readonly displayName: string;
  readonly description: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly createTime: string;
}

export interface ModelVersionRecord {
  /** `projects/P/locations/L/models/ID@N`. */
  readonly name: string;
  readonly versionId: string;
  readonly displayName: string;
  readonly description: string;
  /** The model folder (the UnmanagedContainerModel's URI). */
  readonly artifactUri: string;
  /** Vertex's ModelContainerSpec, snake_case as the upload launcher sends it. */
  readonly containerSpec: Readonly<Record<string, unknown>>;
  readonly predictSchemata: Readonly<Record<string, unknown>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly versionAliases: readonly string[];
  readonly pipelineJob: string;
  readonly createTime: string;
}

/** What an UploadModel request carries (the launcher's cleaned payload, plus the container model). */
export interface UploadRequest {
  readonly project: string;
  readonly location: string;
  readonly displayName: string;
  readonly description?: string;
  readonly artifactUri?: string;
  readonly containerSpec?: Readonly<Record<string, unknown>>;
  readonly predictSchemata?: Readonly<Record<string, unknown>>;
  readonly labels?: Readonly<Record<string, string>>;
  readonly versionAliases?: readonly string[];
  readonly pipelineJob?: string;
  /** `projects/…/models/ID`, any `@version` suffix ignored (as the launcher strips it). */
  readonly parentModel?: string;
}

export class ModelRegistry {
  constructor(readonly root: string) {}

  /** `<registry>/models/<id>`; the id comes from a resource name a user or a payload gave, so it must not climb out. */
  private modelDir(modelId: string): string {
    return containedChild(path.join(this.root, 'models'), modelId, 'model id');
  }

  /** Registers a model version; returns it (its `name` carries `@version`, as GCPC's output does). */
  upload(request: UploadRequest, now = new Date()): ModelVersionRecord {
    // Locked: the alias check and the new version must see every other writer's versions.
    return withRegistryLock(this.root, () => this.uploadLocked(request, now));
  }

  private uploadLocked(request: UploadRequest, now: Date): ModelVersionRecord {
    const createTime = now.toISOString();
    let modelId: string;
    if (request.parentModel) {
      const parent = parseModelName(request.parentModel);
      if (!this.getModel(parent.modelId)) {
        throw new Error(
          `parent model ${request.parentModel} is not in the local registry ${this.root}; upload it first (model ids are the folders under ${this.root}/models).`,
        );
      }
      modelId = parent.modelId;
    } else {
      modelId = allocateFolderId(path.join(this.root, 'models'));
      const model: ModelRecord = {
        name: modelResourceName({ project: request.project, location: request.location, modelId }),
        displayName: request.displayName,
        description: request.description ?? '',
        labels: request.labels ?? {},
        createTime,
      };
      writeJsonAtomic(path.join(this.modelDir(modelId), 'model.json'), model);
    }
    const aliases = request.versionAliases ?? [];
    for (const existing of this.versions(modelId)) {
      const clash = existing.versionAliases.find((alias) => aliases.includes(alias));
      if (clash)
        throw new Error(`version alias '${clash}' is already used by ${existing.name}; aliases are unique within a model, pick another.`);
    }
    const model = this.getModel(modelId)!;
    const { project, location } = parseModelName(model.name);
    const versionsDir = path.join(this.modelDir(modelId), 'versions');
    const versionId = allocateRecordId(versionsDir, (id) => ({
      name: modelResourceName({ project, location, modelId, versionId: id }),
      versionId: id,
      displayName: request.displayName,
      description: request.description ?? '',
      artifactUri: request.artifactUri ?? '',
      containerSpec: request.containerSpec ?? {},
      predictSchemata: request.predictSchemata ?? {},
      labels: request.labels ?? {},
      versionAliases: aliases,
      pipelineJob: request.pipelineJob ?? '',
      createTime,
    }));
    return this.getVersion(modelId, versionId)!;
  }

  getModel(modelId: string): ModelRecord | undefined {
    return readJson<ModelRecord>(path.join(this.modelDir(modelId), 'model.json'));
  }

  getVersion(modelId: string, versionId: string): ModelVersionRecord | undefined {
    return readJson<ModelVersionRecord>(
      containedChild(path.join(this.modelDir(modelId), 'versions'), `${versionId}.json`, 'model version id'),
    );
  }

  /** Every version of a model, oldest first. */
  versions(modelId: string): ModelVersionRecord[] {
    return numberedIds(path.join(this.modelDir(modelId), 'versions'), '.json').map((id) => this.getVersion(modelId, id)!);
  }

  models(): ModelRecord[] {
    return numberedIds(path.join(this.root, 'models'))
      .map((id) => this.getModel(id))
      .filter((m): m is ModelRecord => m !== undefined);
  }

  /**
   * The version a model name means: `@N` that version, `@alias` the version holding the alias, no
   * suffix the newest (Vertex's default version, which locally is always the newest upload).
   */
  resolve(name: string | ModelName): ModelVersionRecord {
    const parsed = typeof name === 'string' ? parseModelName(name) : name;
    const shown = typeof name === 'string' ? name : modelResourceName(name);
    const versions = this.versions(parsed.modelId);
    if (versions.length === 0)
      throw new Error(`model ${shown} is not in the local registry ${this.root}; upload it with ModelUploadOp first.`);
    if (parsed.versionId === undefined) return versions[versions.length - 1]!;
    const found = versions.find((v) => v.versionId === parsed.versionId || v.versionAliases.includes(parsed.versionId!));
    if (!found) {
      throw new Error(`model ${shown}: no version or alias '${parsed.versionId}' (it has ${versions.map((v) => v.versionId).join(', ')}).`);
    }
    return found;
  }
}
