/// <reference lib="dom" />
/*
 * A probe the Chromium test appends to a graph page, after the page's own script: it writes what the browser
 * laid out (getBoundingClientRect of every node box and arrow label) as JSON into <pre id="np-probe">, which
 * `chromium --dump-dom` then prints. A browser script, not a module; html-render.test.ts compiles it.
 */
(() => {
  'use strict';
  const box = (e: Element) => {
    const r = e.getBoundingClientRect();
    return { x: r.x, y: r.y, w: r.width, h: r.height };
  };
  const nodes = Array.from(document.querySelectorAll('g.np-node')).map((g) => ({ id: g.getAttribute('data-id'), ...box(g.querySelector('rect')!) }));
  const labels = Array.from(document.querySelectorAll('text.np-edge-label')).map((t) => ({ edge: t.getAttribute('data-edge'), ...box(t) }));
  const pre = document.createElement('pre');
  pre.id = 'np-probe';
  pre.textContent = JSON.stringify({ nodes, labels });
  document.body.appendChild(pre);
})();
