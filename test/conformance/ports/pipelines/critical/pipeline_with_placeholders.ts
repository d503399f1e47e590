import { pipeline, pipelineJob, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const printAllPlaceholders = pythonFunctionComponent({
  name: 'print_all_placeholders',
  inputs: {
    job_name: t.string(),
    job_resource_name: t.string(),
    job_id: t.string(),
    task_name: t.string(),
    task_id: t.string(),
  },
  functionName: 'print_all_placeholders',
  source:
    '\ndef print_all_placeholders(\n        job_name: str,\n        job_resource_name: str,\n        job_id: str,\n        task_name: str,\n        task_id: str,\n):\n    allPlaceholders = [job_name, job_resource_name, job_id, task_name, task_id]\n\n    for placeholder in allPlaceholders:\n        if "\\{\\{" in placeholder or placeholder == "":\n            raise RuntimeError(\n                "Expected the placeholder to be replaced with a value: " + placeholder\n            )\n\n    assert task_name == "print-all-placeholders"\n    assert job_resource_name.startswith("pipeline-with-placeholders-")\n\n    output = ", ".join(allPlaceholders)\n    print(output)\n\n',
});

export default pipeline({ name: 'pipeline-with-placeholders' }, () => {
  printAllPlaceholders({
    job_name: pipelineJob.name,
    job_resource_name: pipelineJob.resourceName,
    job_id: pipelineJob.id,
    task_name: pipelineJob.taskName,
    task_id: pipelineJob.taskId,
  }).setCaching(false);
});
