import { pipeline, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const componentBoolDefault = pythonFunctionComponent({
  name: 'component_bool_default',
  inputs: { componentInput: t.bool({ default: false }) },
  functionName: 'component_bool_default',
  source:
    '\ndef component_bool_default(componentInput: bool = False):\n    if componentInput != True:\n        raise ValueError(f"componentInput should be True but is {componentInput}")\n\n',
});

const componentIntDefault = pythonFunctionComponent({
  name: 'component_int_default',
  inputs: { componentInput: t.int({ default: 0 }) },
  functionName: 'component_int_default',
  source:
    '\ndef component_int_default(componentInput: int = 0):\n    if componentInput != 1:\n        raise ValueError(f"componentInput should be 1 but is {componentInput}")\n\n',
});

const componentNilBoolDefault = pythonFunctionComponent({
  name: 'component_nil_bool_default',
  inputs: { componentInput: t.bool({ optional: true }) },
  functionName: 'component_nil_bool_default',
  source:
    '\ndef component_nil_bool_default(componentInput: bool = None):\n    if componentInput != True:\n        raise ValueError(f"componentInput should be True but is {componentInput}")\n\n',
});

const componentNilIntDefault = pythonFunctionComponent({
  name: 'component_nil_int_default',
  inputs: { componentInput: t.int({ optional: true }) },
  functionName: 'component_nil_int_default',
  source:
    '\ndef component_nil_int_default(componentInput: int = None):\n    if componentInput != 1:\n        raise ValueError(f"componentInput should be 1 but is {componentInput}")\n\n',
});

const componentNilStrDefault = pythonFunctionComponent({
  name: 'component_nil_str_default',
  inputs: { componentInput: t.string({ optional: true }) },
  functionName: 'component_nil_str_default',
  source:
    "\ndef component_nil_str_default(componentInput: str = None):\n    if componentInput != 'Input - parent pipeline':\n        raise ValueError(f\"componentInput should be 'Input - parent pipeline' but is {componentInput}\")\n\n",
});

const componentStrDefault = pythonFunctionComponent({
  name: 'component_str_default',
  inputs: { componentInput: t.string({ default: 'Input - component' }) },
  functionName: 'component_str_default',
  source:
    "\ndef component_str_default(componentInput: str = 'Input - component'):\n    if componentInput != 'Input - parent pipeline':\n        raise ValueError(f\"componentInput should be 'Input - parent pipeline' but is {componentInput}\")\n\n",
});

const nestedPipelineNonNilDefaults = pipeline(
  {
    name: 'nested_pipeline_non_nil_defaults',
    params: {
      nestedInputStr: t.string({ default: 'Input - nested pipeline' }),
      nestedInputInt: t.int({ default: 0 }),
      nestedInputBool: t.bool({ default: false }),
    },
  },
  (p) => {
    componentStrDefault({ componentInput: p.nestedInputStr }).setCaching(false);
    componentIntDefault({ componentInput: p.nestedInputInt }).setCaching(false);
    componentBoolDefault({ componentInput: p.nestedInputBool }).setCaching(false);
  },
);

const nestedPipelineNilDefaults = pipeline(
  {
    name: 'nested_pipeline_nil_defaults',
    params: {
      nestedInputStr: t.string({ default: 'Input - nested pipeline' }),
      nestedInputInt: t.int({ optional: true }),
      nestedInputBool: t.bool({ optional: true }),
    },
  },
  (p) => {
    componentNilStrDefault({ componentInput: p.nestedInputStr }).setCaching(false);
    componentNilIntDefault({ componentInput: p.nestedInputInt }).setCaching(false);
    componentNilBoolDefault({ componentInput: p.nestedInputBool }).setCaching(false);
  },
);

export default pipeline(
  {
    name: 'nested-pipeline-opt-inputs-parent-level',
    params: {
      inputStr: t.string({ default: 'Input - parent pipeline' }),
      inputInt: t.int({ default: 1 }),
      inputBool: t.bool({ default: true }),
    },
  },
  ({ inputStr, inputInt, inputBool }) => {
    nestedPipelineNonNilDefaults({ nestedInputStr: inputStr, nestedInputInt: inputInt, nestedInputBool: inputBool }).setCaching(false);
    nestedPipelineNilDefaults({ nestedInputStr: inputStr, nestedInputInt: inputInt, nestedInputBool: inputBool }).setCaching(false);
  },
);
