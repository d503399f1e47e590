import { Metrics, containerComponent } from '../../../../compiler';
import { pythonFunctionCommand } from '../../support/python-function';

export default containerComponent({
  name: 'output_metrics',
  description: 'Dummy component that outputs metrics with a random accuracy.',
  outputs: { metrics: Metrics },
  image: 'python:3.11',
  command: pythonFunctionCommand({
    functionName: 'output_metrics',
    source:
      '\ndef output_metrics(metrics: Output[Metrics]):\n    """Dummy component that outputs metrics with a random accuracy."""\n    import random\n    result = random.randint(0, 100)\n    metrics.log_metric(\'accuracy\', result)\n\n',
  }),
  args: ['--executor_input', '{{$}}', '--function_to_execute', 'output_metrics'],
});
