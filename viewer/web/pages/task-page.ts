/** The task page: state, timings, inputs and outputs, cache fingerprint and hit, the command, and the executor log. */
import type { ArtifactEventRef, LogView, TaskView } from '../../server/api-types';
import { api, enc } from '../api';
import { formatDuration, formatTime, h, keyValueTable, link, stateBadge } from '../dom';

const artifactList = (refs: readonly ArtifactEventRef[]) =>
  refs.length
    ? h(
        'ul',
        {},
        refs.map((a) =>
          h('li', {}, `${a.key}: `, link(`#/artifact/${a.id}`, `${a.type} #${a.id}`), ' · ', link(`#/lineage/${a.id}`, 'lineage')),
        ),
      )
    : h('p', { class: 'muted' }, 'none');

export async function taskPage(executionId: string): Promise<HTMLElement> {
  const task = await api<TaskView>(`/api/executions/${enc(executionId)}`);
  const logBox = h('pre', { class: 'log', 'data-testid': 'log' });
  const logInfo = h('p', { class: 'muted' });
  const loadLog = async (all: boolean) => {
    const log = await api<LogView>(`/api/executions/${enc(executionId)}/log${all ? '?all=1' : ''}`);
    logBox.textContent = log.text;
    logInfo.textContent = log.truncated ? `${all ? 'the first' : 'the last'} ${log.text.length} of ${log.size} bytes` : `${log.size} bytes`;
  };
  if (task.hasLog) await loadLog(false);
  return h(
    'section',
    {},
    h('h1', {}, 'Task ', h('span', { class: 'mono' }, task.path), ' ', stateBadge(task.state)),
    h(
      'p',
      { class: 'muted' },
      task.runId ? ['run ', link(`#/run/${enc(task.runId)}`, task.runId), ' · '] : '',
      `${task.type} · execution ${task.executionId} (${task.mlmdState}) · started ${formatTime(task.createdAt)} · ${formatDuration(task.durationMs)}`,
      task.attempt !== undefined ? ` · attempt ${task.attempt}${task.maxRetries !== undefined ? ` of ${task.maxRetries + 1}` : ''}` : '',
    ),
    h(
      'div',
      { class: 'cache' },
      h('h2', {}, 'Cache'),
      task.cacheFingerprint
        ? h('p', {}, 'fingerprint ', h('code', { 'data-testid': 'fingerprint' }, task.cacheFingerprint))
        : h('p', { class: 'muted' }, 'caching off for this task'),
      task.cachedFrom
        ? h(
            'p',
            { 'data-testid': 'cache-hit' },
            'cache hit: reused ',
            link(`#/task/${task.cachedFrom.executionId}`, `execution ${task.cachedFrom.executionId}`),
            task.cachedFrom.runId ? [' of run ', link(`#/run/${enc(task.cachedFrom.runId)}`, task.cachedFrom.runId)] : '',
          )
        : task.cacheFingerprint
          ? h('p', {}, 'cache miss: this execution ran')
          : null,
    ),
    h(
      'div',
      { class: 'columns' },
      h('div', {}, h('h2', {}, 'Input parameters'), keyValueTable(task.inputs)),
      h('div', {}, h('h2', {}, 'Output parameters'), keyValueTable(task.outputs)),
    ),
    h(
      'div',
      { class: 'columns' },
      h('div', {}, h('h2', {}, 'Input artifacts'), artifactList(task.inputArtifacts)),
      h('div', {}, h('h2', {}, 'Output artifacts'), artifactList(task.outputArtifacts)),
    ),
    task.image ? h('p', {}, 'image ', h('code', {}, task.image)) : null,
    h('h2', {}, 'Command'),
    task.command
      ? h(
          'pre',
          { class: 'command' },
          task.command.map((arg) => (arg.length > 400 ? `${arg.slice(0, 400)}… (${arg.length} characters)` : arg)).join('\n'),
        )
      : h('p', { class: 'muted' }, 'not recorded'),
    h('h2', {}, 'Executor log'),
    task.hasLog ? [logInfo, h('button', { onclick: () => void loadLog(true) }, 'Show all'), logBox] : h('p', { class: 'muted' }, 'no log'),
    h('h2', {}, 'Other properties'),
    keyValueTable(task.properties),
  );
}
