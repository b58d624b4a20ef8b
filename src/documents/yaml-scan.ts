/**
 * @module documents/yaml-scan — a cheap pass over the YAML tokens before the full parser builds a
 * syntax tree: it counts anchors and aliases and estimates the nesting depth, and stops at the
 * first token over a limit. The `yaml` parser's time and memory grow faster than the input on
 * deep nesting (a million nested `[` took 30 s and 1.2 GB) and with many anchors and aliases, so
 * these limits are checked on the tokens, which the lexer produces in linear time, before parsing.
 */
import { CST, Lexer } from 'yaml';
import { limitHint, type LoadLimits } from './limits.ts';
import type { YamlIssue } from './yaml-issue.ts';

interface Open {
  readonly col: number;
  /** A block sequence: a `-` at the same column is a sibling item, not a child. */
  readonly seq: boolean;
}

/**
 * The first limit the text breaks, located at the token that broke it; undefined when none.
 * The depth is an estimate that never falls short of the real one by more than one level: block
 * collections nest by indentation (a stack of columns, as the parser keeps), flow collections by
 * their brackets, and a scalar counts as one level, as in js-yaml.
 */
export function scanYaml(text: string, limits: LoadLimits): YamlIssue | undefined {
  const block: Open[] = [];
  let flow = 0;
  let anchors = 0;
  let aliases = 0;
  let line = 1;
  let col = 1;
  let scalarNext = false;
  let blockScalarBody = false;
  const deep = (depth: number, l: number, c: number): YamlIssue | undefined =>
    depth > limits.maxDepth
      ? {
          code: 'YAML_TOO_DEEP',
          message: `nesting deeper than ${limits.maxDepth} levels`,
          line: l,
          column: c,
          hint: limitHint('maxDepth', limits),
        }
      : undefined;
  /** Close the block nodes a node starting at column c ends. */
  const closeBlock = (c: number, seq: boolean): void => {
    while (block.length) {
      const top = block[block.length - 1];
      // A `-` at the column of a mapping key starts that key's sequence value (`key:\n- item`).
      if (top.col > c || (top.col === c && (!seq || top.seq))) block.pop();
      else break;
    }
  };
  /** A node starting at column c outside flow collections: its depth. */
  const blockNode = (c: number, seq: boolean): number => {
    closeBlock(c, seq);
    block.push({ col: c, seq });
    return block.length;
  };
  for (const token of new Lexer().lex(text)) {
    if (token === CST.SCALAR) {
      scalarNext = true;
      continue;
    }
    if (token === CST.DOCUMENT || token === CST.FLOW_END) continue;
    const type = scalarNext ? 'scalar' : CST.tokenType(token);
    scalarNext = false;
    const l = line;
    const c = col;
    advance(token);
    let issue: YamlIssue | undefined;
    switch (type) {
      case 'doc-start':
      case 'doc-end':
        block.length = 0;
        flow = 0;
        break;
      case 'anchor':
        if (++anchors > limits.maxAnchors)
          return {
            code: 'YAML_TOO_MANY_ANCHORS',
            message: `more than ${limits.maxAnchors} anchors (&name) in one file`,
            line: l,
            column: c,
            hint: limitHint('maxAnchors', limits),
          };
        break;
      case 'alias':
        if (++aliases > limits.maxAliases)
          return {
            code: 'YAML_TOO_MANY_ALIASES',
            message: `more than ${limits.maxAliases} aliases (*name) in one file`,
            line: l,
            column: c,
            hint: limitHint('maxAliases', limits),
          };
        issue = deep(flow ? block.length + flow + 1 : blockNode(c, false), l, c);
        break;
      case 'seq-item-ind':
        if (!flow) issue = deep(blockNode(c, true), l, c);
        break;
      case 'explicit-key-ind':
        if (!flow) issue = deep(blockNode(c, false), l, c);
        break;
      case 'flow-seq-start':
      case 'flow-map-start':
        if (!flow) closeBlock(c, false);
        flow++;
        issue = deep(block.length + flow, l, c);
        break;
      case 'flow-seq-end':
      case 'flow-map-end':
        if (flow) flow--;
        break;
      case 'block-scalar-header':
        issue = deep(blockNode(c, false), l, c);
        blockScalarBody = true;
        break;
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
        // The body of a block scalar (`|`, `>`) is the header's node, already counted.
        if (blockScalarBody && type === 'scalar') blockScalarBody = false;
        else issue = deep(flow ? block.length + flow + 1 : blockNode(c, false), l, c);
        break;
    }
    if (issue) return issue;
  }
  return undefined;

  function advance(token: string): void {
    let nl = token.indexOf('\n');
    if (nl < 0) {
      col += token.length;
      return;
    }
    let last = nl;
    while (nl >= 0) {
      line++;
      last = nl;
      nl = token.indexOf('\n', nl + 1);
    }
    col = token.length - last;
  }
}
