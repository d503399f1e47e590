/**
 * setAccelerator checks names against Vertex AI's AcceleratorType enum: in `tsc` (see
 * test/types/task-settings.typetest.ts) and, for JavaScript callers and untyped strings, when the
 * pipeline compiles. customAccelerator() is the escape for other names; a parameter is not checked.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DslUsageError,
  PipelineValidationError,
  compilePipeline,
  containerComponent,
  customAccelerator,
  pipeline,
  t,
  type AcceleratorType,
} from '../../../compiler';
import { vertexAcceleratorTypes } from '../../../compiler/dsl/accelerators';

const train = containerComponent({ name: 'train', image: 'trainer:1' });
const acceleratorOf = (spec: ReturnType<typeof compilePipeline>) =>
  spec.deploymentSpec!.executors['exec-train']!.container!.resources!.accelerator;

describe('accelerator names', () => {
  it("are exactly the values of @google-cloud/aiplatform's v1 AcceleratorType enum, but UNSPECIFIED", () => {
    const proto = path.join(
      path.dirname(require.resolve('@google-cloud/aiplatform/package.json')),
      'build/protos/google/cloud/aiplatform/v1/accelerator_type.proto',
    );
    const enumBody = /enum AcceleratorType \{([^}]*)\}/.exec(fs.readFileSync(proto, 'utf8'))![1]!;
    const names = [...enumBody.matchAll(/^\s*([A-Z0-9_]+)\s*=\s*\d+/gm)]
      .map((m) => m[1])
      .filter((n) => n !== 'ACCELERATOR_TYPE_UNSPECIFIED');
    expect([...vertexAcceleratorTypes].sort()).toEqual(names.sort());
  });

  it('compiles a Vertex AI name, a customAccelerator() name and a parameter', () => {
    expect(acceleratorOf(compilePipeline(pipeline({ name: 'vertex' }, () => void train().setAccelerator('NVIDIA_L4', 2))))).toEqual({
      count: '2',
      resourceCount: '2',
      resourceType: 'NVIDIA_L4',
      type: 'NVIDIA_L4',
    });
    expect(
      acceleratorOf(compilePipeline(pipeline({ name: 'k8s' }, () => void train().setAccelerator(customAccelerator('nvidia.com/gpu'), 1)))),
    ).toEqual({ count: '1', resourceCount: '1', resourceType: 'nvidia.com/gpu', type: 'nvidia.com/gpu' });
    const fromParameter = compilePipeline(
      pipeline({ name: 'param', params: { gpu: t.string() } }, ({ gpu }) => void train().setAccelerator(gpu)),
    );
    expect(acceleratorOf(fromParameter)).toEqual({ resourceCount: '1', resourceType: "{{$.inputs.parameters['pipelinechannel--gpu']}}" });
  });

  it('reports an unknown name from JavaScript or an untyped string at the setAccelerator line, listing the names and the escape', () => {
    let error: unknown;
    try {
      compilePipeline(
        pipeline({ name: 'typo' }, () => {
          const task = train();
          task.setAccelerator('NVIDIA_TESLA_T5' as AcceleratorType, 1); // the typo
        }),
      );
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PipelineValidationError);
    const [problem, ...others] = (error as PipelineValidationError).problems;
    expect(others).toEqual([]);
    const line =
      fs
        .readFileSync(__filename, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('// the typo')) + 1;
    expect(problem).toMatchObject({
      path: 'typo/train',
      location: { file: __filename, line },
      message: "accelerator type 'NVIDIA_TESLA_T5' is not a Vertex AI accelerator",
    });
    expect(problem!.fix).toContain('NVIDIA_TESLA_T4, NVIDIA_TESLA_A100');
    expect(problem!.fix).toContain("customAccelerator('NVIDIA_TESLA_T5')");
  });

  it('needs a name for customAccelerator()', () => {
    expect(() => customAccelerator('')).toThrow(DslUsageError);
    expect(() => customAccelerator('')).toThrow(/customAccelerator\(\) needs an accelerator name, got an empty string/);
  });
});
