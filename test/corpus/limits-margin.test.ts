/**
 * The loader's limits must sit far above anything real files need: measure the real corpus
 * (size, nesting depth, anchors, aliases, nodes) and require a wide margin under each default
 * limit, and no corpus file may hit a limit problem.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { load, CORE_SCHEMA, type LoadOptions } from 'js-yaml';
import { Lexer, CST } from 'yaml';
import { expandPaths } from '../../src/documents/files.ts';
import { loadCapabilities } from '../../src/documents/index.ts';
import { DEFAULT_LOAD_LIMITS } from '../../src/documents/limits.ts';

const corpus = path.resolve(import.meta.dirname, '../../../shared/corpus');
const LIMIT_CODES =
  /^(FILE_TOO_LARGE|FILE_NOT_REGULAR|YAML_TOO_DEEP|YAML_TOO_MANY_ANCHORS|YAML_TOO_MANY_ALIASES|YAML_ALIAS_EXPANSION|YAML_ALIAS_CYCLE)$/;

describe.skipIf(!existsSync(corpus))('loader limits against the real corpus (skipped when ../shared is absent)', () => {
  it('every maximum is far below its limit, and no file hits one', async () => {
    const { files } = await expandPaths([corpus]);
    const max = { bytes: 0, depth: 0, anchors: 0, aliases: 0, nodes: 0 };
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      max.bytes = Math.max(max.bytes, Buffer.byteLength(text));
      let depth = 0;
      let nodes = 0;
      const listener = (event: string) => {
        if (event === 'open') {
          nodes++;
          max.depth = Math.max(max.depth, ++depth);
        } else depth--;
      };
      load(text, { schema: CORE_SCHEMA, listener } as LoadOptions);
      max.nodes = Math.max(max.nodes, nodes);
      let anchors = 0;
      let aliases = 0;
      for (const token of new Lexer().lex(text)) {
        const type = CST.tokenType(token);
        if (type === 'anchor') anchors++;
        else if (type === 'alias') aliases++;
      }
      max.anchors = Math.max(max.anchors, anchors);
      max.aliases = Math.max(max.aliases, aliases);
    }
    console.log(
      `corpus maxima over ${files.length} files: ${JSON.stringify(max)}; limits: ${JSON.stringify(DEFAULT_LOAD_LIMITS)}`,
    );
    // The largest known real file (left out of the corpus) is 1.1 MB; the limit is 4 MiB.
    expect(max.bytes * 30).toBeLessThan(DEFAULT_LOAD_LIMITS.maxFileBytes);
    expect(max.depth * 4).toBeLessThan(DEFAULT_LOAD_LIMITS.maxDepth);
    expect(max.anchors * 10).toBeLessThan(DEFAULT_LOAD_LIMITS.maxAnchors);
    expect(max.aliases * 10).toBeLessThan(DEFAULT_LOAD_LIMITS.maxAliases);
    // Aliases could at most repeat a whole real file's nodes many times over before the limit.
    expect(max.nodes * 10).toBeLessThan(DEFAULT_LOAD_LIMITS.maxAliasNodes);

    const { documents } = await loadCapabilities([corpus]);
    const hits = documents.flatMap((d) => d.sink.problems).filter((p) => LIMIT_CODES.test(p.code));
    expect(hits).toEqual([]);
  }, 120_000);
});
