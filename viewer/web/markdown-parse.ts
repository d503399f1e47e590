/**
 * A small Markdown parser producing a plain node tree (no DOM, so it is tested in Node): headings,
 * paragraphs, lists, fenced code, code spans, emphasis, and links to http(s) URLs. Nothing in the
 * source becomes markup: raw HTML is text, a link to any other scheme (javascript:, data:) is text,
 * and the renderer (markdown.ts) puts every string in as a text node.
 */
export type MarkdownInline =
  | string
  | { readonly tag: 'code'; readonly text: string }
  | { readonly tag: 'strong' | 'em'; readonly children: readonly MarkdownInline[] }
  | { readonly tag: 'a'; readonly href: string; readonly text: string };

export type MarkdownBlock =
  | { readonly tag: 'h2' | 'h3' | 'h4' | 'h5' | 'h6'; readonly children: readonly MarkdownInline[] }
  | { readonly tag: 'p'; readonly children: readonly MarkdownInline[] }
  | { readonly tag: 'ul' | 'ol'; readonly items: MarkdownInline[][] }
  | { readonly tag: 'pre'; readonly text: string };

export function parseInline(text: string): MarkdownInline[] {
  const out: MarkdownInline[] = [];
  const pattern = /(`[^`]+`)|(\*\*[^*]+\*\*)|(\*[^*]+\*|_[^_]+_)|(\[[^\]]+\]\([^)\s]+\))/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index! > last) out.push(text.slice(last, match.index));
    const token = match[0];
    if (match[1]) out.push({ tag: 'code', text: token.slice(1, -1) });
    else if (match[2]) out.push({ tag: 'strong', children: parseInline(token.slice(2, -2)) });
    else if (match[3]) out.push({ tag: 'em', children: parseInline(token.slice(1, -1)) });
    else {
      const [, label, href] = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(token)!;
      out.push(/^https?:\/\//i.test(href!) ? { tag: 'a', href: href!, text: label! } : token);
    }
    last = match.index! + token.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

export function parseMarkdown(source: string): MarkdownBlock[] {
  const blocks: MarkdownBlock[] = [];
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  let paragraph: string[] = [];
  let list: { tag: 'ul' | 'ol'; items: MarkdownInline[][] } | undefined;
  const flush = () => {
    if (paragraph.length) blocks.push({ tag: 'p', children: parseInline(paragraph.join(' ')) });
    paragraph = [];
    list = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('```')) {
      flush();
      const code: string[] = [];
      while (++i < lines.length && !lines[i]!.startsWith('```')) code.push(lines[i]!);
      blocks.push({ tag: 'pre', text: code.join('\n') });
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const item = /^\s*(?:[-*+]|\d+\.)\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      // The page's own title is the h1: a document's headings start one level below it.
      blocks.push({ tag: `h${Math.min(6, heading[1]!.length + 1)}` as 'h2', children: parseInline(heading[2]!) });
    } else if (item) {
      if (paragraph.length) flush();
      if (!list) blocks.push((list = { tag: /^\s*\d/.test(line) ? 'ol' : 'ul', items: [] }));
      list.items.push(parseInline(item[1]!));
    } else if (line.trim() === '') {
      flush();
    } else {
      list = undefined;
      paragraph.push(line.trim());
    }
  }
  flush();
  return blocks;
}
