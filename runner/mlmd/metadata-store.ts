// An ML Metadata (schema v10) store in one SQLite file, written the way KFP v2 writes lineage, so that
// MLMD itself and tools built on it can read what the local runner records.
//
// Every write runs in an IMMEDIATE transaction: it takes the file's write lock up front, so concurrent
// writers (other task processes, other runs) queue on the busy timeout instead of deadlocking halfway, and
// read-then-insert steps (get-or-create of types and contexts) cannot race. The schema has no foreign keys;
// the checks MLMD's C++ makes (the referenced rows exist) are made here.
import { findCachedExecution, type CachedExecution } from './cache-lookup';
import { ArtifactState, EventType, ExecutionState, TypeKind, type ExecutionStateName } from './enums';
import { GroupCommit } from './group-commit';
import { writeCustomProperties } from './property-rows';
import type { Properties } from './property-values';
import {
  selectArtifacts,
  selectContexts,
  selectEvents,
  selectExecutions,
  type ArtifactRecord,
  type ContextRecord,
  type EventRecord,
  type ExecutionRecord,
} from './records';
import { StatementCache } from './statement-cache';
import { openStoreDatabase } from './store-file';
import type { StoreHandle } from './store-handle';

export type { PropertyValue, Properties } from './property-values';
export { metadataToProperties } from './property-values';
export type { CachedExecution } from './cache-lookup';
export type { ArtifactRecord, ContextRecord, EventRecord, ExecutionRecord } from './records';
export { MetadataStoreFileError } from './store-file';

export type TypeKindName = 'artifact' | 'execution' | 'context';

/** Artifacts bound to one input or output name; each becomes an event whose path is the single key step. */
export interface EventLinks {
  key: string;
  artifactIds: number[];
}

export interface NewArtifact {
  /** The IR schemaTitle, e.g. `system.Model`. */
  typeName: string;
  uri: string;
  /** KFP records outputs LIVE, the default; TFX-style writers create PENDING and publish LIVE later. */
  state?: 'LIVE' | 'PENDING';
  customProperties?: Properties;
  /** Contexts to attribute the artifact to (KFP: the pipeline and the run context). */
  contextIds: number[];
}

export interface NewExecution {
  typeName: string;
  /** Unique per execution type; KFP names only the root DAG execution (`run/<runId>`). */
  name?: string;
  state: ExecutionStateName;
  customProperties?: Properties;
  /** Contexts the execution is associated with, and its input artifacts attributed to. */
  contextIds: number[];
  inputs?: EventLinks[];
}

export interface ExecutionUpdate {
  state?: ExecutionStateName;
  /** Upserted by name; properties not named keep their value. */
  customProperties?: Properties;
  outputs?: EventLinks[];
  /** Contexts the execution is (again) associated with, and its output artifacts attributed to. */
  contextIds: number[];
}

const typeKindNumber: Record<TypeKindName, number> = {
  artifact: TypeKind.ARTIFACT_TYPE,
  execution: TypeKind.EXECUTION_TYPE,
  context: TypeKind.CONTEXT_TYPE,
};

/** Callers outside TypeScript can pass any string; a misspelt state must not be stored as NULL. */
function stateNumber(state: ExecutionStateName): number {
  const value = ExecutionState[state];
  if (value === undefined) throw new RangeError(`unknown execution state '${state}' (one of ${Object.keys(ExecutionState).join(', ')})`);
  return value;
}

function artifactStateNumber(state: 'LIVE' | 'PENDING'): number {
  if (state !== 'LIVE' && state !== 'PENDING') throw new RangeError(`an artifact is created LIVE or PENDING, not '${state}'`);
  return ArtifactState[state];
}

export class MetadataStore {
  private readonly statements: StatementCache;
  /** Type ids by kind and name. Types are never deleted, so a committed id stays valid for good. */
  private readonly typeIds = new Map<string, number>();
  /** Cache entries for types inserted by a transaction that has not committed yet (see atomically). */
  private readonly uncommittedTypeKeys = new Set<string>();
  private readonly groupCommit: GroupCommit | undefined;

