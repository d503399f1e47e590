// The ML Metadata SQLite schema, version 10 (every MLMD release from 1.11.0 on), as MLMD itself creates it.
//
// The statements are MLMD's own text, fragment for fragment, from google/ml-metadata
// ml_metadata/util/metadata_source_query_config.cc @ 8949ab52bfbb98932bb6e494ba014f7e4911a16b
// (`create_*_table` of kBaseQueryConfig, `secondary_indices` of kSQLiteMetadataSourceQueryConfig).
// SQLite keeps each CREATE statement's text in sqlite_master, so identical text makes a file written by
// kfp-ts indistinguishable from one MLMD made. There are no foreign keys: MLMD's C++ enforces
// referential integrity, so MetadataStore does too.

export * from './enums';

/** The only version kfp-ts writes and accepts in `MLMDEnv.schema_version`. */
export const SCHEMA_VERSION = 10;

/** MLMD builds each query by concatenating C string fragments; joining them keeps its exact spacing. */
const sql = (...fragments: string[]): string => fragments.join('');

const propertyColumns = (owner: string): string[] => [
  `   \`${owner}\` INT NOT NULL, `,
  '   `name` VARCHAR(255) NOT NULL, ',
  '   `is_custom_property` TINYINT(1) NOT NULL, ',
  '   `int_value` INT, ',
  '   `double_value` DOUBLE, ',
  '   `string_value` TEXT, ',
  '   `byte_value` BLOB, ',
  '   `proto_value` BLOB, ',
  '   `bool_value` BOOLEAN, ',
  ` PRIMARY KEY (\`${owner}\`, \`name\`, \`is_custom_property\`)); `,
];

