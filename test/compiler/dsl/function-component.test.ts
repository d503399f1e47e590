/**
 * Defining function components: misuse that cannot wait for compilation is reported where the
 * component is defined, with the user's file:line; packaging problems are pipeline problems at the
 * task that uses the step.
 */
import * as fs from 'node:fs';
import { DslUsageError, PipelineValidationError, compilePipeline, functionComponent, pipeline, projectImage, t } from '../../../compiler';

const thisFile = __filename;

// biome-ignore lint/suspicious/noExportsInTest: exported, as a step's container finds its component among its module's exports.
export const needsImage = functionComponent({
  name: 'needs-image',
  targetImage: projectImage('steps'),
  outputs: { n: t.int() },
  implementation: () => ({ n: 1 }),
});

describe('functionComponent', () => {
  it('refuses a definition inside a pipeline function, at the line that defines it', () => {
    let error: unknown;
    try {
      pipeline({ name: 'defines-inside' }, () => {
        functionComponent({ name: 'inner', implementation: () => undefined })();
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DslUsageError);
    const line = Number(/function-component\.test\.ts:(\d+)/.exec((error as Error).message)?.[1]);
    const definingLine =
      fs
        .readFileSync(thisFile, 'utf8')
        .split('\n')
        .findIndex((text) => text.includes("name: 'inner'")) + 1;
    expect(line).toBe(definingLine);
    expect((error as Error).message).toMatch(
      /functionComponent 'inner' is defined inside a pipeline function — define it at the top level of a module/,
    );
  });

  it('refuses both a base image and a target image', () => {
    expect(() =>
      functionComponent({ name: 'both', baseImage: 'node:22-slim', targetImage: projectImage('steps'), implementation: () => undefined }),
    ).toThrow(/sets both baseImage and targetImage/);
  });

  it('reports a containerized step whose image is not configured as a problem of the task using it', () => {
    const uses = pipeline({ name: 'uses-step' }, () => {
      needsImage();
    });
    let error: unknown;
    try {
      compilePipeline(uses);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PipelineValidationError);
    const [problem] = (error as PipelineValidationError).problems;
    expect(problem!.path).toBe('uses-step/needs-image');
    expect(problem!.location?.file).toBe(thisFile);
    expect(problem!.message).toBe(
      "function component 'needs-image': projectImage('steps') is not one of the project's images (none are configured)",
    );
  });
});
