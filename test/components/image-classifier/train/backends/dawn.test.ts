import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  dawnFlags,
  describeAdapter,
  hasVulkanLoader,
  probeWebGpuAdapter,
  type DawnModule,
} from '../../../../../components/image-classifier/train/backends/dawn';
import { nvidiaGpuModels } from '../../../../../components/image-classifier/train/backends/nvidia-gpus';
import { findTensorflowPackage } from '../../../../../components/image-classifier/train/backends/tensorflow-backend';

function fakeDawn(info: Record<string, string> | null, seen: string[][] = []): () => DawnModule {
  return () => ({
    globals: {},
    create: (flags) => {
      seen.push(flags);
      return { requestAdapter: async () => (info === null ? null : { info }) };
    },
  });
}

let scratch: string;
beforeEach(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-dawn-'));
});
afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

it('reads Dawn flags from KFP_TS_DAWN_FLAGS', () => {
  expect(dawnFlags({})).toEqual([]);
  expect(dawnFlags({ KFP_TS_DAWN_FLAGS: ' backend=vulkan , enable-dawn-features=allow_unsafe_apis,' })).toEqual([
    'backend=vulkan',
    'enable-dawn-features=allow_unsafe_apis',
  ]);
});

it('names an NVIDIA adapter by the driver-reported GPU model, others by what Dawn reports', () => {
  // What Dawn 0.6.2 reported on the lent H100.
  const h100 = { vendor: 'nvidia', architecture: '', device: 'nvidia-h100-80gb-hbm3', description: 'NVIDIA: 580.159.04 580.159.4.0' };
  expect(describeAdapter(h100, ['NVIDIA H100 80GB HBM3'])).toBe(
    'NVIDIA H100 80GB HBM3 (Vulkan; nvidia-h100-80gb-hbm3, NVIDIA: 580.159.04 580.159.4.0)',
  );
  expect(describeAdapter(h100, [])).toBe('nvidia nvidia-h100-80gb-hbm3 NVIDIA: 580.159.04 580.159.4.0');
  expect(describeAdapter({ vendor: 'amd', architecture: 'rdna-3', device: '', description: '' })).toBe('amd rdna-3');
  expect(describeAdapter(undefined)).toBe('unnamed WebGPU adapter');
});

it('lists NVIDIA GPU models from the driver folder, in bus order', () => {
  for (const [bus, model] of [
    ['0000:02:00.0', 'NVIDIA L4'],
    ['0000:01:00.0', 'NVIDIA H100 80GB HBM3'],
  ]) {
    fs.mkdirSync(path.join(scratch, bus!));
    fs.writeFileSync(path.join(scratch, bus!, 'information'), `Model: \t ${model}\nIRQ:   55\nGPU UUID: GPU-1\n`);
  }
  fs.mkdirSync(path.join(scratch, '0000:03:00.0'));
  expect(nvidiaGpuModels(scratch)).toEqual(['NVIDIA H100 80GB HBM3', 'NVIDIA L4']);
  expect(nvidiaGpuModels(path.join(scratch, 'absent'))).toEqual([]);
});

it('finds the Vulkan loader on LD_LIBRARY_PATH or in the linker cache', () => {
  const cache = path.join(scratch, 'ld.so.cache');
  fs.writeFileSync(cache, Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from('libz.so.1\0/usr/lib/libz.so.1\0')]));
  expect(hasVulkanLoader({}, cache)).toBe(false);
  fs.appendFileSync(cache, 'libvulkan.so.1\0/usr/lib/x86_64-linux-gnu/libvulkan.so.1\0');
  expect(hasVulkanLoader({}, cache)).toBe(true);
  const lib = path.join(scratch, 'lib');
  fs.mkdirSync(lib);
  fs.writeFileSync(path.join(lib, 'libvulkan.so.1'), '');
  expect(hasVulkanLoader({ LD_LIBRARY_PATH: `/nowhere:${lib}` }, path.join(scratch, 'absent'))).toBe(true);
});

describe('probeWebGpuAdapter', () => {
  const linuxOnly = process.platform === 'linux' ? it : it.skip;
  linuxOnly('does not load Dawn when there is no Vulkan loader', async () => {
    const load = jest.fn(fakeDawn({ vendor: 'nvidia' }));
    const probe = await probeWebGpuAdapter({ flags: [], load, vulkanLoaderPresent: () => false });
    expect(probe).toEqual({
      found: false,
      reason: expect.stringMatching(/^no Vulkan loader \(libvulkan\.so\.1\) on this machine; .*VK_DRIVER_FILES/),
    });
    expect(load).not.toHaveBeenCalled();
  });
  it('reports a found adapter with its name and passes the flags to Dawn', async () => {
    const seen: string[][] = [];
    const probe = await probeWebGpuAdapter({
      flags: ['backend=vulkan'],
      load: fakeDawn({ vendor: 'intel', architecture: 'gen-12lp' }, seen),
      vulkanLoaderPresent: () => true,
    });
    expect(probe).toMatchObject({ found: true, device: 'intel gen-12lp' });
    expect(seen).toEqual([['backend=vulkan']]);
  });
  it('reports no adapter, and a Dawn that cannot load, as reasons rather than errors', async () => {
    expect(await probeWebGpuAdapter({ flags: [], load: fakeDawn(null), vulkanLoaderPresent: () => true })).toEqual({
      found: false,
      reason: expect.stringMatching(/^Dawn found no WebGPU adapter; /),
    });
    const broken = () => {
      throw new Error("the 'webgpu' package is not installed");
    };
    expect(await probeWebGpuAdapter({ flags: [], load: broken, vulkanLoaderPresent: () => true })).toEqual({
      found: false,
      reason: "the 'webgpu' package is not installed",
    });
  });
  it("never counts Dawn's null device as a GPU unless allowed", async () => {
    const nullDevice = fakeDawn({ vendor: '', device: 'null-backend' });
    expect(await probeWebGpuAdapter({ flags: ['backend=null'], load: nullDevice })).toMatchObject({
      found: false,
      reason: expect.stringContaining('null device'),
    });
    expect(await probeWebGpuAdapter({ flags: ['backend=null'], load: nullDevice, allowNullDevice: true })).toMatchObject({
      found: true,
      device: 'Dawn null device (computes nothing)',
    });
  });
  it('loads the real dawn.node shipped by the webgpu package', async () => {
    // backend=null needs no GPU and no Vulkan: this checks the package, its platform folder and the binding.
    expect(await probeWebGpuAdapter({ flags: ['backend=null'], allowNullDevice: true })).toMatchObject({ found: true });
  });
});

it('finds tfjs-node-gpu before tfjs-node, and neither here', () => {
  const installed = (names: string[]) => (request: string) => {
    if (!names.includes(request)) throw new Error(`Cannot find module '${request}'`);
    return `/x/${request}`;
  };
  expect(findTensorflowPackage(installed(['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu']))).toBe('@tensorflow/tfjs-node-gpu');
  expect(findTensorflowPackage(installed(['@tensorflow/tfjs-node']))).toBe('@tensorflow/tfjs-node');
  expect(findTensorflowPackage(installed([]))).toBeUndefined();
  expect(findTensorflowPackage()).toBeUndefined();
});
