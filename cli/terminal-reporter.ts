import type { ProgressReporter, RunSummary, TaskEvent } from '../runner/progress';

interface Output {
  write(text: string): void;
  readonly isTTY?: boolean;
}

const symbols = { succeeded: '✓', cached: '⚡', reused: '↺', failed: '✗', cancelled: '⊘', skipped: '○', 'not-run': '·' } as const;

function seconds(ms: number | undefined): string {
  return ms === undefined ? '' : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/**
 * Progress for people: on a terminal, finished tasks as lines and a live status line (running
 * tasks with their elapsed time, counts, cache hits); elsewhere, plain lines only. Ends with a
 * summary table, and the last log lines of a failed task.
 */
export class TerminalReporter implements ProgressReporter {
  private readonly running = new Map<string, number>();
  /** Tasks waiting for a container slot; any later event of a task ends its wait. */
  private readonly queued = new Set<string>();
  private readonly counts = { succeeded: 0, cached: 0, reused: 0, failed: 0, cancelled: 0, skipped: 0 };
  private timer: NodeJS.Timeout | undefined;
  private statusShown = false;

  constructor(
    private readonly out: Output,
    private readonly live = out.isTTY === true,
    private readonly now: () => number = Date.now,
  ) {}

  runStarted(info: { runId: string; pipelineName: string; runRoot: string; metadataFile: string }): void {
    this.line(`Running ${info.pipelineName} as run ${info.runId}`);
    this.line(`  outputs:  ${info.runRoot}`);
    this.line(`  metadata: ${info.metadataFile}`);
    if (this.live) this.timer = setInterval(() => this.drawStatus(), 250).unref();
  }

  task(event: TaskEvent): void {
    this.queued.delete(event.path);
    switch (event.kind) {
      case 'queued':
        this.queued.add(event.path);
        break;
      case 'started':
        this.running.set(event.path, this.now());
        if (!this.live) this.line(`  ▶ ${event.path}${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}`);
        break;
      case 'retrying':
        this.line(`  ↻ ${event.path} failed (${event.error}); retrying in ${seconds(event.delayMs)}`);
        break;
      case 'succeeded':
        this.finish(event.path, 'succeeded', seconds(event.durationMs));
        break;
      case 'cached':
        this.finish(event.path, 'cached', `cache hit (execution ${event.cachedExecutionId})`);
        break;
      case 'reused':
        this.finish(event.path, 'reused', 'done in an earlier attempt');
        break;
      case 'failed':
        this.finish(event.path, 'failed', event.error);
        break;
      case 'cancelled':
        this.finish(event.path, 'cancelled', `stopped after ${seconds(event.durationMs)}: ${event.reason}`);
        break;
      case 'skipped':
        this.finish(event.path, event.because === 'condition' ? 'skipped' : 'not-run', event.reason);
        break;
    }
    this.drawStatus();
  }

  runFinished(summary: RunSummary): void {
    if (this.timer) clearInterval(this.timer);
    this.clearStatus();
    const rows = summary.tasks.map((t) => [t.path, t.state, seconds(t.durationMs)]);
    const widths = [0, 1, 2].map((i) => Math.max(['task', 'state', 'time'][i]!.length, ...rows.map((r) => r[i]!.length)));
    const format = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i]!)).join('  ')}`.trimEnd();
    this.line('');
    this.line(format(['task', 'state', 'time']));
    for (const row of rows) this.line(format(row));
    for (const failed of summary.tasks.filter((t) => t.state === 'failed')) {
      this.line('');
      this.line(`✗ ${failed.path}: ${failed.error ?? 'failed'}`);
      if (failed.logTail) {
        this.line('  last log lines:');
        for (const logLine of failed.logTail.trimEnd().split('\n')) this.line(`  │ ${logLine}`);
      }
    }
    this.line('');
    this.line(`Run ${summary.runId} ${summary.state} in ${seconds(summary.durationMs)}`);
  }

  /** A line of the runner's own between task lines (e.g. that the run is being cancelled). */
  notice(text: string): void {
    this.line(text);
    this.drawStatus();
  }

  private finish(taskPath: string, state: keyof typeof symbols, detail: string): void {
    this.running.delete(taskPath);
    if (state in this.counts) this.counts[state as keyof typeof this.counts]++;
    this.line(`  ${symbols[state]} ${taskPath}${detail ? `  ${detail}` : ''}`);
  }

  private line(text: string): void {
    this.clearStatus();
    this.out.write(`${text}\n`);
  }

  private clearStatus(): void {
    if (this.live && this.statusShown) {
      this.out.write('\r\x1b[K');
      this.statusShown = false;
    }
  }

  private drawStatus(): void {
    if (!this.live) return;
    const now = this.now();
    const running = [...this.running].map(([p, start]) => `${p} ${seconds(now - start)}`);
    const c = this.counts;
    const waiting = this.queued.size ? `, ${this.queued.size} queued` : '';
    const status = `  [${c.succeeded} done, ${c.cached} cached, ${c.failed} failed${c.cancelled ? `, ${c.cancelled} cancelled` : ''}${waiting}] running: ${running.join(', ') || '—'}`;
    this.clearStatus();
    this.out.write(status.slice(0, 200));
    this.statusShown = true;
  }
}
