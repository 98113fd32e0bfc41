/**
 * A schema that refers to itself outside an object — `oneOf: [string, …, { type: array, items: self }]`,
 * JSON values as vercel.com describes them — prints as a `components.schemas` entry whose type names
 * the entry itself in a union: TypeScript refuses it (TS2502, "referenced directly or indirectly in
 * its own type annotation") because an indexed access through an interface is resolved at once.
 * A type alias may refer to itself inside arrays, tuples and object types, so such entries (every
 * entry of such a cycle) become aliases that name each other directly, and the entry names its
 * alias. A cycle through unions alone (`A = B | string`, `B = A | number`) has no TypeScript type
 * at all: reported, naming its schemas.
 */

const ENTRY_INDENT = '        ';
const REF = 'components["schemas"][';

export interface RecursiveTypes {
  /** The printed types with the aliases in place (the same text when no entry needed one). */
  types: string;
  /** Schemas in a cycle no TypeScript type can describe (unions only between them), sorted. */
  unrepresentable: string[];
}

interface Entry {
  name: string;
  /** Where the entry's type starts and ends (before its `;`) in the types text. */
  start: number;
  end: number;
}

/** Hoists the entries of `components.schemas` (between `region`'s offsets) that a cycle of unions and arrays runs through. */
export function hoistRecursiveTypes(types: string, region: [number, number]): RecursiveTypes {
  const entries = schemaEntries(types, region);
  const byName = new Map(entries.map((e) => [e.name, e]));
  // only entries that name a schema outside one object type can be part of such a cycle: the
  // others (most of them) are not scanned
  const scans = new Map(
    entries.filter((e) => !objectOnly(types, e)).map((e) => [e.name, scanRefs(types.slice(e.start, e.end))]),
  );
  const eager = (name: string) =>
    (scans.get(name)?.refs ?? []).filter((r) => !r.inObject && byName.has(r.name)).map((r) => r.name);
  const hoisted = namesInCycles([...byName.keys()], eager);
  if (!hoisted.size) return { types, unrepresentable: [] };
  // as aliases, arrays and tuples defer too: what remains is a cycle of unions alone
  const direct = (name: string) =>
    (scans.get(name)?.refs ?? []).filter((r) => !r.deferredInAlias && hoisted.has(r.name)).map((r) => r.name);
  const unrepresentable = [...namesInCycles([...hoisted], direct)].sort();
  if (unrepresentable.length) return { types, unrepresentable };

  const aliasOf = aliasNames([...hoisted].sort());
  const aliasText = (name: string) => {
    const entry = byName.get(name)!;
    const text = types.slice(entry.start, entry.end);
    let out = '';
    let at = 0;
    for (const ref of scans.get(name)!.refs) {
      if (!hoisted.has(ref.name)) continue;
      out += text.slice(at, ref.start) + aliasOf.get(ref.name)!;
      at = ref.end;
    }
    return out + text.slice(at);
  };
  let result = '';
  let at = 0;
  for (const entry of entries) {
    if (!hoisted.has(entry.name)) continue;
    result += types.slice(at, entry.start) + aliasOf.get(entry.name)!;
    at = entry.end;
  }
  result += types.slice(at);
  const declarations = [...hoisted]
    .sort()
    .map(
      (name) =>
        `/** \`components["schemas"][${JSON.stringify(name)}]\`, which refers to itself: a type alias may, an interface member may not. */${RECURSIVE_ALIAS_PREFIX}${aliasOf.get(name)!.slice('Recursive_'.length)} = ${aliasText(name)};\n`,
    )
    .join('');
  return { types: `${result.trimEnd()}\n${declarations}`, unrepresentable: [] };
}

/** Marks the types of a document with hoisted entries (the aliases' declarations begin with it). */
export const RECURSIVE_ALIAS_PREFIX = '\ntype Recursive_';

/**
 * The schemas one entry's printed lines (`        Name: type;`, doc comment included) name outside
 * object types: where a cycle that forces hoisting would have to run through.
 */
export function refsOutsideObjects(entryLines: string): string[] {
  return schemaEntries(entryLines, [0, entryLines.length]).flatMap((e) =>
    scanRefs(entryLines.slice(e.start, e.end))
      .refs.filter((r) => !r.inObject)
      .map((r) => r.name),
  );
}

/**
 * Whether an entry names no schema outside object types, seen without scanning it: it names none at
 * all, or it is one object type — printed from `{` at the end of its first line to a `}` at the
 * entries' indent on its last, with no such `}` before (which would close one part of a union).
 */
function objectOnly(types: string, entry: Entry): boolean {
  const ref = types.indexOf(REF, entry.start);
  if (ref < 0 || ref >= entry.end) return true;
  if (types[entry.start] !== '{' || types[entry.start + 1] !== '\n') return false;
  return types.indexOf(OBJECT_CLOSE, entry.start) === entry.end - OBJECT_CLOSE.length;
}

const OBJECT_CLOSE = `\n${ENTRY_INDENT}}`;

/** `Recursive_<name>`: an identifier, unique among the aliases. */
function aliasNames(names: string[]): Map<string, string> {
  const taken = new Set<string>();
  const out = new Map<string, string>();
  for (const name of names) {
    const base = `Recursive_${name.replace(/[^A-Za-z0-9_$]/g, '_')}`;
    let alias = base;
    for (let i = 2; taken.has(alias); i++) alias = `${base}_${i}`;
    taken.add(alias);
    out.set(name, alias);
  }
  return out;
}

