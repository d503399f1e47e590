/**
 * Type-level tests for the GCPC components' inputs. Each `@ts-expect-error` line must fail to
 * compile (tsc fails on an unused directive).
 */
import { pipeline } from '../../compiler';
import { EndpointCreateOp, ModelDeployOp, ModelUploadOp } from '../../components/gcpc';

pipeline({ name: 'gcpc-types' }, () => {
  const model = ModelUploadOp({ display_name: 'm' }).outputs.model;
  const endpoint = EndpointCreateOp({ display_name: 'ep' }).outputs.endpoint;
  // traffic_split: GCPC's Dict[str, str], and the percents as numbers.
  const gcpcSplit: Record<string, string> = { '0': '100' };
  ModelDeployOp({ model, endpoint, traffic_split: gcpcSplit });
  ModelDeployOp({ model, endpoint, traffic_split: { '0': 100 } });
  ModelDeployOp({ model, endpoint, traffic_split: { '0': 80, '1': '20' } });
  // @ts-expect-error TS2322 Type 'boolean' is not assignable to type 'string | number' — a percent is a number or a numeric string, not a boolean
  ModelDeployOp({ model, endpoint, traffic_split: { '0': true } });
});
