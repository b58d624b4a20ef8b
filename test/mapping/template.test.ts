import { describe, expect, it } from 'vitest';
import {
  compileTemplate,
  pathSegmentEncoder,
  renderTemplate,
  textEncoder,
  xmlEncoder,
} from '../../src/mapping/template.ts';
import { compileJsonTemplate, renderJsonTemplate } from '../../src/mapping/json-template.ts';

const lookupOf = (o: Record<string, unknown>) => (n: string) => o[n];

describe('compileTemplate / renderTemplate', () => {
  it('finds {{x}} placeholders, each variable once, and {x} only with singleBrace', () => {
    const t = compileTemplate('/a/{{x}}/{{ y }}/{{x}}/{z}');
    expect(t.vars).toEqual(['x', 'y']);
    expect(t.constant).toBe(false);
    expect(compileTemplate('/a/{z}', { singleBrace: true }).vars).toEqual(['z']);
    expect(compileTemplate('plain').constant).toBe(true);
  });

  it('reports missing values instead of guessing, rendering them empty', () => {
    const r = renderTemplate(compileTemplate('{{a}}-{{b}}'), lookupOf({ a: 1 }));
    expect(r).toEqual({ text: '1-', missing: ['b'] });
  });

  it('renders objects and arrays as JSON with the text encoder', () => {
    expect(renderTemplate(compileTemplate('{{a}}|{{b}}'), lookupOf({ a: [1, 'x'], b: { k: true } })).text).toBe(
      '[1,"x"]|{"k":true}',
    );
    expect(textEncoder(null, { name: 'x', index: 0 }, compileTemplate(''))).toBe('');
  });

  it('the path encoder keeps a value inside one segment', () => {
    const t = compileTemplate('/ships/{{id}}');
    const render = (id: unknown) => renderTemplate(t, () => id, pathSegmentEncoder).text;
    expect(render('a/b')).toBe('/ships/a%2Fb');
    expect(render('x?y#z')).toBe('/ships/x%3Fy%23z');
    expect(render('../etc')).toBe('/ships/..%2Fetc');
    expect(render('..')).toBe('/ships/%2E%2E');
    expect(render('a b')).toBe('/ships/a%20b');
  });

  it('the XML encoder escapes markup', () => {
    expect(renderTemplate(compileTemplate('<n>{{v}}</n>'), () => `<a href="x">&'`, xmlEncoder).text).toBe(
      '<n>&lt;a href=&quot;x&quot;&gt;&amp;&apos;</n>',
    );
  });
});

describe('JSON body templates', () => {
  const jt = compileJsonTemplate('{"id":"{{id}}","note":"pre {{note}} post","tags":{{tags}},"n":{{n}}}');

  it('escapes strings where they sit and renders structures as JSON', () => {
    const out = renderJsonTemplate(jt, lookupOf({ id: 'a"b\\c', note: 'x\ny', tags: ['t1', 't2'], n: 3 }));
    expect(JSON.parse(out)).toEqual({ id: 'a"b\\c', note: 'pre x\ny post', tags: ['t1', 't2'], n: 3 });
  });

  it('a missing whole value or whole string becomes null; inside a longer string it is empty', () => {
    const out = renderJsonTemplate(jt, lookupOf({}));
    expect(JSON.parse(out)).toEqual({ id: null, note: 'pre  post', tags: null, n: null });
  });

  it('a value can never inject JSON structure', () => {
    const out = renderJsonTemplate(jt, lookupOf({ id: '","admin":true,"x":"', tags: [], n: 1 }));
    expect(JSON.parse(out)).not.toHaveProperty('admin');
    expect(JSON.parse(out).id).toBe('","admin":true,"x":"');
  });
});
