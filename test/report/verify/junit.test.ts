import { IntentResult } from '../../../src/analysis/intents';
import { LintFinding } from '../../../src/analysis/lint';
import { IntentModel } from '../../../src/model/intent';
import { renderJunit, xmlEscape } from '../../../src/report/verify/junit';
import { run } from '../../cli/_run';

const FIXTURE = ['--cluster', 'test/fixtures/reach/cluster.yaml', '--policies', 'test/fixtures/reach/policies', '--intents', 'test/fixtures/reach/intents.yaml'];

function result(text: string, holds: boolean, problem?: string): IntentResult {
  return {
    intent: { kind: 'canReach', subject: { kind: 'external', name: 'x', text: 'x' }, source: { file: 'intents.yaml', index: 0 } } as IntentModel,
    text,
    holds,
    scope: 'existing',
    counterexamples: [],
    violations: holds ? 0 : 2,
    checked: 3,
    ...(problem ? { problem } : {}),
  };
}

const WARNING: LintFinding = { id: 'NP005', name: 'egress-deny-without-dns', severity: 'warning', subject: 'shop/api', message: 'no DNS' };
const ERROR: LintFinding = { id: 'NP001', name: 'undeclared-network', severity: 'error', subject: 'shop/p', message: 'network "blue" <undeclared> & ignored' };

describe('xmlEscape', () => {
  test('escapes markup and quotes, and drops characters XML 1.0 forbids', () => {
    expect(xmlEscape('a<b>&"c\'\u0000\u001b\ud800z\t\n')).toBe('a&lt;b&gt;&amp;&quot;c&apos;z\t\n');
  });
});

describe('renderJunit', () => {
  test('one test case per intent and per finding; failures for violated intents and error findings', () => {
    const xml = renderJunit({
      intents: [{ name: 'a & b', result: result('a can reach b', true) }, { name: 'a & b', result: result('a <cannot> reach "b"', false) }],
      findings: [ERROR, WARNING],
    });
    expect(xml).toBe(`<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="netproof" tests="4" failures="2" errors="0">
  <testsuite name="intents" tests="2" failures="1" errors="0" skipped="0">
    <testcase classname="netproof.intents" name="a &amp; b" file="intents.yaml"/>
    <testcase classname="netproof.intents" name="a &amp; b (2)" file="intents.yaml">
      <failure type="intent-violated" message="2 of 3 checked pairs contradict: a &lt;cannot&gt; reach &quot;b&quot;">intent violated: a &amp; b: a &lt;cannot&gt; reach &quot;b&quot;
2 of 3 checked pairs contradict it</failure>
    </testcase>
  </testsuite>
  <testsuite name="lints" tests="2" failures="1" errors="0" skipped="0">
    <testcase classname="netproof.lints.NP001" name="NP001 undeclared-network shop/p">
      <failure type="NP001" message="network &quot;blue&quot; &lt;undeclared&gt; &amp; ignored">error NP001 undeclared-network shop/p: network &quot;blue&quot; &lt;undeclared&gt; &amp; ignored</failure>
    </testcase>
    <testcase classname="netproof.lints.NP005" name="NP005 egress-deny-without-dns shop/api">
      <system-out>warning NP005 egress-deny-without-dns shop/api: no DNS</system-out>
    </testcase>
  </testsuite>
</testsuites>
`);
  });

  test('a problem without counterexamples is the failure message; line breaks in attributes are kept as references', () => {
    const xml = renderJunit({ intents: [{ name: 'n', result: result('t', false, 'x matches nothing\nDeclare it') }], findings: [] });
    expect(xml).toContain('<failure type="intent-violated" message="x matches nothing&#10;Declare it">');
    expect(xml).toContain('<testsuite name="lints" tests="0" failures="0" errors="0" skipped="0">\n  </testsuite>');
  });
});

describe('netproof verify --format junit', () => {
  test('each intent of the file is a test case; the violated one carries its counterexample; exit 1', async () => {
    const r = await run(['verify', ...FIXTURE, '--format', 'junit']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout.match(/<testcase classname="netproof.intents" name="[^"]*"/g)).toEqual([
      '<testcase classname="netproof.intents" name="frontend reaches backend"',
      '<testcase classname="netproof.intents" name="default frontend reaches redis"',
      '<testcase classname="netproof.intents" name="office is kept out of redis"',
      '<testcase classname="netproof.intents" name="backend is isolated"',
      '<testcase classname="netproof.intents" name="only frontends and myproject reach redis"',
    ]);
    expect(r.stdout).toContain('<testsuite name="intents" tests="5" failures="1" errors="0" skipped="0">');
    expect(r.stdout).toContain('shop/backend -&gt; default/db on TCP 6379 (network default, dataplane upstream): ALLOWED');
    expect(r.stdout).toContain('<testsuite name="lints" tests="3" failures="0" errors="0" skipped="0">');
  });
});
