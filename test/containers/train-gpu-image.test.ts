/**
 * The GPU training image provides what libtensorflow 2.9.1 needs (CUDA 11.2, cuDNN 8.1, the
 * tfjs-node-gpu that downloads it) and what the Dawn/Vulkan fallback needs (a glibc new enough
 * for dawn.node, the Vulkan and GL dispatch libraries, the 'graphics' driver capability).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { IMAGES } from '../../containers/images';
import {
  LIBTENSORFLOW_CUDA,
  LIBTENSORFLOW_CUDNN,
  TFJS_NODE_GPU_VERSION,
  compareVersions,
  formatVersion,
  type Version,
} from '../../containers/train-gpu/libtensorflow-gpu';
import { Dockerfile, envPairs } from './dockerfile';

const root = path.resolve(__dirname, '../..');
const dockerfile = new Dockerfile(path.join(root, IMAGES.trainGpu.dockerfile));
const runs = dockerfile.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.text);
const finalEnv = Object.assign({}, ...dockerfile.finalStage.instructions.filter((i) => i.keyword === 'ENV').map(envPairs)) as Record<
  string,
  string
>;

/** glibc of the distributions our base images are built on. */
const GLIBC_BY_DISTRIBUTION: Readonly<Record<string, Version>> = {
  'ubuntu20.04': { major: 2, minor: 31 },
  'ubuntu22.04': { major: 2, minor: 35 },
  'ubuntu24.04': { major: 2, minor: 39 },
  bullseye: { major: 2, minor: 31 },
  bookworm: { major: 2, minor: 36 },
  trixie: { major: 2, minor: 41 },
};

function distributionOf(image: string): string {
  const found = Object.keys(GLIBC_BY_DISTRIBUTION).find((name) => image.includes(`-${name}`));
  if (!found) throw new Error(`cannot tell the distribution of '${image}' from its tag; add it to GLIBC_BY_DISTRIBUTION`);
  return found;
}

/** The newest GLIBC_x.y symbol version a shared object needs. */
function glibcNeededBy(file: string): Version {
  const text = fs.readFileSync(file).toString('latin1');
  const versions = [...text.matchAll(/GLIBC_(\d+)\.(\d+)/g)].map((m) => ({ major: Number(m[1]), minor: Number(m[2]) }));
  return versions.sort(compareVersions)[versions.length - 1]!;
}

describe('the GPU training image', () => {
  test(`takes CUDA ${formatVersion(LIBTENSORFLOW_CUDA)} and cuDNN ${LIBTENSORFLOW_CUDNN.major} from an nvidia/cuda image, and checks the cuDNN minor at build time`, () => {
    const cuda = dockerfile.stages.find((stage) => stage.base.startsWith('nvidia/cuda:'));
    expect(cuda).toBeDefined();
    const tag = /^nvidia\/cuda:(\d+)\.(\d+)\.\d+-cudnn(\d+)-runtime-/.exec(cuda!.base);
    expect(tag).not.toBeNull();
    expect({ major: Number(tag![1]), minor: Number(tag![2]) }).toEqual(LIBTENSORFLOW_CUDA);
    expect(Number(tag![3])).toBe(LIBTENSORFLOW_CUDNN.major);
    const cudnnCheck = `libcudnn${LIBTENSORFLOW_CUDNN.major} | grep -q '^${LIBTENSORFLOW_CUDNN.major}\\.${LIBTENSORFLOW_CUDNN.minor}\\.'`;
    expect(cuda!.instructions.some((i) => i.keyword === 'RUN' && i.text.includes(cudnnCheck))).toBe(true);
  });

  test('puts the CUDA libraries of that version on the loader path of the final image', () => {
    const cudaFolder = `/usr/local/cuda-${formatVersion(LIBTENSORFLOW_CUDA)}/lib64`;
    const copies = dockerfile.finalStage.instructions.filter((i) => i.keyword === 'COPY' && i.text.startsWith('--from=cuda '));
    expect(copies.map((i) => i.text.split(/\s+/).pop())).toContain(`${cudaFolder}/`);
    expect(runs.some((run) => run.includes(cudaFolder) && run.includes('ldconfig'))).toBe(true);
  });

  test(`installs @tensorflow/tfjs-node-gpu@${TFJS_NODE_GPU_VERSION}, the version of the @tensorflow/tfjs the lockfile installs`, () => {
    expect(runs.some((run) => run.includes(`npm install`) && run.includes(`@tensorflow/tfjs-node-gpu@${TFJS_NODE_GPU_VERSION}`))).toBe(
      true,
    );
    const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version: string }>;
    };
    expect(lock.packages['node_modules/@tensorflow/tfjs']?.version).toBe(TFJS_NODE_GPU_VERSION);
  });

  test("runs on a distribution whose glibc loads dawn.node (the webgpu package's Dawn build)", () => {
    const dawn = path.join(root, 'node_modules/webgpu/dist/linux-x64/dawn.node');
    const needed = glibcNeededBy(dawn);
    const base = dockerfile.finalStage.base;
    const provided = GLIBC_BY_DISTRIBUTION[distributionOf(base)]!;
    if (compareVersions(provided, needed) < 0) {
      throw new Error(
        `${base} has glibc ${formatVersion(provided)}, but dawn.node needs ${formatVersion(needed)}: the webgpu fallback could not load`,
      );
    }
  });

  test('has the Vulkan loader and GL dispatch libraries, and asks the container runtime for the graphics capability', () => {
    const vulkanPackages = ['libvulkan1', 'libegl1', 'libglvnd0', 'libopengl0', 'libgl1', 'libglx0', 'libgles2'];
    const install = runs.find((run) => run.includes('apt-get install'));
    for (const name of vulkanPackages) expect(install?.split(/\s+/)).toContain(name);
    expect(finalEnv['NVIDIA_DRIVER_CAPABILITIES']?.split(',').sort()).toEqual(['compute', 'graphics', 'utility']);
    expect(finalEnv['VK_ICD_FILENAMES']?.split(':').every((file) => file.endsWith('/nvidia_icd.json'))).toBe(true);
  });
});