  private constructor(
    readonly file: string,
    private readonly db: StoreHandle,
    groupCommit: boolean,
  ) {
    this.statements = new StatementCache(db);
    this.groupCommit = groupCommit ? new GroupCommit(db, (committed) => this.settleTypeKeys(committed)) : undefined;
  }

  /**
   * Opens the store, creating the file, its folders and the v10 schema when new; rejects a file that
   * is not a v10 store. `groupCommit`: writes share one transaction until `commit()` or the end of
   * the event-loop turn (group-commit.ts); for the runner, which writes for many tasks at once.
   */
  static open(file: string, options: { readonly groupCommit?: boolean } = {}): MetadataStore {
    return new MetadataStore(file, openStoreDatabase(file), options.groupCommit === true);
  }

  /** Commits what group commit holds, then closes the connection. */
  close(): void {
    try {
      this.commit();
    } finally {
      this.db.close();
    }
  }

  /** Makes every write so far durable (a no-op without group commit, where each write commits itself). */
  commit(): void {
    this.groupCommit?.commit();
  }

  /** Runs `fn` once the writes so far are committed: at once without group commit. */
  whenCommitted(fn: () => void): void {
    if (this.groupCommit) this.groupCommit.whenCommitted(fn);
    else fn();
  }

  /** Runs `fn` in one IMMEDIATE transaction (a savepoint when nested); the operations it calls join it. */
  transaction<T>(fn: () => T): T {
    return this.atomically(fn);
  }

  getOrCreateType(name: string, kind: TypeKindName): number {
    const cacheKey = `${kind}\0${name}`;
    const cached = this.typeIds.get(cacheKey);
    if (cached !== undefined) return cached;
    return this.atomically(() => {
      const kindNumber = typeKindNumber[kind];
      // Types are looked up by name with version NULL, as MLMD's select_type_by_name does.
      const found = this.statements
        .get('SELECT `id` FROM `Type` WHERE `name` = ? AND `version` IS NULL AND `type_kind` = ?')
        .get(name, kindNumber) as { id: number } | undefined;
      const id =
        found?.id ??
        Number(this.statements.get('INSERT INTO `Type`(`name`, `type_kind`) VALUES(?, ?)').run(name, kindNumber).lastInsertRowid);
      this.typeIds.set(cacheKey, id);
      if (!found) this.uncommittedTypeKeys.add(cacheKey);
      return id;
    });
  }

  /** The context of that type and name, created (with `customProperties`) when missing; an existing one is returned unchanged. */
  getOrCreateContext(typeName: string, name: string, customProperties: Properties = {}): number {
    return this.atomically(() => {
      const typeId = this.getOrCreateType(typeName, 'context');
      const select = this.statements.get('SELECT `id` FROM `Context` WHERE `type_id` = ? AND `name` = ?');
      const existing = select.get(typeId, name) as { id: number } | undefined;
      if (existing) return existing.id;
      const now = Date.now();
      // Under the IMMEDIATE lock nobody can insert between the SELECT and here; DO NOTHING still turns a
      // duplicate into a re-read rather than an error, whoever's writer got there first.
      const inserted = this.statements
        .get(
          'INSERT INTO `Context`(`type_id`, `name`, `create_time_since_epoch`, `last_update_time_since_epoch`) VALUES(?, ?, ?, ?)' +
            ' ON CONFLICT (`type_id`, `name`) DO NOTHING',
        )
        .run(typeId, name, now, now);
      if (inserted.changes === 0) return (select.get(typeId, name) as { id: number }).id;
      const id = Number(inserted.lastInsertRowid);
      writeCustomProperties(this.statements, 'Context', id, customProperties);
      return id;
    });
  }

  /** Records `parentId` as a parent of `childId` (KFP: the run context's parent is the pipeline context). */
  linkParentContext(childId: number, parentId: number): void {
    this.atomically(() => {
      this.requireRow('Context', childId);
      this.requireRow('Context', parentId);
      // MLMD rejects links that would make the context graph cyclic; so does this.
      if (childId === parentId || this.ancestorContextIds(parentId).has(childId)) {
        throw new Error(`${this.file}: making context ${parentId} a parent of context ${childId} would create a cycle`);
      }
      this.statements
        .get('INSERT INTO `ParentContext`(`context_id`, `parent_context_id`) VALUES(?, ?) ON CONFLICT DO NOTHING')
        .run(childId, parentId);
    });
  }

