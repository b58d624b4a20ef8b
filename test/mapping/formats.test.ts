/**
 * @module test/mapping/formats — upstream body conversion contracts: each format read into the JSON tree output
 * mappings use.
 */

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYamlText } from 'yaml';
import { GatewayError } from '../../src/common/errors.ts';
import { checkOutputSchema, isRawFormat, parseBody, RAW_FORMATS, type RawFormat } from '../../src/mapping/formats.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shared = path.resolve(repoRoot, '../shared');

/** Run parseBody expecting a GatewayError; returns it. */
function formatFailure(format: RawFormat, body: string): GatewayError {
  try {
    parseBody(format, body);
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError);
    const g = err as GatewayError;
    expect(g.code).toBe('UPSTREAM_FORMAT');
    expect(g.status).toBe(502);
    expect(g.details).toEqual({ format });
    expect(g.message).toContain(format);
    return g;
  }
  throw new Error(`expected ${format} body to be rejected`);
}

describe('format labels', () => {
  it('lists exactly the supported raw formats', () => {
    expect([...RAW_FORMATS].sort()).toEqual(['csv', 'html', 'json', 'markdown', 'psv', 'text', 'tsv', 'xml', 'yaml']);
  });

  it('isRawFormat accepts known labels only', () => {
    expect(isRawFormat('xml')).toBe(true);
    expect(isRawFormat('markdown')).toBe(true);
    expect(isRawFormat('avro')).toBe(false);
    expect(isRawFormat('JSON')).toBe(false);
  });
});

describe('json', () => {
  it('parses the body as is', () => {
    expect(parseBody('json', '{"a":[1,true,null],"b":"x"}')).toEqual({ a: [1, true, null], b: 'x' });
    expect(parseBody('json', '42')).toBe(42);
  });

  it('treats an empty body as no value', () => {
    expect(parseBody('json', '')).toBeUndefined();
    expect(parseBody('json', '  \n')).toBeUndefined();
  });

  it('rejects malformed json without echoing a large body', () => {
    const secretish = `{"token": "${'s'.repeat(500)}"`;
    const err = formatFailure('json', secretish);
    expect(err.message.length).toBeLessThan(160);
  });
});

describe('text', () => {
  it('returns the body string itself', () => {
    expect(parseBody('text', '  hello\n')).toBe('  hello\n');
  });
});

describe('xml', () => {
  const many = '<?xml version="1.0"?><vessels><vessel><code>A</code></vessel><vessel><code>B</code></vessel></vessels>';
  const one = '<vessels><vessel><code>B</code></vessel></vessels>';

  it('drops the root element and turns repeated siblings into an array (S24, many)', () => {
    expect(parseBody('xml', many)).toEqual({ vessel: [{ code: 'A' }, { code: 'B' }] });
  });

  it('keeps the reference shape for a single element without arrayPaths (S24, one)', () => {
    expect(parseBody('xml', one)).toEqual({ vessel: { code: 'B' } });
  });

  it('makes arrayPaths elements arrays even with one element', () => {
    const arrayPaths = new Set(['vessel']);
    expect(parseBody('xml', one, { arrayPaths })).toEqual({ vessel: [{ code: 'B' }] });
    expect(parseBody('xml', many, { arrayPaths })).toEqual({ vessel: [{ code: 'A' }, { code: 'B' }] });
  });

  it('supports nested arrayPaths and yields [] when the list is empty', () => {
    const arrayPaths = new Set(['fleet.vessel']);
    expect(parseBody('xml', '<r><fleet><vessel>x</vessel></fleet></r>', { arrayPaths })).toEqual({
      fleet: { vessel: ['x'] },
    });
    expect(parseBody('xml', '<r><fleet></fleet></r>', { arrayPaths })).toEqual({ fleet: { vessel: [] } });
    expect(parseBody('xml', '<vessels/>', { arrayPaths: new Set(['vessel']) })).toEqual({ vessel: [] });
  });

  it('does not apply an arrayPath to a same-named element elsewhere', () => {
    const tree = parseBody('xml', '<r><vessel>a</vessel><dock><vessel>b</vessel></dock></r>', {
      arrayPaths: new Set(['vessel']),
    });
    expect(tree).toEqual({ vessel: ['a'], dock: { vessel: 'b' } });
  });

  it('keeps all leaf values as strings', () => {
    expect(parseBody('xml', '<v><year>1999</year><ok>true</ok><code>007</code><e/></v>')).toEqual({
      year: '1999',
      ok: 'true',
      code: '007',
      e: '',
    });
  });

  it('turns attributes into unprefixed string fields; a child element wins a name clash', () => {
    const tree = parseBody('xml', '<v count="2"><ship id="7" code="attr"><code>child</code></ship></v>');
    expect(tree).toEqual({ count: '2', ship: { id: '7', code: 'child' } });
  });

  it('puts text next to attributes under the "" key', () => {
    expect(parseBody('xml', '<v><name lang="en">Aurora</name></v>')).toEqual({ name: { lang: 'en', '': 'Aurora' } });
  });

  it('decodes standard entities and CDATA, drops namespace prefixes and comments', () => {
    const tree = parseBody(
      'xml',
      '<ns:v xmlns:ns="urn:x"><ns:a>x &amp; y</ns:a><!-- note --><b><![CDATA[1 < 2]]></b></ns:v>',
    );
    expect(tree).toEqual({ a: 'x & y', b: '1 < 2' });
  });

  it('returns the text of a text-only root', () => {
    expect(parseBody('xml', '<msg>hello</msg>')).toBe('hello');
  });

  it('refuses entity declarations (no entity expansion)', () => {
    const bomb = '<!DOCTYPE a [<!ENTITY x "xxxxxxxxxx"><!ENTITY y "&x;&x;&x;&x;&x;">]><a>&y;&y;</a>';
    expect(formatFailure('xml', bomb).message).toContain('entity');
  });

  it.each([
    ['unclosed tag', '<a><b></a>'],
    ['not xml', 'plain words'],
    ['two roots', '<a>1</a><b>2</b>'],
  ])('rejects malformed xml: %s', (_why, body) => {
    formatFailure('xml', body);
  });
});

