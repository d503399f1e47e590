/**
 * What every GCPC 2.22.0 launcher component shares: the pinned public image and the
 * `python3 -u -m google_cloud_pipeline_components.container.v1.<module>.launcher` command (GCPC's
 * `_image.py` names the image after the GCPC version). Pinned rather than `latest`, so the
 * IR says exactly which launcher code runs on Vertex.
 */
import type { CommandItem } from '../../compiler';

export const GCPC_VERSION = '2.22.0';
export const GCPC_IMAGE = `gcr.io/ml-pipeline/google-cloud-pipeline-components:${GCPC_VERSION}`;

/** The launcher modules kfp-ts emits, by the `--type` each one accepts. */
export const GCPC_LAUNCHER_MODULES = {
  UploadModel: 'model.upload_model',
  CreateEndpoint: 'endpoint.create_endpoint',
  DeployModel: 'endpoint.deploy_model',
} as const;

export type GcpcLauncherType = keyof typeof GCPC_LAUNCHER_MODULES;

/** `google_cloud_pipeline_components.container.v1.<module>.launcher` */
export function launcherModuleName(module: string): string {
  return `google_cloud_pipeline_components.container.v1.${module}.launcher`;
}

export function launcherCommand(type: GcpcLauncherType): string[] {
  return ['python3', '-u', '-m', launcherModuleName(GCPC_LAUNCHER_MODULES[type])];
}

/** The project default GCPC declares: Vertex substitutes the PipelineJob's project at run time. */
export const PIPELINE_PROJECT_ID = '{{$.pipeline_google_cloud_project_id}}';

/** The flags after the payload every launcher takes: `--project P --location L --gcp_resources FILE`. */
export function resourceFlags(project: CommandItem, location: CommandItem, gcpResources: CommandItem): CommandItem[] {
  return ['--project', project, '--location', location, '--gcp_resources', gcpResources];
}

/**
 * `{{$.inputs.artifacts['<name>'].metadata['<key>']}}`: one metadata value of an input artifact,
 * which the GCPC payloads use for `resourceName` (the DSL's placeholders stop at `.metadata`).
 */
export function inputArtifactMetadata(artifact: { readonly name: string }, key: string): string {
  return `{{$.inputs.artifacts['${artifact.name}'].metadata['${key}']}}`;
}

/** A payload's opening `{"display_name": "…", "description": "…"`, as GCPC's upload and endpoint components write it. */
export function payloadOpening(displayName: CommandItem, description: CommandItem): CommandItem[] {
  return ['{', '"display_name": "', displayName, '"', ', "description": "', description, '"'];
}

/** `, "explanation_spec": {"parameters": …, "metadata": …}`, as GCPC's upload and deploy components write it. */
export function explanationSpec(parameters: CommandItem, metadata: CommandItem): CommandItem[] {
  return [', "explanation_spec": {', '"parameters": ', parameters, ', "metadata": ', metadata, '}'];
}
