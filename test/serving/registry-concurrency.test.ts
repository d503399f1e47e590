import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { removeStaleTemporaries, writeJsonAtomic } from '../../serving/registry/json-files';
import { openLocalRegistry } from '../../serving/registry/local-registry';
import { RegistryLockTimeout, registryLockFile, withRegistryLock } from '../../serving/registry/registry-lock';

const projectRoot = path.resolve(__dirname, '../..');
const fixture = path.join(__dirname, 'fixtures', 'deploy-many.ts');
const fresh = () => fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-registry-lock-'));

/** Runs the fixture in its own Node process; resolves with its exit code and stderr. */
function deployInChild(stateDir: string, endpoint: string, model: string, count: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', './project/register-ts.js', fixture, stateDir, endpoint, model, String(count)], {
      cwd: projectRoot,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

/** A process that has exited, so its pid is dead (as a crashed writer's is). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

describe('one registry writer at a time across processes', () => {
  it('three processes × 200 deploys to one endpoint keep all 600 deployments and their history', async () => {
    const stateDir = fresh();
    const registry = openLocalRegistry(stateDir);
    const version = registry.models.upload({ project: 'local', location: 'us-central1', displayName: 'clf', artifactUri: '/models/a' });
    const endpoint = registry.endpoints.create({ project: 'local', location: 'us-central1', displayName: 'ep' });
    const results = await Promise.all([0, 1, 2].map(() => deployInChild(stateDir, endpoint.name, version.name, 200)));
    expect(results).toEqual([0, 1, 2].map(() => ({ code: 0, stderr: '' })));
    const record = registry.endpoints.get('1')!;
    expect(record.deployedModels).toHaveLength(600);
    expect(new Set(record.deployedModels.map((d) => d.id)).size).toBe(600);
    expect(record.trafficHistory).toHaveLength(600);
    expect(record.trafficSplit).toEqual({ '1': 100 });
    // No lock and no temporary file is left behind.
    expect(fs.existsSync(registryLockFile(registry.root))).toBe(false);
    expect(fs.readdirSync(path.join(registry.root, 'endpoints', '1'))).toEqual(['endpoint.json']);
  }, 120_000);

  it('takes over a lock left by a dead process', async () => {
    const root = path.join(fresh(), 'registry');
    fs.mkdirSync(root, { recursive: true });
    fs.writeFileSync(registryLockFile(root), `${await deadPid()}\n`);
    expect(withRegistryLock(root, () => 'written')).toBe('written');
    expect(fs.existsSync(registryLockFile(root))).toBe(false);
  });

  it('waits for a live holder, then says who holds the lock and how to clear it', () => {
    const root = path.join(fresh(), 'registry');
    fs.mkdirSync(root, { recursive: true });
    // The test runner's parent is alive for the whole test.
    fs.writeFileSync(registryLockFile(root), `${process.ppid}\n`);
    let error: unknown;
    try {
      withRegistryLock(root, () => undefined, 50);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RegistryLockTimeout);
    expect((error as Error).message).toBe(
      `the local registry is locked by process ${process.ppid} (${registryLockFile(root)}) and was not released within 0.05 s; ` +
        'wait for that kfp-ts command to finish, or, if no kfp-ts process is running, delete the lock file.',
    );
  });

  it('is re-entrant within a process', () => {
    const root = path.join(fresh(), 'registry');
    expect(withRegistryLock(root, () => withRegistryLock(root, () => fs.existsSync(registryLockFile(root))))).toBe(true);
    expect(fs.existsSync(registryLockFile(root))).toBe(false);
  });
});

describe('durable record writes', () => {
  it('deletes temporary files of dead writers and keeps those of live ones', async () => {
    const dir = fresh();
    const file = path.join(dir, 'endpoint.json');
    const dead = `${file}.${await deadPid()}.0a0b0c0d.tmp`;
    const live = `${file}.${process.ppid}.0a0b0c0d.tmp`;
    fs.writeFileSync(dead, '{"half":');
    fs.writeFileSync(live, '{"half":');
    writeJsonAtomic(file, { whole: true });
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ whole: true });
    expect(fs.readdirSync(dir).sort()).toEqual([path.basename(file), path.basename(live)].sort());
    removeStaleTemporaries(file);
    expect(fs.existsSync(live)).toBe(true);
  });

  it('an endpoint or model id that climbs out of the registry is refused', () => {
    const registry = openLocalRegistry(fresh());
    expect(() => registry.endpoints.get('.')).toThrow(/^endpoint id '\.' names the folder .* itself, not an entry in it/);
    expect(() => registry.endpoints.get('..')).toThrow(/^endpoint id '\.\.' leads outside \S*endpoints \(to /);
    expect(() => registry.models.getModel('../../x')).toThrow(/^model id '\.\.\/\.\.\/x' leads outside /);
    expect(() => registry.endpoints.deploy('projects/p/locations/l/endpoints/..', 'projects/p/locations/l/models/1', {})).toThrow(
      /endpoint id/,
    );
  });
});
