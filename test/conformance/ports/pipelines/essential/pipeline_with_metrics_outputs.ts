import { Metrics, ParallelFor, pipeline } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const outputMetrics = pythonFunctionComponent({
  name: 'output_metrics',
  outputs: { metrics: Metrics },
  functionName: 'output_metrics',
  source:
    '\ndef output_metrics(metrics: Output[Metrics]):\n    """Dummy component that outputs metrics with a random accuracy."""\n    import random\n    result = random.randint(0, 100)\n    metrics.log_metric(\'accuracy\', result)\n\n',
});

export default pipeline({ name: 'pipeline-with-metrics-outputs' }, () => {
  outputMetrics({});
  ParallelFor([1, 2], () => {
    outputMetrics({});
  });
});
