/**
 * `npm run conformance`: compiles every ported golden, prints one line per golden (excluded ones
 * with their reason) and ends with `goldens: N/138 match`. Outputs go to test/conformance/out/.
 * It fails unless every golden in scope matches.
 * Arguments filter the goldens by path substring: `npm run conformance -- two_step env`.
 */
import { checkGolden } from './check-golden';
import { listGoldens, outOfScopeReason } from './goldens';

function main(filters: readonly string[]): number {
  const goldens = listGoldens().filter((g) => filters.length === 0 || filters.some((f) => g.file.includes(f)));
  let inScope = 0;
  let matched = 0;
  let bytesMatched = 0;
  const excluded: string[] = [];
  for (const golden of goldens) {
    const scopeReason = outOfScopeReason(golden);
    const result = checkGolden(golden);
    if (scopeReason === undefined) inScope++;
    switch (result.status) {
      case 'match':
        matched++;
        if (result.bytesMatch) bytesMatched++;
        console.log(
          `match      ${golden.file}${result.bytesMatch ? ' (bytes identical)' : ` (parsed; bytes differ at ${result.byteDifference})`}`,
        );
        break;
      case 'differs':
        console.log(`differs    ${golden.file}: ${result.difference}`);
        break;
      case 'error':
        console.log(`error      ${golden.file}: ${result.message.split('\n').join('\n             ')}`);
        break;
      case 'not-ported':
        excluded.push(golden.file);
        console.log(`not ported ${golden.file}: ${result.reason}`);
        break;
    }
  }
  console.log(`bytes identical: ${bytesMatched}/${matched} matching goldens`);
  console.log(`excluded: ${excluded.length} (each listed above as 'not ported' with its reason); in scope: ${inScope}`);
  console.log(`goldens: ${matched}/${goldens.length} match`);
  return matched >= inScope ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
