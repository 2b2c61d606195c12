/**
 * Pulls the metric names out of a PromQL expression, so tests can check that every dashboard
 * query and alert names a series the catalog exports. A small lexer, not a parser: it skips
 * strings, label matchers `{...}`, ranges and subqueries `[...]`, numbers and durations, function
 * and aggregation calls, keywords, grouping label lists (`by (...)`, `on (...)` ...) and Grafana
 * variables (`$group`, `${x}`, `$__rate_interval`). What is left is a metric name.
 */
const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'atan2',
  'bool',
  'offset',
  'inf',
  'nan',
  // Aggregations may be followed by `by (...)` before their parenthesis.
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'stddev',
  'stdvar',
  'count',
  'count_values',
  'bottomk',
  'topk',
  'quantile',
]);
const LABEL_LIST_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);

const IDENT_START = /[A-Za-z_:]/;
const IDENT_PART = /[A-Za-z0-9_:]/;

export function metricNamesInPromQL(expr: string): string[] {
  const names = new Set<string>();
  let i = 0;
  const skipSpace = () => {
    while (i < expr.length && /\s/.test(expr[i] ?? '')) i++;
  };
  while (i < expr.length) {
    const c = expr[i] ?? '';
    if (c === '"' || c === "'" || c === '`') i = skipString(expr, i);
    else if (c === '{') i = skipBalanced(expr, i, '{', '}');
    else if (c === '[') i = skipBalanced(expr, i, '[', ']');
    else if (c === '#') i = skipLine(expr, i);
    else if (c === '$') i = skipVariable(expr, i);
    else if (/[0-9.]/.test(c)) i = skipNumber(expr, i);
    else if (IDENT_START.test(c)) {
      const start = i;
      while (i < expr.length && IDENT_PART.test(expr[i] ?? '')) i++;
      const word = expr.slice(start, i);
      skipSpace();
      const next = expr[i];
      if (LABEL_LIST_KEYWORDS.has(word.toLowerCase())) {
        if (next === '(') i = skipBalanced(expr, i, '(', ')');
      } else if (next !== '(' && !KEYWORDS.has(word.toLowerCase())) {
        names.add(word);
      }
    } else i++;
  }
  return [...names];
}

function skipString(s: string, i: number): number {
  const quote = s[i];
  i++;
  while (i < s.length && s[i] !== quote) i += s[i] === '\\' && quote !== '`' ? 2 : 1;
  return i + 1;
}

function skipBalanced(s: string, i: number, open: string, close: string): number {
  let depth = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '"' || c === "'" || c === '`') {
      i = skipString(s, i);
      continue;
    }
    if (c === open) depth++;
    else if (c === close && --depth === 0) return i + 1;
    i++;
  }
  return i;
}

function skipLine(s: string, i: number): number {
  const end = s.indexOf('\n', i);
  return end === -1 ? s.length : end + 1;
}

function skipVariable(s: string, i: number): number {
  i++;
  if (s[i] === '{') return skipBalanced(s, i, '{', '}');
  while (i < s.length && /[A-Za-z0-9_]/.test(s[i] ?? '')) i++;
  return i;
}

/** Numbers, hex and durations (1e3, 0x1f, 5m, 1h30m, .5) are one token. */
function skipNumber(s: string, i: number): number {
  while (i < s.length && /[0-9A-Za-z_.]/.test(s[i] ?? '')) {
    const exponentSign = /[eE]/.test(s[i] ?? '') && /[+-]/.test(s[i + 1] ?? '');
    i += exponentSign ? 2 : 1;
  }
  return i;
}
