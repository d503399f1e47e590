// The part of Vertex ML Metadata that submitting into an experiment uses, in memory: metadata
// stores, contexts (get, create) and parent-child links (AddContextChildren), with the service's
// answers: NOT_FOUND for a missing store or context, ALREADY_EXISTS for a repeated create, and a
// CreateMetadataStore long-running operation that is already done.
import * as grpc from '@grpc/grpc-js';
import { timestampNow } from './emulated-job';
import type { InjectedFailure } from './injected-failure';
import { serviceProtos } from './service-protos';

export type MetadataMethod = 'getMetadataStore' | 'createMetadataStore' | 'getContext' | 'createContext' | 'addContextChildren';

type Reply = { readonly response: object } | { readonly failure: InjectedFailure };

const contextIdPattern = /^[a-z0-9][a-z0-9-]{3,127}$/;

export class EmulatedMetadata {
  /** Metadata stores by full name. */
  readonly stores = new Map<string, Record<string, unknown>>();
  /** Contexts by full name, in the proto loader's object form; `parentContexts` holds the links. */
  readonly contexts = new Map<string, Record<string, unknown>>();
  private operations = 0;

  /** `runContext(name)`: a context the service made itself (a job's system.PipelineRun), if any. */
  constructor(private readonly runContext: (name: string) => Record<string, unknown> | undefined) {}

  serve(method: MetadataMethod, request: Record<string, unknown>): Reply {
    switch (method) {
      case 'getMetadataStore': {
        const store = this.stores.get(String(request['name']));
        return store ? { response: store } : fail(grpc.status.NOT_FOUND, `MetadataStore ${String(request['name'])} is not found.`);
      }
      case 'createMetadataStore': {
        const name = `${String(request['parent'])}/metadataStores/${String(request['metadataStoreId'] || 'default')}`;
        if (this.stores.has(name)) return fail(grpc.status.ALREADY_EXISTS, `MetadataStore ${name} already exists.`);
        const store = { ...(request['metadataStore'] as object), name, createTime: timestampNow(), updateTime: timestampNow() };
        this.stores.set(name, store);
        const type = serviceProtos().rpcTypes.lookupType('google.cloud.aiplatform.v1.MetadataStore');
        const value = Buffer.from(type.encode(type.fromObject({ name })).finish());
        const typeUrl = 'type.googleapis.com/google.cloud.aiplatform.v1.MetadataStore';
        // Done at once: the client's operation.promise() resolves without polling.
        return {
          response: { name: `${name}/operations/${++this.operations}`, done: true, response: { typeUrl, type_url: typeUrl, value } },
        };
      }
      case 'getContext': {
        const context = this.context(String(request['name']));
        return context ? { response: context } : fail(grpc.status.NOT_FOUND, `Context ${String(request['name'])} is not found.`);
      }
      case 'createContext': {
        const parent = String(request['parent']);
        if (!this.stores.has(parent)) return fail(grpc.status.NOT_FOUND, `MetadataStore ${parent} is not found.`);
        const id = String(request['contextId'] ?? '');
        if (!contextIdPattern.test(id)) return invalid('context_id', `'${id}' must be 4-128 characters of [a-z0-9-]`);
        const name = `${parent}/contexts/${id}`;
        if (this.contexts.has(name)) return fail(grpc.status.ALREADY_EXISTS, `Context ${name} already exists.`);
        const now = timestampNow();
        const context = { ...(request['context'] as object), name, createTime: now, updateTime: now, parentContexts: [] };
        this.contexts.set(name, context);
        return { response: context };
      }
      case 'addContextChildren': {
        const parent = this.contexts.get(String(request['context']));
        if (!parent) return fail(grpc.status.NOT_FOUND, `Context ${String(request['context'])} is not found.`);
        const children = ((request['childContexts'] ?? []) as string[]).map((name) => [name, this.context(name)] as const);
        const missing = children.find(([, child]) => !child);
        if (missing) return fail(grpc.status.NOT_FOUND, `Context ${missing[0]} is not found.`);
        for (const [, child] of children) {
          const parents = (child!['parentContexts'] ??= []) as string[];
          if (!parents.includes(parent['name'] as string)) parents.push(parent['name'] as string);
        }
        return { response: {} };
      }
    }
  }

  /** A context created here or made by the service for a job; a job's is kept once seen, so links stay. */
  private context(name: string): Record<string, unknown> | undefined {
    const known = this.contexts.get(name);
    if (known) return known;
    const made = this.runContext(name);
    if (made) this.contexts.set(name, made);
    return made;
  }
}

function fail(code: grpc.status, message: string): Reply {
  return { failure: { code, message } };
}

function invalid(field: string, description: string): Reply {
  return {
    failure: { code: grpc.status.INVALID_ARGUMENT, message: `Invalid ${field}: ${description}`, fieldViolations: [{ field, description }] },
  };
}
