import { pipeline, t } from '../../../../compiler';
import { pythonFunctionComponent } from '../../support/python-function';

const acceleratorLimit = pythonFunctionComponent({
  name: 'accelerator_limit',
  outputs: { Output: t.string() },
  functionName: 'accelerator_limit',
  source: "\ndef accelerator_limit() -> str:\n    return '1'\n\n",
});

const acceleratorType = pythonFunctionComponent({
  name: 'accelerator_type',
  outputs: { Output: t.string() },
  functionName: 'accelerator_type',
  source: "\ndef accelerator_type() -> str:\n    return 'NVIDIA_TESLA_P4'\n\n",
});

const cpuLimit = pythonFunctionComponent({
  name: 'cpu_limit',
  outputs: { Output: t.string() },
  functionName: 'cpu_limit',
  source: "\ndef cpu_limit() -> str:\n    return '4000m'\n\n",
});

const memoryLimit = pythonFunctionComponent({
  name: 'memory_limit',
  outputs: { Output: t.string() },
  functionName: 'memory_limit',
  source: "\ndef memory_limit() -> str:\n    return '15G'\n\n",
});

const sumNumbers = pythonFunctionComponent({
  name: 'sum_numbers',
  inputs: { a: t.int(), b: t.int() },
  outputs: { Output: t.int() },
  functionName: 'sum_numbers',
  source: '\ndef sum_numbers(a: int, b: int) -> int:\n    return a + b\n\n',
});

export default pipeline({ name: 'pipeline' }, () => {
  sumNumbers({ a: 1, b: 2 })
    .setCpuLimit(cpuLimit().outputs.Output)
    .setMemoryLimit(memoryLimit().outputs.Output)
    .setAcceleratorType(acceleratorType().outputs.Output)
    .setAcceleratorLimit(acceleratorLimit().outputs.Output);
});
