/**
 * The calls the store makes on its SQLite connection, as kfp-ts's own types. better-sqlite3's
 * `Database` satisfies them (store-file.ts returns one as a StoreHandle, so tsc checks it), and the
 * published .d.ts name no better-sqlite3 types: its @types package is a devDependency, which a
 * team's install does not have.
 */

/** What better-sqlite3's `Statement.run` reports. */
export interface SqlRunResult {
  readonly changes: number;
  readonly lastInsertRowid: number | bigint;
}

export interface SqlStatement {
  run(...params: unknown[]): SqlRunResult;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

/** `db.transaction(fn)`: run it in a transaction of the chosen kind. */
export interface SqlTransaction<T> {
  immediate(): T;
  deferred(): T;
}

export interface StoreHandle {
  readonly inTransaction: boolean;
  prepare(sql: string): SqlStatement;
  transaction<T>(fn: () => T): SqlTransaction<T>;
  close(): void;
}
