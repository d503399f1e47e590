/** The local endpoints: deployed versions, traffic, and a form that sends an image to predict through the viewer. */
import type { EndpointsView, EndpointView } from '../../server/api-types';
import { api, enc } from '../api';
import { h } from '../dom';

function predictForm(endpoint: EndpointView): HTMLElement {
  const output = h('pre', { class: 'small', 'data-testid': 'prediction' });
  const input = h('input', { type: 'file', accept: 'image/*' });
  return h(
    'form',
    {
      class: 'predict',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const file = input.files?.[0];
        if (!file) return void (output.textContent = 'choose an image first');
        if (file.size > 6 * 1024 * 1024) return void (output.textContent = 'the image is over 6 MiB; choose a smaller one');
        const bytes = new Uint8Array(await file.arrayBuffer());
        let binary = '';
        for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        output.textContent = 'predicting…';
        const response = await fetch(`/api/endpoints/${enc(endpoint.id)}/predict`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ instances: [{ b64: btoa(binary) }] }),
        });
        const text = await response.text();
        try {
          output.textContent = JSON.stringify(JSON.parse(text), null, 2);
        } catch {
          output.textContent = text;
        }
      },
    },
    input,
    h('button', { type: 'submit' }, 'Predict'),
    output,
  );
}

export async function endpointsPage(): Promise<HTMLElement> {
  const view = await api<EndpointsView>('/api/endpoints');
  return h(
    'section',
    {},
    h('h1', {}, 'Endpoints'),
    h(
      'p',
      { class: 'muted' },
      view.serverUrl ? `prediction server ${view.serverUrl}` : 'the prediction server is not running (npx kfp-ts serve --detach starts it)',
    ),
    view.endpoints.length === 0
      ? h('p', { class: 'muted' }, 'No local endpoints: a pipeline that deploys (ModelDeployOp) creates them.')
      : null,
    view.endpoints.map((endpoint) =>
      h(
        'article',
        { class: 'endpoint', 'data-endpoint': endpoint.id },
        h('h2', {}, `${endpoint.displayName} `, h('span', { class: 'muted mono' }, endpoint.name)),
        h(
          'table',
          { class: 'grid' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['Deployed model', 'Model version', 'Traffic', 'Artifact'].map((c) => h('th', {}, c)),
            ),
          ),
          h(
            'tbody',
            {},
            endpoint.deployedModels.map((m) =>
              h(
                'tr',
                {},
                h('td', {}, `${m.displayName} (${m.id})`),
                h('td', { class: 'mono small' }, m.model),
                h('td', {}, `${endpoint.trafficSplit[m.id] ?? 0} %`),
                h('td', { class: 'mono small' }, m.artifactUri),
              ),
            ),
          ),
        ),
        h('p', { class: 'mono small' }, `POST ${view.serverUrl ?? 'http://HOST:PORT/'}${endpoint.predictPath.replace(/^\//, '')}`),
        predictForm(endpoint),
      ),
    ),
  );
}
