import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Script } from 'vm';
import { bundlePage, PAGE_BUNDLE, PAGE_DIR } from '../../../projenrc/bundle-page';
import { PAGE_SCRIPT, PAGE_STYLE } from '../../../src/report/graph/_page.generated';

const REPO = join(__dirname, '..', '..', '..');

describe('the HTML graph page bundle', () => {
  test('the committed _page.generated.ts is what bundle-page makes from page/', () => {
    const stale = `${PAGE_BUNDLE} differs from a fresh bundle of ${PAGE_DIR}/. Regenerate it with: npx projen bundle-page`;
    if (readFileSync(join(REPO, PAGE_BUNDLE), 'utf8') !== bundlePage()) throw new Error(stale);
  });

  test('PAGE_STYLE is page.css byte for byte', () => {
    expect(PAGE_STYLE).toBe(readFileSync(join(REPO, PAGE_DIR, 'page.css'), 'utf8'));
  });

  test('PAGE_SCRIPT is a classic browser script with the types erased', () => {
    expect(() => new Script(PAGE_SCRIPT)).not.toThrow();
    expect(PAGE_SCRIPT).toMatch(/^\(\(\) => \{\n {4}'use strict';\n/);
    expect(PAGE_SCRIPT).toContain("document.body.setAttribute('data-rendered', 'true');");
    expect(PAGE_SCRIPT).not.toMatch(/\bas PageData\b|: GraphEdge\b|<reference|\bexport\b|\brequire\(/);
  });

  describe('bundlePage', () => {
    let root: string;
    const page = () => join(root, PAGE_DIR, 'page.ts');
    beforeEach(() => {
      root = mkdtempSync(join(tmpdir(), 'netproof-page-'));
      cpSync(join(REPO, PAGE_DIR), join(root, PAGE_DIR), { recursive: true });
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    test('keeps backticks, backslashes and ${ of the sources in the generated literals', () => {
      writeFileSync(page(), "document.title = `a\\\\b ${'\\u2192'}`;\n");
      writeFileSync(join(root, PAGE_DIR, 'page.css'), 'p::before { content: "\\2192 `${x}`"; }\n');
      const generated = bundlePage(root);
      const exports: Record<string, string> = {};
      new Script(`(function (exports) {${generated.replace(/^export const /gm, 'exports.')}})`).runInThisContext()(exports);
      expect(exports).toEqual({ PAGE_STYLE: 'p::before { content: "\\2192 `${x}`"; }\n', PAGE_SCRIPT: "document.title = `a\\\\b ${'\\u2192'}`;\n" });
    });

    test('fails when page.ts is a module', () => {
      writeFileSync(page(), `${readFileSync(page(), 'utf8')}export {};\n`);
      expect(() => bundlePage(root)).toThrow(`${PAGE_DIR}/page.ts: must be a browser script, without import or export; take types with import('...') type expressions`);
    });

    test('fails when page.ts would close its <script> element', () => {
      writeFileSync(page(), "document.title = '</script>';\n");
      expect(() => bundlePage(root)).toThrow(`${PAGE_DIR}/page.ts: must not contain "</script" or "<!--", it is inlined in a <script> element`);
    });
  });
});
