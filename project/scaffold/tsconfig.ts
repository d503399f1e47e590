/**
 * The project's tsconfig.json. `node16` resolution reads kfp-ts's `exports` map, so only its public
 * entry points (kfp-ts, kfp-ts/config, kfp-ts/testing, …) type-check; `noEmit` because the kfp-ts
 * commands and the tests load the .ts files themselves. `skipLibCheck` stays off: kfp-ts's .d.ts
 * name no third-party types but those of packages that ship their own and type-check here
 * (test/package/installed-package.test.ts checks every entry point, under node16 and node10).
 */
export function tsconfigText(): string {
  const config = {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2022'],
      module: 'node16',
      moduleResolution: 'node16',
      strict: true,
      esModuleInterop: true,
      forceConsistentCasingInFileNames: true,
      isolatedModules: true,
      skipLibCheck: false,
      types: ['node'],
      noEmit: true,
    },
    include: ['pipelines', 'components', 'test', 'kfp-ts.config.ts'],
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