/** The 15 tables in the order MLMD's InitMetadataSource creates them, with their CREATE statements. */
export const TABLES: readonly { readonly name: string; readonly create: string }[] = [
  {
    name: 'Type',
    create: sql(
      ' CREATE TABLE IF NOT EXISTS `Type` ( ',
      '   `id` INTEGER PRIMARY KEY AUTOINCREMENT, ',
      '   `name` VARCHAR(255) NOT NULL, ',
      '   `version` VARCHAR(255), ',
      '   `type_kind` TINYINT(1) NOT NULL, ',
      '   `description` TEXT, ',
      '   `input_type` TEXT, ',
      '   `output_type` TEXT, ',
      '   `external_id` VARCHAR(255) UNIQUE',
      ' ); ',
    ),
  },
  {
    name: 'TypeProperty',
    create: sql(
      ' CREATE TABLE IF NOT EXISTS `TypeProperty` ( ',
      '   `type_id` INT NOT NULL, ',
      '   `name` VARCHAR(255) NOT NULL, ',
      '   `data_type` INT NULL, ',
      ' PRIMARY KEY (`type_id`, `name`)); ',
    ),
  },
  {
    name: 'ParentType',
    create: sql(
      ' CREATE TABLE IF NOT EXISTS `ParentType` ( ',
      '   `type_id` INT NOT NULL, ',
      '   `parent_type_id` INT NOT NULL, ',
      ' PRIMARY KEY (`type_id`, `parent_type_id`)); ',
    ),
  },
  {
    name: 'Artifact',
    create: sql(
      ' CREATE TABLE IF NOT EXISTS `Artifact` ( ',
      '   `id` INTEGER PRIMARY KEY AUTOINCREMENT, ',
      '   `type_id` INT NOT NULL, ',
      '   `uri` TEXT, ',
      '   `state` INT, ',
      '   `name` VARCHAR(255), ',
      '   `external_id` VARCHAR(255) UNIQUE, ',
      '   `create_time_since_epoch` INT NOT NULL DEFAULT 0, ',
      '   `last_update_time_since_epoch` INT NOT NULL DEFAULT 0, ',
      '   UNIQUE(`type_id`, `name`) ',
      ' ); ',
    ),
  },
  {
    name: 'ArtifactProperty',
    create: sql(' CREATE TABLE IF NOT EXISTS `ArtifactProperty` ( ', ...propertyColumns('artifact_id')),
  },
  {
    name: 'Execution',
    create: sql(
      ' CREATE TABLE IF NOT EXISTS `Execution` ( ',
      '   `id` INTEGER PRIMARY KEY AUTOINCREMENT, ',
      '   `type_id` INT NOT NULL, ',
      '   `last_known_state` INT, ',
      '   `name` VARCHAR(255), ',
      '   `external_id` VARCHAR(255) UNIQUE, ',
      '   `create_time_since_epoch` INT NOT NULL DEFAULT 0, ',
      '   `last_update_time_since_epoch` INT NOT NULL DEFAULT 0, ',
      '   UNIQUE(`type_id`, `name`) ',
      ' ); ',
    ),
  },
  {
    name: 'ExecutionProperty',
    create: sql(' CREATE TABLE IF NOT EXISTS `ExecutionProperty` ( ', ...propertyColumns('execution_id')),
  },
  {
    name: 'Event',
    create: sql(
      ' CREATE TABLE IF NOT EXISTS `Event` ( ',
      '   `id` INTEGER PRIMARY KEY AUTOINCREMENT, ',
      '   `artifact_id` INT NOT NULL, ',
      '   `execution_id` INT NOT NULL, ',
      '   `type` INT NOT NULL, ',
      '   `milliseconds_since_epoch` INT, ',
      '   UNIQUE(`artifact_id`, `execution_id`, `type`) ',
      ' ); ',
    ),
  },
  {
    name: 'EventPath',
    create: sql(
      ' CREATE TABLE IF NOT EXISTS `EventPath` ( ',
      '   `event_id` INT NOT NULL, ',
      '   `is_index_step` TINYINT(1) NOT NULL, ',
      '   `step_index` INT, ',
      '   `step_key` TEXT ',
      ' ); ',
    ),
  },
  {
    name: 'MLMDEnv',
    create: sql(' CREATE TABLE IF NOT EXISTS `MLMDEnv` ( ', '   `schema_version` INTEGER PRIMARY KEY ', ' ); '),
  },
  {
    name: 'Context',
    create: sql(
      ' CREATE TABLE IF NOT EXISTS `Context` ( ',
      '   `id` INTEGER PRIMARY KEY AUTOINCREMENT, ',
      '   `type_id` INT NOT NULL, ',
      '   `name` VARCHAR(255) NOT NULL, ',
      '   `external_id` VARCHAR(255) UNIQUE, ',
      '   `create_time_since_epoch` INT NOT NULL DEFAULT 0, ',
      '   `last_update_time_since_epoch` INT NOT NULL DEFAULT 0, ',
      '   UNIQUE(`type_id`, `name`) ',
      ' ); ',
    ),
  },
  {
    name: 'ContextProperty',
    create: sql(' CREATE TABLE IF NOT EXISTS `ContextProperty` ( ', ...propertyColumns('context_id')),
  },
  {
    name: 'ParentContext',
    create: sql(
      ' CREATE TABLE IF NOT EXISTS `ParentContext` ( ',
      '   `context_id` INT NOT NULL, ',
      '   `parent_context_id` INT NOT NULL, ',
      ' PRIMARY KEY (`context_id`, `parent_context_id`)); ',
    ),
  },
  {
    name: 'Association',
    create: sql(
      ' CREATE TABLE IF NOT EXISTS `Association` ( ',
      '   `id` INTEGER PRIMARY KEY AUTOINCREMENT, ',
      '   `context_id` INT NOT NULL, ',
      '   `execution_id` INT NOT NULL, ',
      '   UNIQUE(`context_id`, `execution_id`) ',
      ' ); ',
    ),
  },
  {
    name: 'Attribution',
    create: sql(
      ' CREATE TABLE IF NOT EXISTS `Attribution` ( ',
      '   `id` INTEGER PRIMARY KEY AUTOINCREMENT, ',
      '   `context_id` INT NOT NULL, ',
      '   `artifact_id` INT NOT NULL, ',
      '   UNIQUE(`context_id`, `artifact_id`) ',
      ' ); ',
    ),
  },
];

export const TABLE_NAMES: readonly string[] = TABLES.map((table) => table.name);

const timeIndex = (table: string, column: string): string =>
  sql(' CREATE INDEX IF NOT EXISTS ', `   \`idx_${table.toLowerCase()}_${column}\` `, ` ON \`${table}\`(\`${column}\`); `);

