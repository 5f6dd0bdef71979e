/**
 * Shopify's search syntax for the `query:` argument of connections, as far as the app uses it:
 * `field:value`, comparisons `field:>v`, `field:>=v`, `field:<v`, `field:<=v`, negation with
 * `-field:value` or `NOT`, `AND` (also implied by a space), `OR`, parentheses, quoted values,
 * and `*` as a trailing wildcard. Bare words search the resource's default text fields.
 * Source: "Shopify API search syntax", https://shopify.dev/docs/api/usage/search-syntax.
 */

export type SearchNode =
  | { kind: "and"; nodes: SearchNode[] }
  | { kind: "or"; nodes: SearchNode[] }
  | { kind: "not"; node: SearchNode }
  | { kind: "term"; field: string | null; op: ":" | ">" | ">=" | "<" | "<="; value: string };

type Token = { type: "word"; text: string } | { type: "lparen" } | { type: "rparen" };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const char = input[i]!;
    if (/\s/.test(char)) {
      i++;
      continue;
    }
    if (char === "(") {
      tokens.push({ type: "lparen" });
      i++;
      continue;
    }
    if (char === ")") {
      tokens.push({ type: "rparen" });
      i++;
      continue;
    }
    let text = "";
    while (i < input.length && !/\s/.test(input[i]!) && input[i] !== "(" && input[i] !== ")") {
      if (input[i] === '"' || input[i] === "'") {
        const quote = input[i]!;
        i++;
        while (i < input.length && input[i] !== quote) {
          if (input[i] === "\\" && i + 1 < input.length) i++;
          text += input[i]!;
          i++;
        }
        i++;
      } else {
        text += input[i]!;
        i++;
      }
    }
    tokens.push({ type: "word", text });
  }
  return tokens;
}

function parseTerm(text: string): SearchNode {
  const negated = text.startsWith("-") && text.length > 1;
  const body = negated ? text.slice(1) : text;
  const match = /^([A-Za-z_][\w.]*):(>=|<=|>|<)?(.*)$/.exec(body);
  const term: SearchNode = match
    ? {
        kind: "term",
        field: match[1]!.toLowerCase(),
        op: (match[2] as ">" | ">=" | "<" | "<=" | undefined) ?? ":",
        value: match[3]!,
      }
    : { kind: "term", field: null, op: ":", value: body };
  return negated ? { kind: "not", node: term } : term;
}

export function parseSearch(input: string | null | undefined): SearchNode | null {
  if (!input || !input.trim()) return null;
  const tokens = tokenize(input);
  let position = 0;

  function parseOr(): SearchNode {
    const nodes = [parseAnd()];
    while (tokens[position]?.type === "word" && (tokens[position] as { text: string }).text === "OR") {
      position++;
      nodes.push(parseAnd());
    }
    return nodes.length === 1 ? nodes[0]! : { kind: "or", nodes };
  }

  function parseAnd(): SearchNode {
    const nodes: SearchNode[] = [];
    for (;;) {
      const token = tokens[position];
      if (!token || token.type === "rparen") break;
      if (token.type === "word" && token.text === "OR") break;
      if (token.type === "word" && token.text === "AND") {
        position++;
        continue;
      }
      nodes.push(parseUnary());
    }
    return nodes.length === 1 ? nodes[0]! : { kind: "and", nodes };
  }

  function parseUnary(): SearchNode {
    const token = tokens[position]!;
    if (token.type === "word" && token.text === "NOT") {
      position++;
      return { kind: "not", node: parseUnary() };
    }
    if (token.type === "lparen") {
      position++;
      const inner = parseOr();
      if (tokens[position]?.type === "rparen") position++;
      return inner;
    }
    position++;
    return parseTerm((token as { text: string }).text);
  }

  return parseOr();
}

/** How to read one searchable field of a record: text, number, date or boolean. */
export type FieldReader<R> = (
  record: R,
) => string | number | boolean | Date | null | undefined | (string | null)[];

export interface SearchFields<R> {
  fields: Record<string, FieldReader<R>>;
  /** Fields a bare word matches. */
  defaultFields: string[];
}

function compare(actual: string | number | boolean | Date, op: string, raw: string): boolean {
  if (
    actual instanceof Date ||
    (typeof actual === "string" && /^\d{4}-\d{2}-\d{2}/.test(actual) && /^\d{4}-\d{2}-\d{2}/.test(raw))
  ) {
    const left = actual instanceof Date ? actual.getTime() : Date.parse(actual);
    const right = Date.parse(raw.replace(/^'|'$/g, ""));
    if (Number.isNaN(right)) return false;
    return numeric(left, op, right);
  }
  if (typeof actual === "number") {
    const right = Number(raw);
    return Number.isFinite(right) && numeric(actual, op, right);
  }
  if (typeof actual === "boolean") return op === ":" && String(actual) === raw.toLowerCase();
  const left = actual.toLowerCase();
  const right = raw.toLowerCase();
  if (op !== ":") return numeric(left.localeCompare(right), op, 0);
  if (right.endsWith("*")) return left.startsWith(right.slice(0, -1));
  return left === right;
}

function numeric(left: number, op: string, right: number): boolean {
  switch (op) {
    case ">":
      return left > right;
    case ">=":
      return left >= right;
    case "<":
      return left < right;
    case "<=":
      return left <= right;
    default:
      return left === right;
  }
}

function matchesTerm<R>(
  record: R,
  term: Extract<SearchNode, { kind: "term" }>,
  spec: SearchFields<R>,
): boolean {
  const fields = term.field ? [term.field] : spec.defaultFields;
  return fields.some((field) => {
    const reader = spec.fields[field];
    if (!reader) return false; // Shopify ignores unknown fields' terms as matching nothing
    const value = reader(record);
    if (value === null || value === undefined)
      return term.value === "" || term.value.toLowerCase() === "null";
    if (Array.isArray(value))
      return value.some((item) => item !== null && compare(item, term.op, term.value));
    if (!term.field && typeof value === "string")
      return value.toLowerCase().includes(term.value.toLowerCase().replace(/\*$/, ""));
    return compare(value, term.op, term.value);
  });
}

export function matches<R>(record: R, node: SearchNode | null, spec: SearchFields<R>): boolean {
  if (!node) return true;
  switch (node.kind) {
    case "and":
      return node.nodes.every((child) => matches(record, child, spec));
    case "or":
      return node.nodes.some((child) => matches(record, child, spec));
    case "not":
      return !matches(record, node.node, spec);
    case "term":
      return matchesTerm(record, node, spec);
  }
}

/** Shopify's `tag_not:x` is `-tag:x`; the shared parser knows the latter. */
export function withTagNot(query: string | null | undefined): string | null | undefined {
  return query?.replace(/(^|\s)tag_not:/g, "$1-tag:");
}

export function search<R>(
  records: Iterable<R>,
  query: string | null | undefined,
  spec: SearchFields<R>,
): R[] {
  const node = parseSearch(query);
  return [...records].filter((record) => matches(record, node, spec));
}
