import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Where the reference compiler's goldens are: beside the checkout (`../shared/kfp-goldens`, as
 * developers and CI have it) or inside it; KFP_GOLDENS_DIR overrides both.
 */
export function goldensDir(): string {
  const candidates = [
    process.env['KFP_GOLDENS_DIR'],
    path.resolve(__dirname, '../../shared/kfp-goldens'),
    path.resolve(__dirname, '../../../shared/kfp-goldens'),
  ];
  const found = candidates.find((dir) => dir !== undefined && fs.existsSync(path.join(dir, 'MANIFEST.tsv')));
  if (!found) throw new Error(`KFP goldens not found (looked in ${candidates.filter(Boolean).join(', ')}); set KFP_GOLDENS_DIR`);
  return found;
}

export interface GoldenEntry {
  /** Path relative to the goldens folder, e.g. `pipelines/two_step_pipeline.yaml`. */
  readonly file: string;
  readonly kind: 'component' | 'pipeline';
  readonly features: readonly string[];
}

/** Every golden, as MANIFEST.tsv lists them. */
export function listGoldenEntries(): GoldenEntry[] {
  const manifest = fs.readFileSync(path.join(goldensDir(), 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1);
  return manifest.map((line) => {
    const [file, kind, features] = line.split('\t');
    return { file: file!, kind: kind as GoldenEntry['kind'], features: (features ?? '').split(' ').filter(Boolean) };
  });
}
