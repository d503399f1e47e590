import { pipeline, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const componentABool = pythonFunctionComponent({
  name: 'component_a_bool',
  inputs: { componentInputBool: t.bool({ optional: true }) },
  functionName: 'component_a_bool',
  source:
    '\ndef component_a_bool(componentInputBool: bool = None):\n    if componentInputBool != True:\n        raise ValueError(f"componentInputBool should be True but is {componentInputBool}")\n\n',
});

const componentAInt = pythonFunctionComponent({
  name: 'component_a_int',
  inputs: { componentInputInt: t.int({ optional: true }) },
  functionName: 'component_a_int',
  source:
    '\ndef component_a_int(componentInputInt: int = None):\n    if componentInputInt != 1:\n        raise ValueError(f"componentInputInt should be 1 but is {componentInputInt}")\n\n',
});

const componentAStr = pythonFunctionComponent({
  name: 'component_a_str',
  inputs: { componentInputStr: t.string({ optional: true }) },
  functionName: 'component_a_str',
  source:
    "\ndef component_a_str(componentInputStr: str = None):\n    if componentInputStr != 'Input - pipeline':\n        raise ValueError(f\"componentInputStr should be 'Input - pipeline' but is {componentInputStr}\")\n\n",
});

const componentBBool = pythonFunctionComponent({
  name: 'component_b_bool',
  inputs: { componentInputBool: t.bool({ optional: true }) },
  functionName: 'component_b_bool',
  source:
    '\ndef component_b_bool(componentInputBool: bool = None):\n    if componentInputBool != False:\n        raise ValueError(f"componentInputBool should be False but is {componentInputBool}")\n\n',
});

const componentBInt = pythonFunctionComponent({
  name: 'component_b_int',
  inputs: { componentInputInt: t.int({ optional: true }) },
  functionName: 'component_b_int',
  source:
    '\ndef component_b_int(componentInputInt: int = None):\n    if componentInputInt != 0:\n        raise ValueError(f"componentInputInt should be 0 but is {componentInputInt}")\n\n',
});

const componentBStr = pythonFunctionComponent({
  name: 'component_b_str',
  inputs: { componentInputStr: t.string({ optional: true }) },
  functionName: 'component_b_str',
  source:
    "\ndef component_b_str(componentInputStr: str = None):\n    if componentInputStr != 'Input 2 - nested pipeline':\n        raise ValueError(f\"componentInputStr should be 'Input 2 - nested pipeline' but is {componentInputStr}\")\n\n",
});

const nestedPipeline = pipeline(
  {
    name: 'nested_pipeline',
    params: {
      nestedInputStr1: t.string({ default: 'Input 1 - nested pipeline' }),
      nestedInputStr2: t.string({ default: 'Input 2 - nested pipeline' }),
      nestedInputInt1: t.int({ default: 0 }),
      nestedInputInt2: t.int({ default: 0 }),
      nestedInputBool1: t.bool({ default: false }),
      nestedInputBool2: t.bool({ default: false }),
    },
  },
  (p) => {
    componentAStr({ componentInputStr: p.nestedInputStr1 }).setCaching(false);
    componentBStr({ componentInputStr: p.nestedInputStr2 }).setCaching(false);
    componentAInt({ componentInputInt: p.nestedInputInt1 }).setCaching(false);
    componentBInt({ componentInputInt: p.nestedInputInt2 }).setCaching(false);
    componentABool({ componentInputBool: p.nestedInputBool1 }).setCaching(false);
    componentBBool({ componentInputBool: p.nestedInputBool2 }).setCaching(false);
  },
);

export default pipeline({ name: 'nested-pipeline-opt-input-child-level' }, () => {
  nestedPipeline({ nestedInputStr1: 'Input - pipeline', nestedInputInt1: 1, nestedInputBool1: true }).setCaching(false);
});