  createArtifact(artifact: NewArtifact): number {
    return this.atomically(() => {
      const typeId = this.getOrCreateType(artifact.typeName, 'artifact');
      for (const contextId of artifact.contextIds) this.requireRow('Context', contextId);
      const now = Date.now();
      const id = Number(
        this.statements
          .get(
            'INSERT INTO `Artifact`(`type_id`, `uri`, `state`, `create_time_since_epoch`, `last_update_time_since_epoch`) VALUES(?, ?, ?, ?, ?)',
          )
          .run(typeId, artifact.uri, artifactStateNumber(artifact.state ?? 'LIVE'), now, now).lastInsertRowid,
      );
      writeCustomProperties(this.statements, 'Artifact', id, artifact.customProperties ?? {});
      for (const contextId of artifact.contextIds) this.attribute(contextId, id);
      return id;
    });
  }

  /** Creates an execution with its INPUT events, associated with each context; input artifacts are attributed to them. */
  createExecution(execution: NewExecution): number {
    return this.atomically(() => {
      const typeId = this.getOrCreateType(execution.typeName, 'execution');
      for (const contextId of execution.contextIds) this.requireRow('Context', contextId);
      const now = Date.now();
      if (execution.name !== undefined) {
        const clash = this.statements.get('SELECT `id` FROM `Execution` WHERE `type_id` = ? AND `name` = ?').get(typeId, execution.name) as
          | { id: number }
          | undefined;
        if (clash)
          throw new Error(`${this.file}: a ${execution.typeName} execution named '${execution.name}' already exists (id ${clash.id})`);
      }
      const id = Number(
        this.statements
          .get(
            'INSERT INTO `Execution`(`type_id`, `last_known_state`, `name`, `create_time_since_epoch`, `last_update_time_since_epoch`) VALUES(?, ?, ?, ?, ?)',
          )
          .run(typeId, stateNumber(execution.state), execution.name ?? null, now, now).lastInsertRowid,
      );
      writeCustomProperties(this.statements, 'Execution', id, execution.customProperties ?? {});
      const inputArtifactIds = this.addEvents(id, EventType.INPUT, execution.inputs ?? [], now);
      this.linkToContexts(id, execution.contextIds, inputArtifactIds);
      return id;
    });
  }

  /** Publishes an execution: new state, upserted properties, OUTPUT events; output artifacts are attributed to the contexts. */
  updateExecution(id: number, update: ExecutionUpdate): void {
    this.atomically(() => {
      this.requireRow('Execution', id);
      for (const contextId of update.contextIds) this.requireRow('Context', contextId);
      const now = Date.now();
      if (update.state !== undefined) {
        this.statements
          .get('UPDATE `Execution` SET `last_known_state` = ?, `last_update_time_since_epoch` = ? WHERE `id` = ?')
          .run(stateNumber(update.state), now, id);
      } else {
        this.statements.get('UPDATE `Execution` SET `last_update_time_since_epoch` = ? WHERE `id` = ?').run(now, id);
      }
      writeCustomProperties(this.statements, 'Execution', id, update.customProperties ?? {});
      const outputArtifactIds = this.addEvents(id, EventType.OUTPUT, update.outputs ?? [], now);
      this.linkToContexts(id, update.contextIds, outputArtifactIds);
    });
  }

  /** Upserts custom properties of a context (kfp-ts's run lock lives on the run context). */
  setContextProperties(id: number, customProperties: Properties): void {
    this.atomically(() => {
      this.requireRow('Context', id);
      this.statements.get('UPDATE `Context` SET `last_update_time_since_epoch` = ? WHERE `id` = ?').run(Date.now(), id);
      writeCustomProperties(this.statements, 'Context', id, customProperties);
    });
  }

  removeContextProperty(id: number, name: string): void {
    this.atomically(() => {
      this.statements.get('DELETE FROM `ContextProperty` WHERE `context_id` = ? AND `name` = ? AND `is_custom_property` = 1').run(id, name);
    });
  }

