import type { SqlStatement, StoreHandle } from './store-handle';

/** Prepares each SQL text once per connection: the runner repeats the same few statements for every task. */
export class StatementCache {
  private readonly statements = new Map<string, SqlStatement>();

  constructor(readonly db: StoreHandle) {}

  get(sql: string): SqlStatement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