describe('yaml', () => {
  it('parses with types kept', () => {
    expect(parseBody('yaml', 'a: 1\nb: true\nc: [x, 2]\nd: null\n')).toEqual({ a: 1, b: true, c: ['x', 2], d: null });
  });

  it('treats an empty body as no value', () => {
    expect(parseBody('yaml', '')).toBeUndefined();
  });

  it('rejects multiple documents', () => {
    expect(formatFailure('yaml', 'a: 1\n---\nb: 2\n').message).toContain('multiple documents are not supported');
  });

  it('rejects malformed yaml and duplicate keys', () => {
    formatFailure('yaml', 'a: [1, 2\n');
    formatFailure('yaml', 'a: 1\na: 2\n');
  });

  it('stops alias bombs', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) {
      const prev = `*a${i - 1}`;
      lines.push(`a${i}: &a${i} [${Array(10).fill(prev).join(', ')}]`);
    }
    formatFailure('yaml', lines.join('\n'));
  });
});

describe('delimited formats (S25)', () => {
  const output = [
    { id: '1', name: 'Ann' },
    { id: '2', name: 'Bo' },
  ];

  it.each([
    ['csv', 'id,name\n1,Ann\n2,Bo\n'],
    ['tsv', 'id\tname\n1\tAnn\n2\tBo\n'],
    ['psv', 'id|name\n1|Ann\n2|Bo\n'],
  ] as const)('%s: header row → array of string-valued objects', (format, body) => {
    expect(parseBody(format, body)).toEqual(output);
  });

  it('pads ragged rows with "" and ignores extra cells', () => {
    expect(parseBody('csv', 'a,b,c\n1\n1,2,3,4\n')).toEqual([
      { a: '1', b: '', c: '' },
      { a: '1', b: '2', c: '3' },
    ]);
  });

  it('handles quotes, embedded delimiters, CRLF, a BOM and blank lines', () => {
    expect(parseBody('csv', '\uFEFFname,note\r\n"Smith, J","said ""hi"""\r\n\r\nBo,x\r\n')).toEqual([
      { name: 'Smith, J', note: 'said "hi"' },
      { name: 'Bo', note: 'x' },
    ]);
  });

  it('keeps numbers and values as strings, untrimmed', () => {
    expect(parseBody('psv', 'n|v\n007| 1.5 \n')).toEqual([{ n: '007', v: ' 1.5 ' }]);
  });

  it('returns [] for an empty body or a header alone', () => {
    expect(parseBody('csv', '')).toEqual([]);
    expect(parseBody('tsv', 'a\tb\n')).toEqual([]);
  });

  it('rejects an unclosed quote', () => {
    formatFailure('csv', 'a,b\n"1,2\n');
  });
});

describe('html', () => {
  const page = `
    <html><body>
      <table id="ships">
        <thead><tr><th>Name</th><th>Flag</th></tr></thead>
        <tbody>
          <tr><td> Aurora </td><td>GB</td></tr>
          <tr><td>Bo &amp;
              Co</td></tr>
          <tr><th colspan="2">Subtotal</th></tr>
        </tbody>
      </table>
      <table class="nohead"><tr><td>x</td></tr></table>
      <div class="crew">
        <table><tr><th>Who</th></tr><tr><td>Ann</td></tr></table>
      </div>
    </body></html>`;

  it('reads every table with a header row; cells trimmed, missing cells "" and th rows skipped', () => {
    expect(parseBody('html', page)).toEqual({
      tables: [
        [
          { Name: 'Aurora', Flag: 'GB' },
          { Name: 'Bo & Co', Flag: '' },
        ],
        [{ Who: 'Ann' }],
      ],
    });
  });

  it('outputSchema (CSS selector) scopes the tables read, directly or through a container', () => {
    expect(parseBody('html', page, { outputSchema: '#ships' })).toEqual({
      tables: [
        [
          { Name: 'Aurora', Flag: 'GB' },
          { Name: 'Bo & Co', Flag: '' },
        ],
      ],
    });
    expect(parseBody('html', page, { outputSchema: 'div.crew' })).toEqual({ tables: [[{ Who: 'Ann' }]] });
    expect(parseBody('html', page, { outputSchema: '.absent' })).toEqual({ tables: [] });
  });

  it('does not mix rows of a nested table into its parent', () => {
    const nested =
      '<table><tr><th>Outer</th></tr><tr><td>o1<table><tr><th>In</th></tr><tr><td>i1</td></tr></table></td></tr></table>';
    const tree = parseBody('html', nested, { outputSchema: 'table' }) as { tables: unknown[][] };
    expect(tree.tables).toHaveLength(2);
    expect(tree.tables[1]).toEqual([{ In: 'i1' }]);
    expect(tree.tables[0]).toHaveLength(1);
  });

  it('returns no tables for a page without any', () => {
    expect(parseBody('html', '<p>nothing</p>')).toEqual({ tables: [] });
  });

  it('checkOutputSchema reports a bad selector at load time', () => {
    expect(checkOutputSchema('html', 'table.ok')).toBeUndefined();
    expect(checkOutputSchema('html', '%%%')).toContain('invalid CSS selector');
    expect(checkOutputSchema('markdown', 'Any')).toBeUndefined();
  });
});

