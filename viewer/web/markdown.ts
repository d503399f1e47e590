/** system.Markdown artifacts on the page: the parsed tree (markdown-parse.ts) as DOM nodes, every string as text. */
import { h, type Child } from './dom';
import { parseMarkdown, type MarkdownBlock, type MarkdownInline } from './markdown-parse';

function inline(node: MarkdownInline): Child {
  if (typeof node === 'string') return node;
  switch (node.tag) {
    case 'code':
      return h('code', {}, node.text);
    case 'a':
      return h('a', { href: node.href, rel: 'noopener noreferrer', target: '_blank' }, node.text);
    default:
      return h(node.tag, {}, node.children.map(inline));
  }
}

function block(node: MarkdownBlock): HTMLElement {
  switch (node.tag) {
    case 'pre':
      return h('pre', {}, h('code', {}, node.text));
    case 'ul':
    case 'ol':
      return h(
        node.tag,
        {},
        node.items.map((item) => h('li', {}, item.map(inline))),
      );
    default:
      return h(node.tag, {}, node.children.map(inline));
  }
}

export function renderMarkdown(source: string): HTMLElement {
  return h('div', { class: 'markdown' }, parseMarkdown(source).map(block));
}
