import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError } from '../../project/config-error';
import { loadConfigFor, loadConfigOfFolder } from '../../project/load-config';

/** A project folder: package.json, a JSON configuration (no kfp-ts to resolve), a nested folder. */
function project(config?: object): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-load-config-'));
  fs.writeFileSync(path.join(folder, 'package.json'), '{"name":"p"}');
  if (config) fs.writeFileSync(path.join(folder, 'kfp-ts.config.json'), JSON.stringify(config));
  fs.mkdirSync(path.join(folder, 'pipelines', 'nested'), { recursive: true });
  return folder;
}

describe('loadConfigOfFolder', () => {
  it('finds the configuration going up from a folder inside the project', () => {
    const folder = project({ registry: 'europe-docker.pkg.dev/p/r' });
    const loaded = loadConfigOfFolder(path.join(folder, 'pipelines', 'nested'));
    expect(loaded).toEqual({ config: { registry: 'europe-docker.pkg.dev/p/r' }, file: path.join(folder, 'kfp-ts.config.json'), folder });
  });

  it('stops at the nearest package.json: a parent project configuration does not apply', () => {
    const outer = project({ registry: 'europe-docker.pkg.dev/p/r' });
    const inner = path.join(outer, 'packages', 'inner');
    fs.mkdirSync(inner, { recursive: true });
    fs.writeFileSync(path.join(inner, 'package.json'), '{"name":"inner"}');
    expect(loadConfigOfFolder(inner)).toEqual({ config: {}, folder: inner });
  });

  it('without a configuration, every setting is at its default and the folder is the project root', () => {
    const folder = project();
    expect(loadConfigOfFolder(path.join(folder, 'pipelines'))).toEqual({ config: {}, folder });
  });

  it('takes an explicit file, and names a missing one', () => {
    const folder = project();
    const explicit = path.join(folder, 'pipelines', 'other.json');
    fs.writeFileSync(explicit, '{"pipelineRoot":"gs://b/r"}');
    expect(loadConfigOfFolder(folder, explicit)).toEqual({
      config: { pipelineRoot: 'gs://b/r' },
      file: explicit,
      folder: path.dirname(explicit),
    });
    expect(() => loadConfigOfFolder(folder, path.join(folder, 'nope.json'))).toThrow(ConfigError);
  });

  it('agrees with loadConfigFor, which starts from a pipeline file', () => {
    const folder = project({ pipelineRoot: 'gs://b/r' });
    const pipelineFile = path.join(folder, 'pipelines', 'nested', 'p.ts');
    expect(loadConfigFor(pipelineFile)).toEqual(loadConfigOfFolder(path.dirname(pipelineFile)));
  });
});

describe('a kfp-ts.config.ts that exports the wrong thing', () => {
  const withTsConfig = (text: string) => {
    const folder = project();
    fs.writeFileSync(path.join(folder, 'kfp-ts.config.ts'), text);
    return folder;
  };

  it('names a missing default export', () => {
    const folder = withTsConfig("export const registry = 'europe-docker.pkg.dev/p/r';\n");
    expect(() => loadConfigOfFolder(folder)).toThrow(ConfigError);
    expect(() => loadConfigOfFolder(folder)).toThrow(
      `${path.join(folder, 'kfp-ts.config.ts')}: has no default export; write export default defineConfig({ … })`,
    );
  });

  it('refuses a Promise, which would otherwise read as an empty configuration', () => {
    const folder = withTsConfig("export default Promise.resolve({ registry: 'europe-docker.pkg.dev/p/r' });\n");
    expect(() => loadConfigOfFolder(folder)).toThrow(/: the default export is a Promise; export the configuration object itself/);
  });
});
