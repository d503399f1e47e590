import * as fs from 'node:fs';

/**
 * The NVIDIA GPUs the driver exposes (/proc/driver/nvidia/gpus/<bus>/information), e.g.
 * "NVIDIA H100 80GB HBM3"; empty where there is no NVIDIA driver. Neither libtensorflow's tfjs
 * binding nor Dawn's Vulkan adapter info names the GPU model, so the device name comes from here.
 */
export function nvidiaGpuModels(root = '/proc/driver/nvidia/gpus'): string[] {
  let buses: string[];
  try {
    buses = fs.readdirSync(root).sort();
  } catch {
    return [];
  }
  const models: string[] = [];
  for (const bus of buses) {
    try {
      const match = /^Model:\s*(.+)$/m.exec(fs.readFileSync(`${root}/${bus}/information`, 'utf8'));
      if (match) models.push(match[1]!.trim());
    } catch {
      // A bus folder without an information file is skipped.
    }
  }
  return models;
}
