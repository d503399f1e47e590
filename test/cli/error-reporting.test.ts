/**
 * Every mistake a user can make on the command line, and every known environment problem, ends in
 * one clear line and exit code 1 (2 for usage), never in "internal error" and a stack trace.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import type { Command } from '../../cli/sub-command';
import { main } from '../../cli/main';
import { reportCommandError } from '../../cli/report-command-error';
import { KfpTsError } from '../../compiler';

const root = path.resolve(__dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-errors-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: root, isTTY: false });
  return { code, stdout, stderr };
}

function write(name: string, text: string): string {
  const file = path.join(tmp, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

const hello = 'test/cli/fixtures/hello-pipeline.ts';
const threeMistakes = 'test/cli/fixtures/three-mistakes-pipeline.ts';
const brokenComponent = () =>
  write('broken.yaml', 'name: Broken\nimplementation:\n  container:\n    image: alpine\n    args:\n    - {inputValue: nothing}\n');
const brokenIr = () => write('broken-ir.yaml', 'pipelineInfo: {name: x}\nroot: {}\nschemaVersion: 2.1.0\n');
const blocker = () => write('a-file', '');
const nonEmpty = () => write('taken/README.md', 'mine\n');

// [what, argv, expected exit code, text the report must contain]
const userErrors: [string, () => string[], number, string][] = [
  ['compile: a pipeline with problems', () => ['compile', threeMistakes], 1, 'three-mistakes-pipeline.ts has 4 problems:'],
  ['compile: a missing file', () => ['compile', 'nope.ts'], 1, 'nope.ts: no such file'],
  ['compile: an unknown export', () => ['compile', hello, '--export', 'other'], 1, "export 'other' is not a pipeline or component"],
  ['compile: an output it cannot write', () => ['compile', hello, '-o', path.join(blocker(), 'x.yaml')], 1, 'cannot write'],
  [
    'compile: a bad --load-timeout',
    () => ['compile', hello, '--load-timeout', 'soon'],
    2,
    "--load-timeout must be a number of seconds > 0, got 'soon'",
  ],
  ['compile: an unknown option', () => ['compile', hello, '--frobnicate'], 2, 'unknown option --frobnicate'],
  ['run: a pipeline with problems', () => ['run', threeMistakes, '--metadata', path.join(tmp, 'm.sqlite')], 1, 'has 4 problems'],
  ['run: invalid IR', () => ['run', brokenIr(), '--metadata', path.join(tmp, 'm.sqlite')], 1, 'is not a valid PipelineSpec'],
  [
    'run: an unknown parameter',
    () => ['run', hello, '--param', 'nope=1', '--metadata', path.join(tmp, 'm.sqlite'), '--pipeline-root', path.join(tmp, 'out')],
    1,
    'nope',
  ],
  [
    'run: --resume of an unknown run',
    () => ['run', hello, '--resume', 'no-such-run', '--metadata', path.join(tmp, 'm.sqlite'), '--pipeline-root', path.join(tmp, 'out')],
    1,
    'no-such-run',
  ],
  ['submit: a pipeline with problems', () => ['submit', threeMistakes, '--project', 'p', '--region', 'us-central1'], 1, 'has 4 problems'],
  [
    'submit: a bad --poll-interval',
    () => ['submit', hello, '--project', 'p', '--region', 'us-central1', '--poll-interval', '0'],
    1,
    '--poll-interval must be a number of seconds > 0',
  ],
  ['types: a broken component', () => ['types', brokenComponent()], 1, 'names no input of the component'],
  ['types: a missing file', () => ['types', 'nope.yaml'], 1, 'cannot be read (ENOENT)'],
  ['validate: a missing file', () => ['validate', 'nope.yaml'], 1, 'nope.yaml'],
  ['init: a folder that is not empty', () => ['init', path.dirname(nonEmpty())], 1, 'is not empty'],
  ['build: outside a project', () => ['build', '--config', path.join(tmp, 'missing.config.ts')], 1, 'missing.config.ts'],
  ['runs: no store', () => ['runs', '--metadata', path.join(tmp, 'none.sqlite')], 1, 'no metadata store'],
  ['jobs: a missing region', () => ['jobs', 'get', 'some-job'], 2, '--region is required'],
];

describe('user errors on the command line', () => {
  jest.setTimeout(60_000);
  it.each(userErrors)('%s: one clear message, no internal error', async (_what, argv, code, text) => {
    const result = await cli(...argv());
    expect(result.stderr + result.stdout).toContain(text);
    expect(result.stderr).not.toContain('internal error');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.code).toBe(code);
  });
});

describe('pipeline files that misbehave at import', () => {
  jest.setTimeout(60_000);
  it.each([
    ['throw {}', 'it threw {}, which is not an Error'],
    ["throw 'text'", 'it threw "text", which is not an Error'],
    ['throw null', 'it threw null, which is not an Error'],
  ])('`%s` names the file and what was thrown', async (statement, text) => {
    const file = write(`throws-${statement.replace(/\W/g, '')}.ts`, `${statement};\nexport {};\n`);
    const { code, stderr } = await cli('compile', file);
    expect(stderr).toContain(`kfp-ts compile: ${file}: failed to load: ${text}`);
    expect(stderr).not.toContain('[object Object]');
    expect(code).toBe(1);
  });

  it('keeps the file:line of an Error thrown at import', async () => {
    const file = write('throws-error.ts', "const x = 1;\nif (x) throw new Error('no config');\nexport {};\n");
    const { stderr } = await cli('compile', file);
    expect(stderr).toMatch(/failed to load \(at .*throws-error\.ts:2\): no config/);
  });

  it('stops an import that loops forever after --load-timeout', async () => {
    const file = write('loops.ts', 'for (;;) {}\nexport {};\n');
    const started = Date.now();
    const { code, stderr } = await cli('compile', file, '--load-timeout', '1');
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(stderr).toContain(`kfp-ts compile: ${file}: loading and compiling it took longer than 1 s, so it was stopped`);
    expect(code).toBe(1);
  });

  it('Ctrl-C stops a load that loops forever: exit 130', async () => {
    const file = write('loops-until-ctrl-c.ts', 'for (;;) {}\nexport {};\n');
    const pending = cli('compile', file);
    // The handler runs on the main thread while the loop runs in the loading thread.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    process.emit('SIGINT', 'SIGINT');
    const { code, stderr } = await pending;
    expect(stderr).toContain(`kfp-ts compile: cancelled (SIGINT) while loading ${file}`);
    expect(code).toBe(130);
  });

  it('what the pipeline file prints goes to stderr, so the IR on stdout stays clean', async () => {
    const file = write(
      'chatty.ts',
      `console.log('hello from the pipeline file');\nexport { default } from '${path.join(root, hello).replace(/\.ts$/, '')}';\n`,
    );
    const { code, stdout, stderr } = await cli('compile', file);
    expect(code).toBe(0);
    expect(stdout.startsWith('# PIPELINE DEFINITION')).toBe(true);
    expect(stderr).toContain('hello from the pipeline file');
  });
});

describe('environment problems', () => {
  const command: Command = { name: 'run', usage: 'Usage: kfp-ts run …\n', run: async () => 0 };
  function report(error: unknown, debug = false) {
    let stderr = '';
    const code = reportCommandError(command, error, { stdout: () => undefined, stderr: (t) => void (stderr += t), cwd: root }, debug);
    return { code, stderr };
  }
  const errno = (code: string, extra: Record<string, unknown> = {}) =>
    Object.assign(new Error(`${code}: something, write`), { code, ...extra });

  it('a read-only metadata store (a real SQLITE_READONLY from SQLite) says what to do', () => {
    const file = path.join(tmp, 'ro.sqlite');
    new Database(file).exec('CREATE TABLE t (x)').close();
    const readonly = new Database(file, { readonly: true });
    let error: unknown;
    try {
      readonly.exec('INSERT INTO t VALUES (1)');
    } catch (caught) {
      error = caught;
    } finally {
      readonly.close();
    }
    expect((error as { code?: string }).code).toBe('SQLITE_READONLY');
    expect(report(error)).toEqual({
      code: 1,
      stderr: expect.stringMatching(
        /^kfp-ts run: the ML Metadata store .* cannot be written \(SQLITE_READONLY\): .*make both writable by this user, or pass --metadata FILE on a writable disk\n$/,
      ),
    });
  });

  it.each([
    ['ENOSPC', { path: '/data/out' }, 'no space left on the device at /data/out (ENOSPC): free disk space'],
    ['EROFS', { path: '/mnt/ro/store.sqlite' }, 'the file system at /mnt/ro/store.sqlite is read-only (EROFS)'],
    ['EACCES', { path: '/root/x' }, 'permission denied at /root/x (EACCES)'],
    ['EPERM', {}, 'permission denied (EPERM)'],
    ['EMFILE', {}, 'too many open files (EMFILE): raise the limit (ulimit -n 4096) or run fewer tasks at once (--parallelism)'],
    ['EADDRINUSE', { address: '127.0.0.1', port: 8080 }, 'the address 127.0.0.1:8080 is already in use (EADDRINUSE)'],
    ['SQLITE_FULL', {}, 'cannot grow: the disk is full (SQLITE_FULL)'],
    ['SQLITE_BUSY', {}, 'is locked by another process (SQLITE_BUSY)'],
  ])('%s is one line saying what to do', (code, extra, text) => {
    const result = report(errno(code, extra));
    expect(result.stderr).toMatch(/^kfp-ts run: .*\n$/);
    expect(result.stderr).toContain(text);
    expect(result.stderr).not.toContain('internal error');
    expect(result.code).toBe(1);
  });

  it('"database is locked" without a code, and an errno wrapped as a cause, are recognised', () => {
    expect(report(new Error('database is locked')).stderr).toContain('is locked by another process');
    expect(report(new Error('write failed', { cause: errno('ENOSPC') })).stderr).toContain('no space left on the device (ENOSPC)');
  });

  it('a full disk met by a real command is reported, not a stack trace', async () => {
    const ir = path.join(tmp, 'hello.yaml');
    expect((await cli('compile', hello, '-o', ir)).code).toBe(0);
    // Injected at the file-system boundary: running as root, permissions and quotas are not enforced.
    // The module object itself: the compiled `import * as fs` namespace delegates to it.
    const full = jest.spyOn(require('node:fs') as typeof fs, 'mkdirSync').mockImplementation((target) => {
      throw Object.assign(new Error(`ENOSPC: no space left on device, mkdir '${String(target)}'`), {
        code: 'ENOSPC',
        path: String(target),
        syscall: 'mkdir',
      });
    });
    try {
      const { code, stderr } = await cli(
        'run',
        ir,
        '--metadata',
        path.join(tmp, 'full', 'metadata.sqlite'),
        '--pipeline-root',
        path.join(tmp, 'full', 'out'),
      );
      expect(stderr).toContain('(ENOSPC): free disk space');
      expect(stderr).not.toContain('internal error');
      expect(code).toBe(1);
    } finally {
      full.mockRestore();
    }
  });

  it('anything else is an internal error with its stack (exit 70)', () => {
    const { code, stderr } = report(new TypeError('x is undefined'));
    expect(stderr).toMatch(
      /^kfp-ts run: internal error \(a bug in kfp-ts; please report it with this output\):\nTypeError: x is undefined\n\s+at /,
    );
    expect(code).toBe(70);
  });

  it('KFP_TS_DEBUG=1 adds the stack to an expected error; without it there is none', () => {
    const error = new KfpTsError('the manifest has no rows');
    expect(report(error).stderr).toBe('kfp-ts run: the manifest has no rows\n');
    expect(report(error, true).stderr).toMatch(/^kfp-ts run: the manifest has no rows\nKfpTsError: the manifest has no rows\n\s+at /);
  });

  it('reads KFP_TS_DEBUG when it handles the error, not when the CLI loads', async () => {
    process.env['KFP_TS_DEBUG'] = '1';
    try {
      const { stderr } = await cli('compile', 'nope.ts');
      expect(stderr).toMatch(/nope\.ts: no such file\n.*PipelineModuleError/s);
    } finally {
      delete process.env['KFP_TS_DEBUG'];
    }
  });
});
