/**
 * Building the page's DOM. Text always goes in as text nodes and attribute values through
 * setAttribute, never as HTML, so a value from the store (a task name, a parameter, metadata) can
 * never become markup.
 */
export type Child = Node | string | number | null | undefined | false | readonly Child[];
type Attributes = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;

function append(parent: Node, child: Child): void {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) for (const c of child as readonly Child[]) append(parent, c);
  else if (typeof child === 'string' || typeof child === 'number') parent.appendChild(document.createTextNode(String(child)));
  else parent.appendChild(child as Node);
}

function setAttributes(element: Element, attributes: Attributes): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  setAttributes(element, attributes);
  append(element, children);
  return element;
}

const SVG = 'http://www.w3.org/2000/svg';

export function s(tag: string, attributes: Attributes = {}, ...children: Child[]): SVGElement {
  const element = document.createElementNS(SVG, tag);
  setAttributes(element, attributes);
  append(element, children);
  return element;
}

export function formatValue(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toPrecision(4).replace(/\.?0+$/, '');
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return minutes < 60 ? `${minutes} min ${Math.round((ms % 60_000) / 1000)} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export const formatTime = (ms: number): string => (ms ? new Date(ms).toLocaleString() : '');

/** A two-column table of names and values. */
export function keyValueTable(values: Readonly<Record<string, unknown>>, highlight: ReadonlySet<string> = new Set()): HTMLElement {
  const entries = Object.entries(values);
  if (entries.length === 0) return h('p', { class: 'muted' }, 'none');
  return h(
    'table',
    { class: 'kv' },
    h(
      'tbody',
      {},
      entries.map(([name, value]) =>
        h('tr', { class: highlight.has(name) ? 'diff' : undefined }, h('th', {}, name), h('td', {}, formatValue(value))),
      ),
    ),
  );
}

export const link = (href: string, ...children: Child[]): HTMLAnchorElement => h('a', { href }, ...children);

export const stateBadge = (state: string): HTMLElement =>
  h('span', { class: `badge state-${state.toLowerCase()}`, 'data-state': state.toLowerCase() }, state.toLowerCase());
