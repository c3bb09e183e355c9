/**
 * The HTML picture in a real browser: the example shop's graph page is opened in headless Chromium
 * (Debian's `chromium` package), and the DOM after the page's script ran must hold the example's
 * namespaces, pods, externals and arrows. Also takes the README screenshot and keeps docs/ fresh:
 * `NETPROOF_UPDATE_DOCS=1 npx jest test/e2e/html-render.test.ts` rewrites docs/shop-graph.html and .png.
 * The Online Boutique-sized page (one namespace, 12 workloads, 26 arrows) is rendered too, and the boxes the
 * browser drew (getBoundingClientRect, read by the probe _page-probe.ts) must not overlap.
 */
import { execFileSync } from 'child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { pathToFileURL } from 'url';
import * as ts from 'typescript';
import { buildShopApp } from '../../examples/shop/main';
import { buildGraph } from '../../src/analysis/graph';
import { verifyApp } from '../../src/app/verify';
import { renderHtml } from '../../src/report/graph';
import { boutiqueGraph } from '../report/graph/_boutique';

const CHROMIUM = '/usr/bin/chromium';
const REPO = join(__dirname, '..', '..');
const DOCS_HTML = join(REPO, 'docs', 'shop-graph.html');
const DOCS_PNG = join(REPO, 'docs', 'shop-graph.png');
const UPDATE = process.env.NETPROOF_UPDATE_DOCS === '1';

/** The shop example's page, exactly as docs/shop-graph.html holds it. */
function shopPage(): string {
  const { model } = verifyApp(buildShopApp());
  const graph = buildGraph({ policies: model.policies, cluster: model.cluster, dataplane: model.dataplane });
  return renderHtml(graph, 'netproof: the example shop (examples/shop), network default');
}

