/**
 * The data-quality report: bad rows (missing or undecodable image, empty label, unusable field),
 * copies removed with the twin that was kept (per class too), copies across the splits the
 * manifest fixes (leakage), and the resulting class × split counts.
 * Written as JSON (for tools) and Markdown (for people; the Vertex console renders it). The step
 * fails only when the share of bad rows passes `maxBadFraction`.
 */
import type { SplitName } from './manifest';
import type { BadRow, DuplicateGroup, LeakagePair, RowSelection } from './select-rows';
import { KfpTsError } from '../../../compiler/errors/kfp-ts-error';

export interface QualityReport {
  readonly manifest: string;
  readonly totalRows: number;
  readonly goodRows: number;
  readonly badRows: BadRow[];
  readonly badFraction: number;
  readonly maxBadFraction: number;
  readonly dedupeThreshold: number;
  readonly dedupeMinSimilarity: number;
  readonly duplicateGroups: DuplicateGroup[];
  /** Rows removed as exact or near copies of a kept row. */
  readonly duplicatesRemoved: number;
  /** Rows removed per class (label of the removed row); classes with none are 0. */
  readonly removedPerClass: Record<string, number>;
  readonly labelConflicts: number;
  /** Copies across the splits the manifest fixes: both rows kept, so the evaluation is not clean. */
  readonly leakage: LeakagePair[];
  readonly classes: string[];
  /** Images per class in each split, after deduplication. */
  readonly splits: Record<SplitName, Record<string, number>>;
}

export class TooManyBadRowsError extends KfpTsError {
  override readonly name = 'TooManyBadRowsError';
}

/** Bad rows quoted in the failure message; the report lists them all. */
const QUOTED_BAD_ROWS = 5;

export function buildQualityReport(args: {
  manifest: string;
  selection: RowSelection;
  maxBadFraction: number;
  dedupeThreshold: number;
  dedupeMinSimilarity: number;
  classes: string[];
  splits: Record<SplitName, Record<string, number>>;
}): QualityReport {
  const { selection } = args;
  const total = selection.totalRows;
  return {
    manifest: args.manifest,
    totalRows: total,
    goodRows: total - selection.bad.length,
    badRows: selection.bad,
    badFraction: total === 0 ? 0 : selection.bad.length / total,
    maxBadFraction: args.maxBadFraction,
    dedupeThreshold: args.dedupeThreshold,
    dedupeMinSimilarity: args.dedupeMinSimilarity,
    duplicateGroups: selection.duplicateGroups,
    duplicatesRemoved: selection.duplicateGroups.reduce((sum, group) => sum + group.removed.length, 0),
    removedPerClass: Object.fromEntries(args.classes.map((name) => [name, selection.removedPerClass[name] ?? 0])),
    labelConflicts: selection.duplicateGroups.filter((group) => group.labelConflict).length,
    leakage: selection.leakage,
    classes: args.classes,
    splits: args.splits,
  };
}

const percent = (fraction: number) => `${(fraction * 100).toFixed(1)}%`;

/** Throws TooManyBadRowsError naming the share, the limit and the first bad rows, when past the limit. */
export function enforceBadRowLimit(report: QualityReport, reportLocation: string): void {
  if (report.badFraction <= report.maxBadFraction) return;
  const quoted = report.badRows.slice(0, QUOTED_BAD_ROWS).map((row) => `  line ${row.line} (${row.image || 'no image'}): ${row.message}`);
  const more = report.badRows.length > QUOTED_BAD_ROWS ? [`  … and ${report.badRows.length - QUOTED_BAD_ROWS} more`] : [];
  throw new TooManyBadRowsError(
    [
      `${report.badRows.length} of ${report.totalRows} manifest rows are bad (${percent(report.badFraction)}), more than maxBadFraction ${percent(report.maxBadFraction)} allows. First bad rows:`,
      ...quoted,
      ...more,
      `The full list is in the data-quality report (${reportLocation}). Fix or remove these rows in ${report.manifest}, or raise maxBadFraction if they are expected.`,
    ].join('\n'),
  );
}

