// A fresh temporary folder per test file, removed afterwards; stores live in files so that a second
// connection (plain SQL, another process) can read them.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function useTempDir(prefix: string): () => string {
  let dir = '';
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `kfp-ts-${prefix}-`));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });
  let counter = 0;
  return () => path.join(dir, `store-${++counter}.sqlite`);
}