describe('markdown', () => {
  const md = [
    '---',
    'title: Fleet report',
    'version: 2',
    '---',
    'Intro text before any heading.',
    '',
    '# Overview',
    '',
    'The fleet is **large** and has a [site](http://x).',
    'Second line of the paragraph.',
    '',
    'Another `paragraph`.',
    '',
    '## Ships',
    '',
    '| Name | Flag |',
    '|:-----|-----:|',
    '| Aurora | GB |',
    '| Bo \\| Co |',
    '',
    'After the table.',
    '',
    '## Crew ##',
    '- Ann',
    '- Bo',
    '',
    '```',
    '# not a heading',
    '```',
    '### Notes',
  ].join('\n');

  it('returns front matter, tables and sections', () => {
    expect(parseBody('markdown', md)).toEqual({
      frontMatter: { title: 'Fleet report', version: 2 },
      tables: [
        [
          { Name: 'Aurora', Flag: 'GB' },
          { Name: 'Bo | Co', Flag: '' },
        ],
      ],
      sections: [
        {
          heading: 'Overview',
          level: 1,
          content: 'The fleet is large and has a site. Second line of the paragraph.\n\nAnother paragraph.',
        },
        { heading: 'Ships', level: 2, content: 'After the table.' },
        { heading: 'Crew', level: 2, content: 'Ann\n\nBo\n\n# not a heading' },
        { heading: 'Notes', level: 3, content: '' },
      ],
    });
  });

  it('outputSchema filters sections by heading prefix', () => {
    const tree = parseBody('markdown', md, { outputSchema: 'Cr' }) as {
      sections: Array<{ heading: string }>;
      tables: unknown[];
    };
    expect(tree.sections.map((s) => s.heading)).toEqual(['Crew']);
    expect(tree.tables).toHaveLength(1);
  });

  it('has an empty front matter when there is none', () => {
    expect(parseBody('markdown', '# Only\ntext')).toEqual({
      frontMatter: {},
      tables: [],
      sections: [{ heading: 'Only', level: 1, content: 'text' }],
    });
  });

  it('does not take "#tag" (no space) or a lone pipe line for structure', () => {
    expect(parseBody('markdown', '# H\n#tag a | b\nplain')).toEqual({
      frontMatter: {},
      tables: [],
      sections: [{ heading: 'H', level: 1, content: '#tag a | b plain' }],
    });
  });

  it('rejects malformed front matter', () => {
    formatFailure('markdown', '---\na: [1\n---\n# H\n');
  });
});

describe.skipIf(!existsSync(shared))('xml from the reference legacy dockyard mock (needs /work/shared)', () => {
  const mockPath = path.join(shared, 'reference/naftiko/mocks/naftiko-shipyard-legacy-dockyard-api.yaml');

  it('parses the one- and many-vessel examples; arrayPaths makes both lists', () => {
    const spec = parseYamlText(readFileSync(mockPath, 'utf8')) as {
      paths: Record<
        string,
        {
          get: {
            responses: Record<string, { content: Record<string, { examples: Record<string, { value: string }> }> }>;
          };
        }
      >;
    };
    const examples = spec.paths['/vessels']!.get.responses['200']!.content['application/xml']!.examples;
    const all = parseBody('xml', examples['allVessels']!.value) as { vessel: unknown };
    const active = parseBody('xml', examples['?status=active']!.value) as { vessel: unknown };
    expect(Array.isArray(all.vessel)).toBe(true);
    expect(Array.isArray(active.vessel)).toBe(false); // reference defect reproduced without arrayPaths
    const fixed = parseBody('xml', examples['?status=active']!.value, { arrayPaths: new Set(['vessel']) }) as {
      vessel: Array<Record<string, string>>;
    };
    expect(fixed.vessel).toHaveLength(1);
    expect(fixed.vessel[0]!['vesselCode']).toBe('LEGACY-4012');
  });
});