function dedupeRule(report: QualityReport): string {
  if (report.dedupeThreshold < 0) return 'exact copies only';
  return `exact copies, and pHash within ${report.dedupeThreshold} of 64 bits with thumbnail similarity ≥ ${report.dedupeMinSimilarity}`;
}

/** Escapes text for a Markdown table cell. */
const cell = (text: string) =>
  text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ');

export function renderQualityReportMarkdown(report: QualityReport): string {
  const lines: string[] = ['# Data-quality report', '', `Manifest: \`${report.manifest}\``, ''];
  lines.push(
    '| | |',
    '|---|---|',
    `| rows | ${report.totalRows} |`,
    `| bad rows | ${report.badRows.length} (${percent(report.badFraction)}; limit ${percent(report.maxBadFraction)}) |`,
    `| copies removed | ${report.duplicatesRemoved} (${dedupeRule(report)}) |`,
    `| kept rows whose copies had another label | ${report.labelConflicts} |`,
    `| copies across fixed splits (leakage) | ${report.leakage.length} |`,
    `| classes | ${report.classes.length} |`,
    '',
  );
  const splitNames = Object.keys(report.splits) as SplitName[];
  lines.push(
    '## Images per class and split',
    '',
    `| class | ${splitNames.join(' | ')} | copies removed |`,
    `|---|${splitNames.map(() => '---:').join('|')}|---:|`,
  );
  for (const name of report.classes)
    lines.push(
      `| ${cell(name)} | ${splitNames.map((split) => report.splits[split][name] ?? 0).join(' | ')} | ${report.removedPerClass[name] ?? 0} |`,
    );
  const totals = splitNames.map((split) => Object.values(report.splits[split]).reduce((a, b) => a + b, 0));
  lines.push(`| **total** | ${totals.join(' | ')} | ${report.duplicatesRemoved} |`, '');

  lines.push('## Bad rows', '');
  if (report.badRows.length === 0) lines.push('None.', '');
  else {
    lines.push('| line | image | label | problem |', '|---:|---|---|---|');
    for (const row of report.badRows) lines.push(`| ${row.line} | ${cell(row.image)} | ${cell(row.label)} | ${cell(row.message)} |`);
    lines.push('');
  }

  lines.push('## Leakage: copies across fixed splits', '');
  if (report.leakage.length === 0) lines.push('None.', '');
  else {
    lines.push(
      'Both rows are kept because the manifest fixes their splits; a model is then evaluated on images it was trained on. Remove one of each pair or give it the other split.',
      '',
      '| row (line, split) | copy (line, split) | kind | pHash bits | similarity |',
      '|---|---|---|---:|---:|',
    );
    for (const pair of report.leakage) {
      lines.push(
        `| ${cell(pair.first.image)} (${pair.first.line}, ${pair.first.split}) | ${cell(pair.second.image)} (${pair.second.line}, ${pair.second.split}) | ${pair.reason} | ${pair.distance} | ${pair.similarity.toFixed(4)} |`,
      );
    }
    lines.push('');
  }

  lines.push('## Copies removed', '');
  if (report.duplicateGroups.length === 0) lines.push('None.', '');
  else {
    lines.push('| kept (line) | removed (line) | kind | pHash bits | similarity | labels |', '|---|---|---|---:|---:|---|');
    for (const group of report.duplicateGroups) {
      for (const removed of group.removed) {
        const labels =
          removed.label !== group.kept.label
            ? `**conflict**: kept ${cell(group.kept.label)}, removed ${cell(removed.label)}`
            : cell(group.kept.label);
        lines.push(
          `| ${cell(group.kept.image)} (${group.kept.line}) | ${cell(removed.image)} (${removed.line}) | ${removed.reason} | ${removed.distance} | ${removed.similarity.toFixed(4)} | ${labels} |`,
        );
      }
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

/** The report as JSON; pHashes are already hex strings, so no bigint reaches JSON.stringify. */
export function qualityReportJson(report: QualityReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
