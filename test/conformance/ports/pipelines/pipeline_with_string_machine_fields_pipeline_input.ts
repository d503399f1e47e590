import { pipeline, t } from '../../../../compiler';
import { pythonFunctionComponent } from '../../support/python-function';

const sumNumbers = pythonFunctionComponent({
  name: 'sum_numbers',
  inputs: { a: t.int(), b: t.int() },
  outputs: { Output: t.int() },
  functionName: 'sum_numbers',
  source: '\ndef sum_numbers(a: int, b: int) -> int:\n    return a + b\n\n',
});

export default pipeline(
  {
    name: 'pipeline',
    params: {
      cpu_limit: t.string({ default: '4000m' }),
      memory_limit: t.string({ default: '15G' }),
      accelerator_type: t.string({ default: 'NVIDIA_TESLA_P4' }),
      accelerator_limit: t.string({ default: '1' }),
    },
  },
  ({ cpu_limit, memory_limit, accelerator_type, accelerator_limit }) => {
    sumNumbers({ a: 1, b: 2 })
      .setCpuLimit(cpu_limit)
      .setMemoryLimit(memory_limit)
      .setAcceleratorType(accelerator_type)
      .setAcceleratorLimit(accelerator_limit);
  },
);
