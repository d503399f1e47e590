import type { EmulatedJob } from './emulated-job';

/**
 * The part of ListPipelineJobs' AIP-160 filter the emulator understands: `field = "value"` terms
 * joined by AND, over `state`, `display_name`, `pipeline_name` and `labels.KEY`. Anything else is
 * an error, so a test never passes on a filter that was silently ignored.
 */
export function listFilter(filter: string): (job: EmulatedJob) => boolean {
  if (filter.trim() === '') return () => true;
  const tests = filter.split(/\s+AND\s+/).map((term) => {
    const match = /^\s*([a-z_]+(?:\.[-\w]+)?)\s*=\s*"?([^"]*)"?\s*$/.exec(term);
    if (!match) throw new Error(`the emulator understands only field="value" terms joined by AND, not '${term.trim()}'`);
    const [, field, value] = match as unknown as [string, string, string];
    const read = fieldReader(field);
    return (job: EmulatedJob) => read(job.resource) === value;
  });
  return (job) => tests.every((test) => test(job));
}

function fieldReader(field: string): (job: Record<string, unknown>) => unknown {
  if (field === 'state') return (job) => job['state'];
  if (field === 'display_name') return (job) => job['displayName'];
  if (field === 'pipeline_name') {
    return (job) => {
      const spec = job['pipelineSpec'] as {
        fields?: Record<string, { structValue?: { fields?: Record<string, { stringValue?: string }> } }>;
      };
      return spec?.fields?.['pipelineInfo']?.structValue?.fields?.['name']?.stringValue;
    };
  }
  if (field.startsWith('labels.')) return (job) => (job['labels'] as Record<string, string> | undefined)?.[field.slice('labels.'.length)];
  throw new Error(`the emulator cannot filter on '${field}' (it knows state, display_name, pipeline_name and labels.KEY)`);
}
