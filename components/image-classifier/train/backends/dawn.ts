/**
 * dawn.node, the WebGPU implementation of the `webgpu` npm package, loaded from CommonJS. The
 * package itself is ESM-only, so its prebuilt `.node` file for this platform is required directly.
 * Nothing here touches tfjs: it answers "is there a real GPU adapter, and which?".
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nvidiaGpuModels } from './nvidia-gpus';

/** The subset of the WebGPU API that the probe uses (dawn.node implements the full one). */
export interface GpuAdapterInfoLike {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly description?: string;
}
export interface GpuAdapterLike {
  readonly info?: GpuAdapterInfoLike;
}
export interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<GpuAdapterLike | null>;
}
export interface DawnModule {
  create(flags: string[]): GpuLike;
  readonly globals: Record<string, unknown>;
}

const VULKAN_HINT =
  'on Linux Dawn needs the Vulkan loader (Debian/Ubuntu: libvulkan1 with libglvnd0/libglx0/libegl1) and a driver with a Vulkan ICD ' +
  '(NVIDIA: set VK_DRIVER_FILES to its nvidia_icd.json; in containers NVIDIA_DRIVER_CAPABILITIES must include graphics)';

/** Dawn's adapter name for its no-op device: it computes nothing, so it never counts as a GPU. */
export const NULL_ADAPTER_DEVICE = 'null-backend';

/**
 * Dawn flags from `KFP_TS_DAWN_FLAGS` (comma separated, e.g. `backend=vulkan` or `backend=null`
 * for a device that computes nothing, used by tests to exercise the code path without a GPU).
 */
export function dawnFlags(env: NodeJS.ProcessEnv = process.env): string[] {
  const raw = env['KFP_TS_DAWN_FLAGS'];
  if (raw === undefined || raw.trim() === '') return [];
  return raw
    .split(',')
    .map((flag) => flag.trim())
    .filter((flag) => flag !== '');
}

const PLATFORM_FOLDERS: Readonly<Record<string, string>> = {
  'linux-x64': 'linux-x64',
  'linux-arm64': 'linux-arm64',
  'darwin-x64': 'darwin-universal',
  'darwin-arm64': 'darwin-universal',
  'win32-x64': 'win32-x64',
  'win32-arm64': 'win32-arm64',
};

/** Loads dawn.node for this platform, or explains why it cannot. */
export function loadDawn(): DawnModule {
  const key = `${process.platform}-${process.arch}`;
  const folder = PLATFORM_FOLDERS[key];
  if (folder === undefined)
    throw new Error(`the webgpu package ships no dawn.node for ${key}; use the wasm or cpu backend on this machine.`);
  let packageDir: string;
  try {
    // The package's entry point is ESM; resolving it only locates the folder.
    packageDir = path.dirname(require.resolve('webgpu'));
  } catch {
    throw new Error("the 'webgpu' package is not installed; run `npm install` (it ships dawn.node prebuilt, no download).");
  }
  const file = path.join(packageDir, 'dist', folder, 'dawn.node');
  try {
    return require(file) as DawnModule;
  } catch (error) {
    throw new Error(`could not load ${file}: ${(error as Error).message}`);
  }
}

/**
 * A readable name for an adapter. Dawn's Vulkan adapter on NVIDIA reports vendor "nvidia" and the
 * driver version as its description, not the GPU model, so for NVIDIA the model comes from the
 * driver (`gpuModels`): "NVIDIA H100 80GB HBM3 (Vulkan; NVIDIA: 580.159.04 …)".
 */
export function describeAdapter(info: GpuAdapterInfoLike | undefined, gpuModels: readonly string[] = []): string {
  const vendor = info?.vendor?.trim() ?? '';
  const details = [info?.architecture, info?.device, info?.description].map((part) => part?.trim() ?? '').filter((part) => part !== '');
  if (vendor.toLowerCase() === 'nvidia' && gpuModels.length > 0)
    return `${gpuModels[0]} (Vulkan${details.length > 0 ? `; ${details.join(', ')}` : ''})`;
  const name = [vendor, ...details].filter((part) => part !== '').join(' ');
  return name || 'unnamed WebGPU adapter';
}

/**
 * Whether the Vulkan loader, through which Dawn reaches the GPU on Linux, can be found: in the
 * dynamic linker's cache or on LD_LIBRARY_PATH. Without it Dawn finds nothing and prints a native
 * warning, so the probe does not load Dawn at all.
 */
export function hasVulkanLoader(env: NodeJS.ProcessEnv = process.env, cacheFile = '/etc/ld.so.cache'): boolean {
  const library = 'libvulkan.so.1';
  for (const dir of (env['LD_LIBRARY_PATH'] ?? '').split(':').filter((d) => d !== '')) {
    if (fs.existsSync(path.join(dir, library))) return true;
  }
  try {
    // The cache is binary, but library names are stored in it as plain strings.
    return fs.readFileSync(cacheFile).includes(library);
  } catch {
    return false;
  }
}

export type AdapterProbe =
  | { readonly found: true; readonly gpu: GpuLike; readonly device: string }
  | { readonly found: false; readonly reason: string };

/**
 * Asks Dawn for a high-performance adapter. The null device is reported as found only when the
 * caller allows it (tests); otherwise it is "no adapter", like having no GPU.
 */
export async function probeWebGpuAdapter(
  options: { flags?: string[]; allowNullDevice?: boolean; load?: () => DawnModule; vulkanLoaderPresent?: () => boolean } = {},
): Promise<AdapterProbe> {
  const flags = options.flags ?? dawnFlags();
  const usesVulkan = process.platform === 'linux' && !flags.includes('backend=null');
  if (usesVulkan && !(options.vulkanLoaderPresent ?? hasVulkanLoader)()) {
    return { found: false, reason: `no Vulkan loader (libvulkan.so.1) on this machine; ${VULKAN_HINT}` };
  }
  let dawn: DawnModule;
  try {
    dawn = (options.load ?? loadDawn)();
  } catch (error) {
    return { found: false, reason: (error as Error).message };
  }
  let gpu: GpuLike;
  let adapter: GpuAdapterLike | null;
  try {
    gpu = dawn.create(flags);
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (error) {
    return { found: false, reason: `Dawn failed to look for an adapter: ${(error as Error).message}` };
  }
  if (adapter === null) {
    return {
      found: false,
      reason: `Dawn found no WebGPU adapter; ${VULKAN_HINT}`,
    };
  }
  const isNull = adapter.info?.device === NULL_ADAPTER_DEVICE;
  if (isNull && options.allowNullDevice !== true) {
    return { found: false, reason: 'Dawn offered only its null device (backend=null), which computes nothing' };
  }
  return { found: true, gpu, device: isNull ? 'Dawn null device (computes nothing)' : describeAdapter(adapter.info, nvidiaGpuModels()) };
}
