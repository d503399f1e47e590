/** What `kfp-ts init` writes into the new project's package.json. */
export interface PackageJsonOptions {
  readonly name: string;
  /** The dependency specifier of kfp-ts: `^<version>`, or e.g. `file:/path/kfp-ts-0.1.0.tgz`. */
  readonly kfpTsSpec: string;
}

/**
 * An npm package name from a folder name: lowercase, only the characters npm allows, no leading
 * dot or underscore. `kfp-ts` itself is taken (npm refuses a package that depends on its own name).
 */
export function npmPackageName(folderName: string): string {
  const name = folderName
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[._~-]+|[-]+$/g, '')
    .slice(0, 214);
  if (name === '') return 'kfp-pipelines';
  return name === 'kfp-ts' ? 'kfp-ts-pipelines' : name;
}

/**
 * The project's scripts use only what it installs: `tsc` from typescript, and Node's own test
 * runner with kfp-ts's TypeScript hook (`--require` reaches the test files' processes too), so
 * tests need no test framework. The hook is named by its package entry, `kfp-ts/register`, not by
 * a path into node_modules: in a workspace kfp-ts may be installed in a parent folder.
 */
export function packageJsonText({ name, kfpTsSpec }: PackageJsonOptions): string {
  const manifest = {
    name,
    version: '0.1.0',
    private: true,
    description: 'Kubeflow / Vertex AI pipelines written in TypeScript with kfp-ts',
    engines: { node: '>=20' },
    scripts: {
      test: 'tsc --noEmit && node --test --require kfp-ts/register test/*.test.ts',
      compile: 'kfp-ts compile pipelines/pipeline.ts -o build/pipeline.yaml',
      run: 'kfp-ts run pipelines/pipeline.ts',
      'build-images': 'kfp-ts build',
    },
    dependencies: { 'kfp-ts': kfpTsSpec },
    devDependencies: { '@types/node': '^20.19.0', typescript: '~5.9.3' },
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
