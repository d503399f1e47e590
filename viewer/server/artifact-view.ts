/**
 * The artifact page: the artifact's record and metadata (its custom properties as the component
 * wrote them), the executions that produced it, and the files under its URI when that is a local
 * path under a pipeline root: listed (bounded) for previews, served by artifactFile.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ArtifactSummary, ArtifactView, ExecutionRef, FileEntry } from './api-types';
import { containedChild, containedPath, readBounded } from './contained-path';
import { groupProperties, propertyColumns, type PropertyRow, type ReadOnlyStore } from './read-only-store';
import { nodeState } from './run-executions';
import { locateExecution } from './task-view';

const MAX_FILES = 200;
/** Largest file the viewer sends for a preview (an image, a text file, an HTML report). */
export const MAX_PREVIEW_BYTES = 16 * 1024 * 1024;

const bookkeeping = new Set(['display_name', 'store_session_info']);

const imageTypes: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.bmp': 'image/bmp',
};
const textExtensions = new Set(['.txt', '.json', '.csv', '.tsv', '.log', '.yaml', '.yml', '.md', '.html', '.htm', '.py', '.ts', '.js']);

export function fileKind(file: string, artifactType: string): FileEntry['kind'] {
  const ext = path.extname(file).toLowerCase();
  if (artifactType === 'system.HTML' || ext === '.html' || ext === '.htm') return 'html';
  if (artifactType === 'system.Markdown' || ext === '.md') return 'markdown';
  if (ext in imageTypes) return 'image';
  if (textExtensions.has(ext) || ext === '') return 'text';
  return 'other';
}

export function contentType(file: string, kind: FileEntry['kind']): string {
  if (kind === 'image') return imageTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  if (kind === 'html') return 'text/html; charset=utf-8';
  if (kind === 'text' || kind === 'markdown') return 'text/plain; charset=utf-8';
  return 'application/octet-stream';
}

interface ArtifactRow {
  id: number;
  type: string;
  uri: string | null;
  state: number | null;
  name: string | null;
  created: number;
}

function artifactRow(store: ReadOnlyStore, id: number): ArtifactRow | undefined {
  return store.get<ArtifactRow>(
    'SELECT A.`id`, T.`name` AS type, A.`uri`, A.`state`, A.`name`, A.`create_time_since_epoch` AS created FROM `Artifact` AS A JOIN `Type` AS T ON T.`id` = A.`type_id` WHERE A.`id` = ?',
    id,
  );
}

export function artifactMetadata(store: ReadOnlyStore, id: number): Record<string, unknown> {
  const properties =
    groupProperties(
      store.all<PropertyRow>(
        `SELECT P.\`artifact_id\` AS owner, ${propertyColumns('P')} FROM \`ArtifactProperty\` AS P WHERE P.\`artifact_id\` = ? AND P.\`is_custom_property\` = 1 ORDER BY P.\`name\``,
        id,
      ),
    ).get(id) ?? {};
  return Object.fromEntries(Object.entries(properties).filter(([name]) => !bookkeeping.has(name)));
}

export function artifactSummary(store: ReadOnlyStore, id: number): ArtifactSummary | undefined {
  const row = artifactRow(store, id);
  if (!row) return undefined;
  const name = store.get<{ string_value: string }>(
    "SELECT `string_value` FROM `ArtifactProperty` WHERE `artifact_id` = ? AND `name` = 'display_name' AND `is_custom_property` = 1",
    id,
  );
  return { id, type: row.type, uri: row.uri ?? '', name: name?.string_value ?? row.name ?? '' };
}

export function artifactView(store: ReadOnlyStore, roots: readonly string[], id: number): ArtifactView | undefined {
  return store.snapshot(() => {
    const row = artifactRow(store, id);
    if (!row) return undefined;
    const summary = artifactSummary(store, id)!;
    const producers = store
      .all<{ execution_id: number; key: string | null; state: number | null }>(
        'SELECT V.`execution_id`, E.`last_known_state` AS state, (SELECT EP.`step_key` FROM `EventPath` AS EP WHERE EP.`event_id` = V.`id` AND EP.`is_index_step` = 0 LIMIT 1) AS key' +
          ' FROM `Event` AS V JOIN `Execution` AS E ON E.`id` = V.`execution_id` WHERE V.`artifact_id` = ? AND V.`type` = 4 ORDER BY V.`id` LIMIT 50',
        id,
      )
      .map((event): ExecutionRef => {
        const location = locateExecution(store, event.execution_id);
        return {
          executionId: event.execution_id,
          ...(location?.runId !== undefined ? { runId: location.runId } : {}),
          path: location?.path ?? '',
          state: nodeState({ mlmdState: event.state, properties: {} }, false),
          key: event.key ?? '',
        };
      });
    const local = localRoot(roots, row.uri);
    return {
      id,
      type: row.type,
      uri: row.uri ?? '',
      name: summary.name,
      state: ['UNKNOWN', 'PENDING', 'LIVE', 'MARKED_FOR_DELETION', 'DELETED', 'ABANDONED', 'REFERENCE'][row.state ?? 0] ?? 'UNKNOWN',
      createdAt: row.created,
      metadata: artifactMetadata(store, id),
      local: local !== undefined,
      files: local ? listFiles(local, row.type) : [],
      producers,
    };
  });
}

/** The artifact's URI as a real local path under a root, or undefined (gs://…, missing, outside). */
function localRoot(roots: readonly string[], uri: string | null): string | undefined {
  if (!uri || /^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) return undefined;
  try {
    return containedPath(roots, uri);
  } catch {
    return undefined;
  }
}

function listFiles(base: string, artifactType: string): FileEntry[] {
  const stat = fs.statSync(base);
  if (stat.isFile()) return [{ path: '', size: stat.size, kind: fileKind(base, artifactType) }];
  const files: FileEntry[] = [];
  const walk = (dir: string, depth: number) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (files.length >= MAX_FILES) return;
      const full = path.join(dir, entry.name);
      // Links are listed only when they stay inside the base (the file route checks again).
      if (entry.isDirectory() && depth < 4) walk(full, depth + 1);
      else if (entry.isFile())
        files.push({
          path: path.relative(base, full).split(path.sep).join('/'),
          size: fs.statSync(full).size,
          kind: fileKind(full, artifactType),
        });
    }
  };
  walk(base, 0);
  return files;
}

export interface ArtifactFile {
  readonly data: Buffer;
  readonly contentType: string;
  readonly kind: FileEntry['kind'];
  readonly truncated: boolean;
}

/** One file of a local artifact (`relative` '' for a file artifact), bounded to `limit` bytes. */
export function artifactFile(
  store: ReadOnlyStore,
  roots: readonly string[],
  id: number,
  relative: string,
  limit = MAX_PREVIEW_BYTES,
): ArtifactFile | undefined {
  const row = store.snapshot(() => artifactRow(store, id));
  if (!row?.uri) return undefined;
  const base = localRoot(roots, row.uri);
  if (!base) return undefined;
  const file = relative === '' ? base : containedChild(roots, base, relative);
  if (!fs.statSync(file).isFile()) return undefined;
  const kind = fileKind(file, row.type);
  const { data, truncated } = readBounded(file, limit);
  return { data, contentType: contentType(file, kind), kind, truncated };
}
