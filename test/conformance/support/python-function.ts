/**
 * Builds the container command the KFP Python SDK 2.15.2 writes for a `@dsl.component` Python
 * function, so that conformance ports of such components state only what differs (source, packages)
 * instead of repeating the launcher. kfp-ts itself never generates Python: this is test support.
 */
import { containerComponent, type Component, type IoSpecs } from '../../../compiler';

const ensurePip =
  '\nif ! [ -x "$(command -v pip)" ]; then\n    python3 -m ensurepip || python3 -m ensurepip --user || apt-get install python3-pip\nfi\n\n';
const pipInstall = 'python3 -m pip install --quiet --no-warn-script-location';
const kfpRequirements = `'--no-deps' 'typing-extensions>=3.7.4,<5; python_version<"3.9"' && "$0" "$@"\n`;
const venvActivation =
  '\nexport PIP_DISABLE_PIP_VERSION_CHECK=1\ntmp=$(mktemp -d)\npython3 -m venv "$tmp/venv" --system-site-packages\n. "$tmp/venv/bin/activate"\n';

export const pythonLauncher =
  'program_path=$(mktemp -d)\n\nprintf "%s" "$0" > "$program_path/ephemeral_component.py"\n_KFP_RUNTIME=true python3 -m kfp.dsl.executor_main                         --component_module_path                         "$program_path/ephemeral_component.py"                         "$@"\n';

export const pythonPreamble = '\nimport kfp\nfrom kfp import dsl\nfrom kfp.dsl import *\nfrom typing import *\n';

export interface PythonFunctionOptions<I extends IoSpecs, O extends IoSpecs> {
  readonly name: string;
  readonly inputs?: I;
  readonly outputs?: O;
  /** The Python function's name (`--function_to_execute`). */
  readonly functionName: string;
  /** Everything of the embedded program after the standard preamble. */
  readonly source: string;
  /** Extra import lines the SDK adds after the preamble (e.g. for custom artifact types). */
  readonly extraImports?: string;
  readonly image?: string;
  readonly packages?: readonly string[];
  readonly pipIndexUrls?: readonly string[];
  readonly useVenv?: boolean;
  readonly kfpPackage?: string;
}

export function pythonFunctionCommand(options: Omit<PythonFunctionOptions<IoSpecs, IoSpecs>, 'name' | 'inputs' | 'outputs'>): string[] {
  const index = options.pipIndexUrls?.length ? ` --index-url ${options.pipIndexUrls.join(' --extra-index-url ')}` : '';
  const userPackages = options.packages?.length
    ? `${pipInstall}${index} ${options.packages.map((p) => `'${p}'`).join(' ')}  &&  ${options.useVenv ? `${venvActivation} ` : ''}`
    : '';
  const kfpInstall = `${pipInstall}${index} '${options.kfpPackage ?? 'kfp==2.15.2'}' ${kfpRequirements}`;
  const bootstrap = `${ensurePip}PIP_DISABLE_PIP_VERSION_CHECK=1 ${userPackages}${kfpInstall}`;
  return ['sh', '-c', bootstrap, 'sh', '-ec', pythonLauncher, `${pythonPreamble}${options.extraImports ?? ''}${options.source}`];
}

/** A container component equal to what the KFP SDK compiles a Python function component to. */
export function pythonFunctionComponent<I extends IoSpecs = {}, O extends IoSpecs = {}>(
  options: PythonFunctionOptions<I, O>,
): Component<I, O> {
  return containerComponent<I, O>({
    name: options.name,
    ...(options.inputs ? { inputs: options.inputs } : {}),
    ...(options.outputs ? { outputs: options.outputs } : {}),
    image: options.image ?? 'python:3.11',
    command: pythonFunctionCommand(options),
    args: ['--executor_input', '{{$}}', '--function_to_execute', options.functionName],
  });
}
