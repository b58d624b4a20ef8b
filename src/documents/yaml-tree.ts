/**
 * @module documents/yaml-tree — checks on the `yaml` syntax tree before it becomes data, in one
 * linear walk: duplicate mapping keys (with a set per mapping; the parser's own check compares
 * every key with every earlier one, which took seconds on mappings with tens of thousands of
 * keys), aliases that repeat their own ancestor (a cycle the data could never be walked through),
 * and how many nodes aliases add when expanded (an alias bomb of a few hundred bytes repeats
 * itself into billions). Each anchored node's size is computed once, so the walk stays linear
 * however the aliases multiply.
 */
import { isAlias, isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import { limitHint, type LoadLimits } from './limits.ts';
import type { YamlIssue } from './yaml-issue.ts';

/** Stops the walk at the first alias problem. */
class Stop {
  constructor(readonly issue: YamlIssue) {}
}

/** Duplicate keys (all of them) and the first alias problem, in document order. */
export function checkTree(root: Node | null, limits: LoadLimits, lines: LineCounter): YamlIssue[] {
  const issues: YamlIssue[] = [];
  const anchors = new Map<string, Node>();
  const sizes = new Map<Node, number>();
  const open = new Set<Node>();
  let added = 0;

  const at = (node: unknown): { line: number; column: number } => {
    const offset = (node as Node | null)?.range?.[0] ?? 0;
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };

  const size = (node: unknown): number => {
    if (!node || typeof node !== 'object') return 0;
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      // An alias to no anchor is a parser error already.
      if (!target) return 1;
      if (open.has(target))
        throw new Stop({
          code: 'YAML_ALIAS_CYCLE',
          message: `alias *${node.source} repeats a node that contains it, so its data would never end`,
          ...at(node),
          hint: `an alias may only repeat a node that is complete before it; move *${node.source} out of &${node.source}`,
        });
      const s = sizes.get(target) ?? 1;
      added += s;
      if (added > limits.maxAliasNodes)
        throw new Stop({
          code: 'YAML_ALIAS_EXPANSION',
          message: `aliases would expand this file by more than ${limits.maxAliasNodes} nodes (an alias bomb?)`,
          ...at(node),
          hint: limitHint('maxAliasNodes', limits),
        });
      return s;
    }
    const anchor = (node as Node).anchor;
    if (anchor) {
      anchors.set(anchor, node as Node);
      open.add(node as Node);
    }
    let total = 1;
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (isScalar(pair.key)) {
          const key = String(pair.key.value);
          if (seen.has(key))
            issues.push({
              code: 'YAML_DUPLICATE_KEY',
              message: `Map keys must be unique: '${key.length > 60 ? `${key.slice(0, 60)}…` : key}' appears more than once`,
              ...at(pair.key),
            });
          seen.add(key);
        }
        total += size(pair.key) + size(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) total += size(item);
    }
    if (anchor) {
      open.delete(node as Node);
      sizes.set(node as Node, total);
    }
    return total;
  };

  try {
    size(root);
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
    issues.push(err.issue);
  }
  return issues;
}
