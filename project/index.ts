/** The project configuration file's types: `export default defineConfig({ … })` in kfp-ts.config.ts. */
export { defineConfig } from './config';
export type { KfpTsConfig, ProjectImageConfig, VertexDefaults } from './config';
