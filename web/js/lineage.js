// Lineage as a graph: ancestors to the left, descendants to the right, one
// column per depth, an edge from each entry to the record it was reached
// through. Only what the hub answered (the viewer's views) is drawn.
import { el } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const W = 250, H = 34, GAP_X = 50, GAP_Y = 12;

function svg(tag, attrs, ...children) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  e.append(...children);
  return e;
}

export function lineageGraph(root, up, down) {
  const nodes = new Map([[root, { name: root, column: 0 }]]);
  const edges = [];
  for (const [lineage, sign] of [[up, -1], [down, 1]]) {
    for (const e of lineage.entries || []) {
      if (!nodes.has(e.name)) nodes.set(e.name, { name: e.name, column: sign * e.depth });
      edges.push(sign < 0 ? [e.name, e.via || root] : [e.via || root, e.name]);
    }
  }
  if (nodes.size === 1) return el('p', { class: 'muted', id: 'lineage-empty' }, 'No linked records you can see.');
  const columns = [...new Set([...nodes.values()].map((n) => n.column))].sort((a, b) => a - b);
  const rows = new Map();
  for (const n of nodes.values()) {
    const row = rows.get(n.column) || 0;
    rows.set(n.column, row + 1);
    n.x = columns.indexOf(n.column) * (W + GAP_X);
    n.y = row * (H + GAP_Y);
  }
  const height = Math.max(...rows.values()) * (H + GAP_Y);
  const width = columns.length * (W + GAP_X) - GAP_X;
  const g = svg('svg', { class: 'lineage', id: 'lineage-graph', width, height, viewBox: `0 0 ${width} ${height}`,
    role: 'img', 'aria-label': `lineage of ${root}: ${[...nodes.keys()].join(', ')}` });
  for (const [from, to] of edges) {
    const a = nodes.get(from), b = nodes.get(to);
    if (!a || !b) continue;
    g.append(svg('line', { x1: a.x + W, y1: a.y + H / 2, x2: b.x, y2: b.y + H / 2 }));
  }
  for (const n of nodes.values()) {
    const link = svg('a', { href: `#/r/${n.name}` },
      svg('rect', { x: n.x, y: n.y, width: W, height: H, rx: 4 }),
      svg('text', { x: n.x + 8, y: n.y + H / 2 + 4 }, n.name.replace(/^institutions\//, '')));
    g.append(svg('g', { class: n.name === root ? 'node self' : 'node', 'data-name': n.name }, link));
  }
  return el('div', { class: 'lineage-wrap' }, g);
}