/** The entries of `components.schemas` as openapi-typescript prints them: `        Name: type;`, doc comments between. */
function schemaEntries(types: string, [from, to]: [number, number]): Entry[] {
  const entries: Entry[] = [];
  // lines at the entries' indent that open an entry or its doc comment: an entry's text ends before the next
  const starts: { name: string; typeStart: number }[] = [];
  const boundaries: number[] = [];
  let line = from;
  while (line < to) {
    const next = types.indexOf('\n', line);
    const lineEnd = next < 0 || next > to ? to : next;
    if (types.startsWith(ENTRY_INDENT, line)) {
      const c = types[line + ENTRY_INDENT.length];
      if (c === '/') boundaries.push(line);
      else if (c !== ' ' && c !== '}' && c !== undefined) {
        const key = readKey(types, line + ENTRY_INDENT.length);
        if (key) {
          boundaries.push(line);
          starts.push({ name: key.name, typeStart: key.end });
        }
      }
    }
    line = lineEnd + 1;
  }
  boundaries.push(to);
  let b = 0;
  for (const s of starts) {
    while (boundaries[b] < s.typeStart) b++;
    // the `;` that ends the entry's last line
    const end = types.lastIndexOf(';', boundaries[b]);
    if (end > s.typeStart) entries.push({ name: s.name, start: s.typeStart, end });
  }
  return entries;
}

/** A printed property key (`Name` or `"a-b"`) followed by `: `; the name and where the type begins. */
function readKey(text: string, at: number): { name: string; end: number } | undefined {
  if (text[at] === '"') {
    const close = stringEnd(text, at);
    if (text.startsWith(': ', close)) return { name: JSON.parse(text.slice(at, close)) as string, end: close + 2 };
    return undefined;
  }
  const colon = text.indexOf(': ', at);
  const newline = text.indexOf('\n', at);
  if (colon < 0 || (newline >= 0 && newline < colon)) return undefined;
  return { name: text.slice(at, colon), end: colon + 2 };
}

/** The index just past the string literal that starts at `at` (a `"` or `'`). */
function stringEnd(text: string, at: number): number {
  const quote = text[at];
  let i = at + 1;
  while (i < text.length && text[i] !== quote) i += text[i] === '\\' ? 2 : 1;
  return i + 1;
}

interface Ref {
  name: string;
  start: number;
  end: number;
  /** Inside an object type (`{ … }`): deferred even through an interface. */
  inObject: boolean;
  /** Inside an object type, a tuple, an array (`X[]`, `(A | B)[]`) or `Array<…>`: deferred in a type alias. */
  deferredInAlias: boolean;
}

/** The references to component schemas in a printed type, with the kind of position each is in. */
function scanRefs(text: string): { refs: Ref[] } {
  const refs: (Ref & { groups: number[] })[] = [];
  const stack: { char: string; id: number; deferring: boolean }[] = [];
  const arrayedGroups = new Set<number>();
  let ids = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"' || c === "'") {
      i = stringEnd(text, i);
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 2;
      continue;
    }
    if (text.startsWith(REF, i) && text[i + REF.length] === '"') {
      const nameEnd = stringEnd(text, i + REF.length);
      let end = nameEnd + 1; // past `]`
      // a property of the schema (`…["X"]["field"]`) is a reference to the schema all the same
      while (text.startsWith('["', end)) end = stringEnd(text, end + 1) + 1;
      const inObject = stack.some((s) => s.char === '{');
      refs.push({
        name: JSON.parse(text.slice(i + REF.length, nameEnd)) as string,
        start: i,
        end,
        inObject,
        deferredInAlias: inObject || stack.some((s) => s.deferring) || text.startsWith('[]', end),
        groups: stack.filter((s) => s.char === '(').map((s) => s.id),
      });
      i = end;
      continue;
    }
    if (c === '{' || c === '(' || c === '[' || c === '<') {
      // a tuple, or the type arguments of Array: deferred in an alias (Record and other aliases are not)
      const deferring =
        c === '['
          ? text[i + 1] !== ']'
          : c === '<' && /(?:^|[^A-Za-z0-9_$])(?:Readonly)?Array$/.test(text.slice(Math.max(0, i - 14), i));
      stack.push({ char: c, id: ids++, deferring });
    } else if (c === '}' || c === ')' || c === ']' || (c === '>' && stack.at(-1)?.char === '<')) {
      const open = stack.pop();
      if (open?.char === '(' && text.startsWith('[]', i + 1)) arrayedGroups.add(open.id);
    }
    i++;
  }
  return {
    refs: refs.map(({ groups, ...ref }) => ({
      ...ref,
      deferredInAlias: ref.deferredInAlias || groups.some((g) => arrayedGroups.has(g)),
    })),
  };
}

/** The nodes that lie on a cycle of `edges` (Tarjan's strongly connected components, iteratively). */
export function namesInCycles(nodes: string[], edges: (node: string) => string[]): Set<string> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const inCycles = new Set<string>();
  let counter = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: { node: string; next: string[]; i: number }[] = [];
    const enter = (node: string) => {
      index.set(node, counter);
      low.set(node, counter++);
      stack.push(node);
      onStack.add(node);
      work.push({ node, next: edges(node), i: 0 });
    };
    enter(root);
    while (work.length) {
      const top = work.at(-1)!;
      if (top.i < top.next.length) {
        const to = top.next[top.i++];
        if (!index.has(to)) enter(to);
        else if (onStack.has(to)) low.set(top.node, Math.min(low.get(top.node)!, index.get(to)!));
        continue;
      }
      work.pop();
      if (work.length) low.set(work.at(-1)!.node, Math.min(low.get(work.at(-1)!.node)!, low.get(top.node)!));
      if (low.get(top.node) !== index.get(top.node)) continue;
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== top.node);
      if (component.length > 1 || top.next.includes(top.node)) for (const m of component) inCycles.add(m);
    }
  }
  return inCycles;
}
