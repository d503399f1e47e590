// Custom-property rows of ArtifactProperty / ExecutionProperty / ContextProperty. KFP registers every type
// schemaless (no TypeProperty rows), so all of its properties are custom: is_custom_property = 1.
import { fromPropertyColumns, setOwn, toPropertyColumns, type Properties, type PropertyColumns } from './property-values';
import type { StatementCache } from './statement-cache';

export type PropertyOwner = 'Artifact' | 'Execution' | 'Context';

const ownerColumn: Record<PropertyOwner, string> = { Artifact: 'artifact_id', Execution: 'execution_id', Context: 'context_id' };

/** Inserts or replaces each property; a replaced row gets all value columns rewritten so exactly one stays non-NULL. */
export function writeCustomProperties(statements: StatementCache, owner: PropertyOwner, ownerId: number, properties: Properties): void {
  const column = ownerColumn[owner];
  const upsert = statements.get(
    `INSERT INTO \`${owner}Property\` (\`${column}\`, \`name\`, \`is_custom_property\`, \`int_value\`, \`double_value\`, \`string_value\`, \`proto_value\`, \`bool_value\`)` +
      ' VALUES (?, ?, 1, ?, ?, ?, ?, ?)' +
      ` ON CONFLICT (\`${column}\`, \`name\`, \`is_custom_property\`) DO UPDATE SET` +
      ' `int_value` = excluded.`int_value`, `double_value` = excluded.`double_value`, `string_value` = excluded.`string_value`,' +
      ' `byte_value` = NULL, `proto_value` = excluded.`proto_value`, `bool_value` = excluded.`bool_value`',
  );
  for (const [name, value] of Object.entries(properties)) {
    const columns = toPropertyColumns(name, value);
    upsert.run(ownerId, name, columns.int_value, columns.double_value, columns.string_value, columns.proto_value, columns.bool_value);
  }
}

export function readCustomProperties(statements: StatementCache, owner: PropertyOwner, ownerId: number): Properties {
  const rows = statements
    .get(
      'SELECT `name`, `int_value`, `double_value`, `string_value`, `proto_value`, `bool_value`' +
        ` FROM \`${owner}Property\` WHERE \`${ownerColumn[owner]}\` = ? AND \`is_custom_property\` = 1 ORDER BY \`name\``,
    )
    .all(ownerId) as (PropertyColumns & { name: string })[];
  const properties: Properties = {};
  for (const row of rows) {
    const value = fromPropertyColumns(row.name, row);
    if (value !== undefined) setOwn(properties, row.name, value);
  }
  return properties;
}
