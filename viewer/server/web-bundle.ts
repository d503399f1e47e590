/**
 * The page's JavaScript and CSS. The npm package ships them prebuilt (packaging/build.js writes
 * dist/viewer/web-bundle/); a checkout bundles viewer/web with esbuild on first start and keeps the
 * result in the package cache folder, keyed by a hash of the sources, so later starts reuse it.
 * Nothing is fetched: the page loads only what this server sends.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheFolder } from '../../compiler/util/package-paths';

export interface WebBundle {
  readonly js: string;
  readonly css: string;
}

export const BUNDLE_FOLDER = 'web-bundle';
const webSources = path.join(__dirname, '..', 'web');

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(ts|css)$/.test(file))
    .sort()
    .map((file) => path.join(dir, file));
}

/** esbuild's build of viewer/web/main.ts (and the CSS it imports), minified for the browser. */
export async function buildWebBundle(): Promise<WebBundle> {
  // Loaded on use: only a checkout's first start (or packaging) builds the bundle.
  const esbuild = require('esbuild') as typeof import('esbuild');
  const result = await esbuild.build({
    entryPoints: [path.join(webSources, 'main.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['chrome110', 'firefox110', 'safari16'],
    outdir: 'out',
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  const text = (ext: string) => result.outputFiles.find((f) => f.path.endsWith(ext))?.text ?? '';
  return { js: text('.js'), css: text('.css') };
}

let loaded: Promise<WebBundle> | undefined;

export function webBundle(): Promise<WebBundle> {
  return (loaded ??= loadWebBundle());
}

async function loadWebBundle(): Promise<WebBundle> {
  const prebuilt = path.join(__dirname, '..', BUNDLE_FOLDER);
  if (fs.existsSync(path.join(prebuilt, 'app.js'))) {
    return { js: fs.readFileSync(path.join(prebuilt, 'app.js'), 'utf8'), css: fs.readFileSync(path.join(prebuilt, 'app.css'), 'utf8') };
  }
  const hash = crypto.createHash('sha256');
  for (const file of [...sourceFiles(webSources), path.join(__dirname, 'api-types.ts')]) hash.update(file).update(fs.readFileSync(file));
  const cached = path.join(cacheFolder('kfp-ts-viewer'), hash.digest('hex').slice(0, 16));
  try {
    return { js: fs.readFileSync(path.join(cached, 'app.js'), 'utf8'), css: fs.readFileSync(path.join(cached, 'app.css'), 'utf8') };
  } catch {
    // not built yet
  }
  const bundle = await buildWebBundle();
  try {
    fs.mkdirSync(cached, { recursive: true });
    fs.writeFileSync(path.join(cached, 'app.js'), bundle.js);
    fs.writeFileSync(path.join(cached, 'app.css'), bundle.css);
  } catch {
    // A cache that cannot be written only costs the next start a rebuild.
  }
  return bundle;
}

/** packaging/build.js: writes the bundle into `<viewerDist>/web-bundle/`, beside the compiled server. */
export async function writePrebuiltBundle(viewerDist: string): Promise<void> {
  const bundle = await buildWebBundle();
  const folder = path.join(viewerDist, BUNDLE_FOLDER);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'app.js'), bundle.js);
  fs.writeFileSync(path.join(folder, 'app.css'), bundle.css);
}