  setExecutionState(id: number, state: ExecutionStateName): void {
    this.atomically(() => {
      const changed = this.statements
        .get('UPDATE `Execution` SET `last_known_state` = ?, `last_update_time_since_epoch` = ? WHERE `id` = ?')
        .run(stateNumber(state), Date.now(), id).changes;
      if (changed === 0) throw new Error(`${this.file}: execution ${id} does not exist`);
    });
  }

  // ---- reads ----

  getExecution(id: number): ExecutionRecord | undefined {
    return this.reading(() => selectExecutions(this.statements, 'WHERE E.`id` = ?', id)[0]);
  }

  getArtifact(id: number): ArtifactRecord | undefined {
    return this.reading(() => selectArtifacts(this.statements, 'WHERE A.`id` = ?', id)[0]);
  }

  findArtifactsByUri(uri: string): ArtifactRecord[] {
    return this.reading(() => selectArtifacts(this.statements, 'WHERE A.`uri` = ?', uri));
  }

  eventsOfExecution(executionId: number): EventRecord[] {
    return this.reading(() => selectEvents(this.statements, 'WHERE V.`execution_id` = ?', executionId));
  }

  eventsOfArtifact(artifactId: number): EventRecord[] {
    return this.reading(() => selectEvents(this.statements, 'WHERE V.`artifact_id` = ?', artifactId));
  }

  /** The executions associated with a context, oldest first. */
  executionsInContext(contextId: number): ExecutionRecord[] {
    return this.reading(() =>
      selectExecutions(this.statements, 'JOIN `Association` AS S ON S.`execution_id` = E.`id` WHERE S.`context_id` = ?', contextId),
    );
  }

  getContext(id: number): ContextRecord | undefined {
    return this.reading(() => selectContexts(this.statements, 'WHERE C.`id` = ?', id)[0]);
  }

  /** The contexts of that type an execution is associated with (its pipeline, its run), in id order. */
  contextsOfExecution(executionId: number, typeName: string): ContextRecord[] {
    return this.reading(() =>
      selectContexts(
        this.statements,
        'JOIN `Association` AS S ON S.`context_id` = C.`id` WHERE S.`execution_id` = ? AND T.`name` = ? AND T.`version` IS NULL AND T.`type_kind` = ?',
        executionId,
        typeName,
        TypeKind.CONTEXT_TYPE,
      ),
    );
  }

  findContext(typeName: string, name: string): ContextRecord | undefined {
    return this.reading(
      () =>
        selectContexts(
          this.statements,
          'WHERE T.`name` = ? AND T.`version` IS NULL AND T.`type_kind` = ? AND C.`name` = ?',
          typeName,
          TypeKind.CONTEXT_TYPE,
          name,
        )[0],
    );
  }

  listContexts(typeName: string): ContextRecord[] {
    return this.reading(() =>
      selectContexts(this.statements, 'WHERE T.`name` = ? AND T.`version` IS NULL AND T.`type_kind` = ?', typeName, TypeKind.CONTEXT_TYPE),
    );
  }

  /** The contexts of that type linked to `contextId` as its children (`direction: 'children'`) or its parents, in id order. */
  linkedContexts(contextId: number, direction: 'children' | 'parents', typeName: string): ContextRecord[] {
    const [other, self] = direction === 'children' ? ['context_id', 'parent_context_id'] : ['parent_context_id', 'context_id'];
    return this.reading(() =>
      selectContexts(
        this.statements,
        `JOIN \`ParentContext\` AS P ON P.\`${other}\` = C.\`id\` WHERE P.\`${self}\` = ? AND T.\`name\` = ? AND T.\`version\` IS NULL AND T.\`type_kind\` = ?`,
        contextId,
        typeName,
        TypeKind.CONTEXT_TYPE,
      ),
    );
  }

  /** The newest COMPLETE execution of the pipeline with that `cache_fingerprint`, with its outputs; see cache-lookup.ts. */
  findCachedExecution(pipelineContextId: number, fingerprint: string): CachedExecution | undefined {
    return this.reading(() => findCachedExecution(this.statements, pipelineContextId, fingerprint));
  }

