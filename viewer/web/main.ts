/** The viewer's page: a hash router over the pages; each page renders from the JSON API. */
import './style.css';
import { h } from './dom';
import { leavePage } from './lifecycle';
import { artifactPage } from './pages/artifact-page';
import { comparePage } from './pages/compare-page';
import { endpointsPage } from './pages/endpoints-page';
import { lineagePage } from './pages/lineage-page';
import { runPage } from './pages/run-page';
import { runsPage } from './pages/runs-page';
import { taskPage } from './pages/task-page';

const app = document.getElementById('app')!;
const main = h('main', { id: 'page' });
app.append(
  h(
    'header',
    {},
    h('a', { href: '#/runs', class: 'brand' }, 'kfp-ts'),
    h('nav', {}, h('a', { href: '#/runs' }, 'Runs'), h('a', { href: '#/endpoints' }, 'Endpoints')),
  ),
  main,
);

let navigation = 0;

async function route(): Promise<void> {
  leavePage();
  const current = ++navigation;
  const [pathPart = '', queryPart = ''] = location.hash.replace(/^#/, '').split('?');
  const [, page = 'runs', id = ''] = pathPart.split('/').map(decodeURIComponent);
  const params = new URLSearchParams(queryPart);
  main.setAttribute('data-loading', 'true');
  try {
    const content =
      page === 'run'
        ? await runPage(id)
        : page === 'task'
          ? await taskPage(id)
          : page === 'artifact'
            ? await artifactPage(id)
            : page === 'lineage'
              ? await lineagePage(id)
              : page === 'compare'
                ? await comparePage(params)
                : page === 'endpoints'
                  ? await endpointsPage()
                  : await runsPage(params);
    if (current === navigation) main.replaceChildren(content);
  } catch (error) {
    if (current === navigation)
      main.replaceChildren(h('p', { class: 'error', role: 'alert' }, error instanceof Error ? error.message : String(error)));
  } finally {
    if (current === navigation) main.setAttribute('data-loading', 'false');
  }
}

window.addEventListener('hashchange', () => void route());
void route();
