import { checkGolden } from './check-golden';
import { listGoldens, outOfScopeReason } from './goldens';

/**
 * The conformance gate in `npm test`: every in-scope golden's port compiles to the same IR as the
 * reference compiler (parsed), and to the same bytes (the YAML writer). `npm run conformance` prints
 * the same verdicts as a report.
 */
const goldens = listGoldens();
const inScope = goldens.filter((g) => outOfScopeReason(g) === undefined);

describe('conformance with the KFP SDK 2.15.2 compiler', () => {
  it('has all 138 goldens; only the 14 Kubernetes platform-spec ones are out of scope', () => {
    expect(goldens).toHaveLength(138);
    expect(inScope).toHaveLength(124);
    expect(goldens.filter((g) => !inScope.includes(g)).every((g) => g.features.includes('platform-spec'))).toBe(true);
  });

  it.each(inScope.map((g) => [g.file, g] as const))('%s compiles to the same IR, byte for byte', (_file, golden) => {
    const result = checkGolden(golden);
    expect(result).toEqual({ status: 'match', bytesMatch: true });
  });
});
