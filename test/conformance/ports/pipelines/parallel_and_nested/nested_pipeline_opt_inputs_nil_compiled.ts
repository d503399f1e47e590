import { pipeline, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const componentBool = pythonFunctionComponent({
  name: 'component_bool',
  inputs: { componentInput: t.bool({ optional: true }) },
  functionName: 'component_bool',
  source:
    '\ndef component_bool(componentInput: bool = None):\n    if componentInput is not None:\n        raise ValueError(f"componentInput should be None but is {componentInput}")\n\n',
});

const componentInt = pythonFunctionComponent({
  name: 'component_int',
  inputs: { componentInput: t.int({ optional: true }) },
  functionName: 'component_int',
  source:
    '\ndef component_int(componentInput: int = None):\n    if componentInput is not None:\n        raise ValueError(f"componentInput should be None but is {componentInput}")\n\n',
});

const componentStr = pythonFunctionComponent({
  name: 'component_str',
  inputs: { componentInput: t.string({ optional: true }) },
  functionName: 'component_str',
  source:
    '\ndef component_str(componentInput: str = None):\n    if componentInput is not None:\n        raise ValueError(f"componentInput should be None but is {componentInput}")\n\n',
});

const nestedPipeline = pipeline(
  {
    name: 'nested_pipeline',
    params: {
      nestedInputStr: t.string({ optional: true }),
      nestedInputInt: t.int({ optional: true }),
      nestedInputBool: t.bool({ optional: true }),
    },
  },
  (p) => {
    componentStr({ componentInput: p.nestedInputStr }).setCaching(false);
    componentInt({ componentInput: p.nestedInputInt }).setCaching(false);
    componentBool({ componentInput: p.nestedInputBool }).setCaching(false);
  },
);

export default pipeline({ name: 'nested-pipeline-opt-inputs-nil' }, () => {
  nestedPipeline().setCaching(false);
});
