import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DockerCli } from '../../project/docker-cli';

/** A DockerCli whose `docker` is the given shell script (or none at all). */
function dockerWith(script: string | undefined, probeTimeoutMs = 5_000): DockerCli {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-docker-cli-'));
  if (script !== undefined) fs.writeFileSync(path.join(folder, 'docker'), `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  return new DockerCli(folder, { PATH: `${folder}:/usr/bin:/bin` }, probeTimeoutMs);
}

describe('DockerCli', () => {
  it('probe: an engine that answers docker info', async () => {
    expect(await dockerWith('exit 0').probe()).toEqual({ ok: true });
  });

  it("probe: docker info's failure, with the first line it printed", async () => {
    expect(await dockerWith('echo "" >&2; echo "permission denied while trying to connect" >&2; echo more >&2; exit 1').probe()).toEqual({
      ok: false,
      reason: 'docker info exited with 1: permission denied while trying to connect',
    });
  });

  it('probe: no docker command', async () => {
    expect(await dockerWith(undefined).probe()).toEqual({ ok: false, reason: 'docker is not installed (no docker command on PATH)' });
  });

  it('probe: a docker that hangs is given up on', async () => {
    const started = Date.now();
    expect(await dockerWith('sleep 30', 300).probe()).toEqual({ ok: false, reason: 'docker info did not answer within 0.3 s' });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('imageExists: the exit code of docker image inspect', async () => {
    const docker = dockerWith('[ "$1 $2 $3" = "image inspect here:1" ]');
    expect(await docker.imageExists('here:1')).toBe(true);
    expect(await docker.imageExists('absent:1')).toBe(false);
  });

  it('run: passes output on as it comes and resolves with the exit code', async () => {
    const out: string[] = [];
    const code = await dockerWith('echo "building $*"; echo warning >&2; exit 4').run(['build', '.'], {
      stdout: (text) => out.push(`out:${text}`),
      stderr: (text) => out.push(`err:${text}`),
    });
    expect(code).toBe(4);
    expect(out.sort()).toEqual(['err:warning\n', 'out:building build .\n']);
  });
});