const propertyValueIndex = (table: string, prefix: string, kind: 'int' | 'double' | 'string'): string =>
  sql(
    ` CREATE INDEX IF NOT EXISTS \`idx_${prefix}_property_${kind}\` `,
    ` ON \`${table}\`(\`name\`, \`is_custom_property\`, \`${kind}_value\`) `,
    ` WHERE \`${kind}_value\` IS NOT NULL; `,
  );

const propertyValueIndexes = (table: string, prefix: string): string[] =>
  (['int', 'double', 'string'] as const).map((kind) => propertyValueIndex(table, prefix, kind));

/**
 * The 24 explicit secondary indexes of the SQLite config, in MLMD's order. With the 16 sqlite_autoindex_*
 * that SQLite makes for the PRIMARY KEY / UNIQUE constraints, a v10 file has 40 indexes.
 * MLMD does not check indexes on open; they are created so queries (by URI, by property value) stay fast.
 */
export const SECONDARY_INDEXES: readonly string[] = [
  ' CREATE INDEX IF NOT EXISTS `idx_artifact_uri`  ON `Artifact`(`uri`); ',
  timeIndex('Artifact', 'create_time_since_epoch'),
  timeIndex('Artifact', 'last_update_time_since_epoch'),
  ' CREATE INDEX IF NOT EXISTS `idx_event_execution_id`  ON `Event`(`execution_id`); ',
  ' CREATE INDEX IF NOT EXISTS `idx_parentcontext_parent_context_id`  ON `ParentContext`(`parent_context_id`); ',
  ' CREATE INDEX IF NOT EXISTS `idx_type_name`  ON `Type`(`name`); ',
  timeIndex('Execution', 'create_time_since_epoch'),
  timeIndex('Execution', 'last_update_time_since_epoch'),
  timeIndex('Context', 'create_time_since_epoch'),
  timeIndex('Context', 'last_update_time_since_epoch'),
  ' CREATE INDEX IF NOT EXISTS `idx_eventpath_event_id`  ON `EventPath`(`event_id`); ',
  ...propertyValueIndexes('ArtifactProperty', 'artifact'),
  ...propertyValueIndexes('ExecutionProperty', 'execution'),
  ...propertyValueIndexes('ContextProperty', 'context'),
  ' CREATE INDEX IF NOT EXISTS `idx_type_external_id`  ON `Type`(`external_id`); ',
  ' CREATE INDEX IF NOT EXISTS `idx_artifact_external_id`  ON `Artifact`(`external_id`); ',
  ' CREATE INDEX IF NOT EXISTS `idx_execution_external_id`  ON `Execution`(`external_id`); ',
  ' CREATE INDEX IF NOT EXISTS `idx_context_external_id`  ON `Context`(`external_id`); ',
];

/**
 * Indexes kfp-ts adds beside MLMD's, prefixed `kfp_ts_` so they are told apart (MLMD ignores indexes
 * it does not know; they change no table). `Association` has only MLMD's UNIQUE(context_id,
 * execution_id), which cannot answer "which run holds this execution" (lineage) without a scan.
 */
export const KFP_TS_INDEXES: readonly { readonly name: string; readonly create: string }[] = [
  {
    name: 'kfp_ts_idx_association_execution_id',
    create: ' CREATE INDEX IF NOT EXISTS `kfp_ts_idx_association_execution_id`  ON `Association`(`execution_id`); ',
  },
];

/** MLMD's `insert_schema_version` query. */
export const INSERT_SCHEMA_VERSION = ' INSERT INTO `MLMDEnv`(`schema_version`) VALUES(?); ';

/**
 * MLMD's built-in simple types (ml_metadata/simple_types/simple_types_constants.cc). MLMD upserts them
 * right after creating the schema, artifact types first, so a fresh MLMD file has them as Type ids 1–9:
 * no version, description or external id.
 */
export const SIMPLE_TYPES: readonly { readonly name: string; readonly kind: 0 | 1 }[] = [
  { name: 'mlmd.Dataset', kind: 1 },
  { name: 'mlmd.Model', kind: 1 },
  { name: 'mlmd.Metrics', kind: 1 },
  { name: 'mlmd.Statistics', kind: 1 },
  { name: 'mlmd.Train', kind: 0 },
  { name: 'mlmd.Transform', kind: 0 },
  { name: 'mlmd.Process', kind: 0 },
  { name: 'mlmd.Evaluate', kind: 0 },
  { name: 'mlmd.Deploy', kind: 0 },
];