  // ---- internals ----

  /**
   * One IMMEDIATE transaction, or a savepoint inside an open one. A failure at any level may roll back
   * types inserted meanwhile, so their cache entries are dropped (they are looked up again next time);
   * only when the outermost transaction commits do they become permanent.
   */
  private atomically<T>(fn: () => T): T {
    this.groupCommit?.join();
    const outermost = !this.db.inTransaction;
    try {
      const result = this.db.transaction(fn).immediate();
      if (outermost) this.uncommittedTypeKeys.clear();
      return result;
    } catch (error) {
      for (const key of this.uncommittedTypeKeys) this.typeIds.delete(key);
      this.uncommittedTypeKeys.clear();
      throw error;
    }
  }

  /** Group commit's transaction ended: its new types stay cached only if it committed. */
  private settleTypeKeys(committed: boolean): void {
    if (!committed) for (const key of this.uncommittedTypeKeys) this.typeIds.delete(key);
    this.uncommittedTypeKeys.clear();
  }

  /** A consistent snapshot for multi-query reads (a plain DEFERRED transaction takes no write lock). */
  private reading<T>(fn: () => T): T {
    return this.db.inTransaction ? fn() : this.db.transaction(fn).deferred();
  }

  private requireRow(table: 'Context' | 'Execution' | 'Artifact', id: number): void {
    if (!this.statements.get(`SELECT 1 FROM \`${table}\` WHERE \`id\` = ?`).get(id)) {
      throw new Error(`${this.file}: ${table.toLowerCase()} ${id} does not exist`);
    }
  }

  /**
   * One event per artifact per name, each with one key step. The Event table allows a single event per
   * (artifact, execution, type), so an artifact bound to a second name of the same execution keeps the
   * first event (as Vertex ML Metadata skips an existing event) rather than failing the whole write.
   * Returns the artifacts referenced, for attribution.
   */
  private addEvents(executionId: number, type: number, links: EventLinks[], now: number): number[] {
    const referenced: number[] = [];
    for (const link of links) {
      for (const artifactId of link.artifactIds) {
        this.requireRow('Artifact', artifactId);
        referenced.push(artifactId);
        const event = this.statements
          .get(
            'INSERT INTO `Event`(`artifact_id`, `execution_id`, `type`, `milliseconds_since_epoch`) VALUES(?, ?, ?, ?) ON CONFLICT DO NOTHING',
          )
          .run(artifactId, executionId, type, now);
        if (event.changes === 0) continue;
        this.statements
          .get('INSERT INTO `EventPath`(`event_id`, `is_index_step`, `step_key`) VALUES(?, 0, ?)')
          .run(Number(event.lastInsertRowid), link.key);
      }
    }
    return referenced;
  }

  /** What MLMD's PutExecution does per context: associate the execution, attribute every artifact of the call. */
  private linkToContexts(executionId: number, contextIds: number[], artifactIds: number[]): void {
    for (const contextId of contextIds) {
      this.statements
        .get('INSERT INTO `Association`(`context_id`, `execution_id`) VALUES(?, ?) ON CONFLICT DO NOTHING')
        .run(contextId, executionId);
      for (const artifactId of artifactIds) this.attribute(contextId, artifactId);
    }
  }

  private attribute(contextId: number, artifactId: number): void {
    this.statements
      .get('INSERT INTO `Attribution`(`context_id`, `artifact_id`) VALUES(?, ?) ON CONFLICT DO NOTHING')
      .run(contextId, artifactId);
  }

  private ancestorContextIds(contextId: number): Set<number> {
    const parents = this.statements.get('SELECT `parent_context_id` AS id FROM `ParentContext` WHERE `context_id` = ?');
    const seen = new Set<number>();
    const pending = [contextId];
    while (pending.length > 0) {
      for (const row of parents.all(pending.pop()) as { id: number }[]) {
        if (!seen.has(row.id)) {
          seen.add(row.id);
          pending.push(row.id);
        }
      }
    }
    return seen;
  }
}
