import * as path from 'node:path';
import { ParallelFor, loadComponentFromFile, pipeline, t } from '../../../../compiler';
import { pythonFunctionComponent } from '../../support/python-function';

type AB = { a: number; b: number };

const listDictMaker0 = pythonFunctionComponent({
  name: 'list_dict_maker_0',
  outputs: { Output: t.list<AB>({ items: t.struct() }) },
  functionName: 'list_dict_maker_0',
  source:
    "\ndef list_dict_maker_0() -> List[Dict[str, int]]:\n    \"\"\"Enforces strict type checking - returns a list of dictionaries \n    where keys are strings and values are integers. For testing type \n    handling during compilation.\"\"\"\n    return [{'a': 1, 'b': 2}, {'a': 2, 'b': 3}, {'a': 3, 'b': 4}]\n\n",
});

const listDictMaker1 = pythonFunctionComponent({
  name: 'list_dict_maker_1',
  outputs: { Output: t.list<AB>({ items: t.struct() }) },
  functionName: 'list_dict_maker_1',
  source:
    "\ndef list_dict_maker_1() -> List[Dict]:\n    \"\"\"Utilizes generic dictionary typing (no enforcement of specific key or\n    value types).\n\n    Tests flexibility in type handling.\n    \"\"\"\n    return [{'a': 1, 'b': 2}, {'a': 2, 'b': 3}, {'a': 3, 'b': 4}]\n\n",
});

const listDictMaker2 = pythonFunctionComponent({
  name: 'list_dict_maker_2',
  outputs: { Output: t.list<AB>({ items: t.struct() }) },
  functionName: 'list_dict_maker_2',
  source:
    "\ndef list_dict_maker_2() -> List[dict]:\n    \"\"\"Returns a list of dictionaries without type enforcement.\n\n    Tests flexibility in type handling.\n    \"\"\"\n    return [{'a': 1, 'b': 2}, {'a': 2, 'b': 3}, {'a': 3, 'b': 4}]\n\n",
});

const listDictMaker3 = pythonFunctionComponent({
  name: 'list_dict_maker_3',
  outputs: { Output: t.list<AB>() },
  functionName: 'list_dict_maker_3',
  source:
    "\ndef list_dict_maker_3() -> List:\n    \"\"\"Returns a basic list (no typing or structure guarantees).\n\n    Tests the limits of compiler type handling.\n    \"\"\"\n    return [{'a': 1, 'b': 2}, {'a': 2, 'b': 3}, {'a': 3, 'b': 4}]\n\n",
});

const printInt = pythonFunctionComponent({
  name: 'print_int',
  inputs: { x: t.int() },
  functionName: 'print_int',
  source: '\ndef print_int(x: int):\n    print(x)\n\n',
});

const printText = pythonFunctionComponent({
  name: 'print_text',
  inputs: { msg: t.string() },
  functionName: 'print_text',
  source: '\ndef print_text(msg: str):\n    print(msg)\n\n',
});

/** `list_dict_maker_1` compiled to IR and loaded back: the file does not keep the list's item type. */
const listDictMaker1Loaded = loadComponentFromFile<{}, { Output: ReturnType<typeof t.list<AB>> }>(
  path.join(__dirname, 'fixtures', 'list_dict_maker_1.yaml'),
);

export default pipeline(
  { name: 'pipeline-with-parallelfor-parallelism', params: { loop_parameter: t.list<string>() } },
  ({ loop_parameter }) => {
    // Loop over a pipeline parameter, with a nested loop over the same parameter.
    ParallelFor(
      loop_parameter,
      (item) => {
        printText({ msg: item });
        ParallelFor(loop_parameter, (nested) => {
          printText({ msg: nested });
        });
      },
      { parallelism: 2 },
    );

    // Loop over a raw list of dicts, with a nested loop.
    ParallelFor(
      [
        { A_a: '1', B_b: '2' },
        { A_a: '10', B_b: '20' },
      ],
      (item) => {
        printText({ msg: item.fields.A_a });
        printText({ msg: item.fields.B_b });
        ParallelFor(
          [
            { A_a: '10', B_b: '20' },
            { A_a: '100', B_b: '200' },
          ],
          (nested) => {
            printText({ msg: nested.fields.A_a });
            printText({ msg: nested.fields.B_b });
          },
          { parallelism: 1 },
        );
      },
    );

    // Raw list of dicts with int values.
    ParallelFor(
      [
        { a: 1, b: 2 },
        { a: 2, b: 3 },
        { a: 3, b: 4 },
      ],
      (item) => {
        printInt({ x: item.fields.a });
      },
      { parallelism: 1 },
    );

    // Loops over lists from upstream tasks.
    for (const maker of [listDictMaker0, listDictMaker1, listDictMaker2, listDictMaker3, listDictMaker1Loaded]) {
      const list = maker();
      ParallelFor(list.outputs.Output, (item) => {
        printInt({ x: item.fields.a });
      });
    }
  },
);