function chromium(args: readonly string[], profile: string, binary = CHROMIUM): string {
  if (!existsSync(binary)) {
    throw new Error(`${binary} is missing: this test renders the HTML graph in headless Chromium. Install it with: apt-get install -y chromium`);
  }
  return execFileSync(binary, [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-extensions', '--hide-scrollbars', `--user-data-dir=${profile}`, ...args,
  ], { encoding: 'utf8', timeout: 90_000, maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A box as the browser laid it out, in CSS pixels. */
interface Rect { readonly x: number; readonly y: number; readonly w: number; readonly h: number }

/** The page with the probe appended after its script, so the probe sees what the page drew. */
function probed(html: string): string {
  const probe = ts.transpileModule(readFileSync(join(__dirname, '_page-probe.ts'), 'utf8'), { compilerOptions: { target: ts.ScriptTarget.ES2017, removeComments: true } }).outputText;
  return html.replace(/<\/body>\n<\/html>\n$/, `<script>\n${probe}</script>\n</body>\n</html>\n`);
}

/** Whether two boxes share interior points; half a pixel of anti-aliasing slack. */
function overlap(a: Rect, b: Rect): boolean {
  const e = 0.5;
  return a.x + e < b.x + b.w && b.x + e < a.x + a.w && a.y + e < b.y + b.h && b.y + e < a.y + a.h;
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('the HTML graph in headless Chromium', () => {
  let dir: string;
  let page: string;
  let pageUrl: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'netproof-html-'));
    page = shopPage();
    writeFileSync(join(dir, 'shop-graph.html'), page);
    pageUrl = pathToFileURL(join(dir, 'shop-graph.html')).href;
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('renders the example\'s namespaces, pods, externals and arrows', () => {
    const dom = chromium(['--dump-dom', pageUrl], join(dir, 'profile-dom'));
    expect(dom).toContain('<body data-rendered="true">');
    for (const ns of ['cnf', 'kube-system', 'shop']) {
      expect(dom).toContain(`<g class="np-group np-group-namespace" data-group="${ns}">`);
      expect(dom).toContain(`>namespace ${ns}</text>`);
    }
    expect(dom).toContain('<g class="np-group np-group-externals" data-group="(externals)">');
    for (const pod of ['shop/frontend', 'shop/backend', 'shop/database', 'cnf/upf', 'kube-system/kube-dns']) {
      expect(dom).toMatch(new RegExp(`<g class="np-node" data-id="${pod}" data-group="[a-z-]+">`));
    }
    for (const ext of ['metadata-server', 'node-local-dns', 'internet']) expect(dom).toContain(`<g class="np-node np-external" data-id="${ext}" data-group="(externals)">`);
    const arrow = (from: string, to: string, ports: string) => `data-from="${from}" data-to="${to}" data-ports="${ports}"`;
    expect(dom).toContain(arrow('shop/frontend', 'shop/backend', 'TCP 8080'));
    expect(dom).toContain(arrow('shop/backend', 'shop/database', 'TCP 5432'));
    expect(dom).toContain(arrow('shop/backend', 'metadata-server', 'TCP 80'));
    expect(dom).toContain(arrow('lb-health-check-35.191.0.0_16', 'shop/frontend', 'TCP 8080'));
    expect(dom).toContain(arrow('shop/frontend', 'kube-system/kube-dns', 'TCP 53, UDP 53'));
    // What the intents forbid is not drawn.
    expect(dom).not.toMatch(/<path class="np-edge"[^>]* data-from="shop\/frontend" data-to="shop\/database"/);
    expect(dom).not.toMatch(/<path class="np-edge"[^>]* data-from="shop\/frontend" data-to="metadata-server"/);
    expect(dom).toContain('<td data-from="shop/frontend" data-to="shop/database" class="np-denied" title="frontend ×2 → database: denied on all ports">–</td>');
    // One path per arrow of the graph, and a full matrix (one cell per ordered pair of nodes).
    const data = JSON.parse(/<script type="application\/json" id="netproof-data">(.*?)<\/script>/s.exec(page)![1]) as { nodes: unknown[]; edges: unknown[] };
    expect(dom.match(/<path class="np-edge" /g)).toHaveLength(data.edges.length);
    expect(dom.match(/<td [^>]*data-from=/g)).toHaveLength(data.nodes.length ** 2);
    expect(dom).toContain('<td data-from="shop/frontend" data-to="shop/backend" class="np-allowed" title="frontend ×2 (shop)  →  backend ×2 (shop)\nallowed on: TCP 8080">TCP 8080</td>');
  });

  /** What the browser drew of a page: node boxes and arrow labels, by the probe. */
  function drawn(name: string, html: string): { nodes: (Rect & { id: string })[]; labels: (Rect & { edge: string })[] } {
    const file = join(dir, `${name}.html`);
    writeFileSync(file, probed(html));
    const dom = chromium(['--window-size=1400,1000', '--dump-dom', pathToFileURL(file).href], join(dir, `profile-${name}`));
    expect(dom).toContain('<body data-rendered="true">');
    const json = /<pre id="np-probe">(.*?)<\/pre>/s.exec(dom)![1].replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    return JSON.parse(json) as { nodes: (Rect & { id: string })[]; labels: (Rect & { edge: string })[] };
  }

  /** Every pair of drawn boxes that overlap: node and node, label and node, label and label. */
  function overlapping({ nodes, labels }: ReturnType<typeof drawn>): string[] {
    for (const b of [...nodes, ...labels]) expect(b.w * b.h).toBeGreaterThan(0);
    const bad: string[] = [];
    nodes.forEach((a, i) => nodes.slice(i + 1).forEach((b) => { if (overlap(a, b)) bad.push(`nodes ${a.id} and ${b.id}`); }));
    labels.forEach((a, i) => {
      for (const n of nodes) if (overlap(a, n)) bad.push(`label ${a.edge} and node ${n.id}`);
      for (const b of labels.slice(i + 1)) if (overlap(a, b)) bad.push(`labels ${a.edge} and ${b.edge}`);
    });
    return bad;
  }

  test('renders the Online Boutique-sized namespace (12 workloads, 26 arrows) without overlapping boxes or labels', () => {
    const graph = boutiqueGraph();
    expect([graph.nodes.length, graph.edges.length]).toEqual([14, 26]);
    const boxes = drawn('boutique-graph', renderHtml(graph, 'netproof: Online Boutique'));
    expect(boxes.nodes.map((n) => n.id)).toEqual(graph.nodes.map((n) => n.id));
    expect(boxes.labels).toHaveLength(26);
    expect(overlapping(boxes)).toEqual([]);
    // Laid out in layers, not one column: the boxes stand in at least four columns.
    expect(new Set(boxes.nodes.map((n) => Math.round(n.x))).size).toBeGreaterThanOrEqual(4);
  });

  test('draws the example shop (three namespaces, externals) without overlapping boxes or labels', () => {
    const boxes = drawn('shop-probed', page);
    const data = JSON.parse(/<script type="application\/json" id="netproof-data">(.*?)<\/script>/s.exec(page)![1]) as { nodes: unknown[]; edges: unknown[] };
    expect([boxes.nodes.length, boxes.labels.length]).toEqual([data.nodes.length, data.edges.length]);
    expect(overlapping(boxes)).toEqual([]);
  });

  test('fails, never skips, without Chromium, saying how to install it', () => {
    expect(() => chromium(['--dump-dom', pageUrl], join(dir, 'none'), join(dir, 'no-chromium')))
      .toThrow(`${join(dir, 'no-chromium')} is missing: this test renders the HTML graph in headless Chromium. Install it with: apt-get install -y chromium`);
  });

  test('takes the README screenshot (1400x1000)', () => {
    const png = join(dir, 'shop-graph.png');
    chromium([`--screenshot=${png}`, '--window-size=1400,1000', pageUrl], join(dir, 'profile-shot'));
    const bytes = readFileSync(png);
    expect(pngSize(bytes)).toEqual({ width: 1400, height: 1000 });
    expect(bytes.length).toBeGreaterThan(50_000); // a blank page compresses to a few KB
    if (UPDATE) {
      mkdirSync(join(REPO, 'docs'), { recursive: true });
      writeFileSync(DOCS_HTML, page);
      copyFileSync(png, DOCS_PNG);
    }
  });

  test('docs/shop-graph.html is the current picture of the example', () => {
    const stale = 'docs/shop-graph.html differs from the example shop\'s graph. Regenerate it and the screenshot with: NETPROOF_UPDATE_DOCS=1 npx jest test/e2e/html-render.test.ts';
    if (!existsSync(DOCS_HTML) || readFileSync(DOCS_HTML, 'utf8') !== page) throw new Error(stale);
    expect(pngSize(readFileSync(DOCS_PNG))).toEqual({ width: 1400, height: 1000 });
  });
});
