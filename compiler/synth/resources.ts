/**
 * Kubernetes quantities for CPU and memory, checked and converted as the reference compiler does:
 * `cpuLimit` in cores and `memoryLimit` in GB (10^9 bytes) beside the original strings.
 */

const cpuPattern = /^(\d+(\.\d+)?|\d+m)$/;
const memoryPattern = /^(\d+(\.\d+)?)(E|Ei|P|Pi|T|Ti|G|Gi|M|Mi|K|Ki)?$/;

const memoryUnits: Record<string, number> = {
  '': 1,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** Cores, or undefined when the text is not a CPU quantity such as `2`, `0.5` or `500m`. */
export function parseCpu(text: string): number | undefined {
  if (!cpuPattern.test(text)) return undefined;
  return text.endsWith('m') ? Number(text.slice(0, -1)) / 1000 : Number(text);
}

/** Gigabytes, or undefined when the text is not a memory quantity such as `16G` or `512Mi`. */
export function parseMemoryGb(text: string): number | undefined {
  const match = memoryPattern.exec(text);
  if (!match) return undefined;
  return (Number(match[1]) * memoryUnits[match[3] ?? '']!) / 1e9;
}

export const cpuFormatHelp = "use a CPU quantity such as '2', '0.5' or '500m'";
export const memoryFormatHelp = "use a memory quantity such as '16G', '512Mi' or '1.5Gi'";
