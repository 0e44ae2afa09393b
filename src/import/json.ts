/** Reading untrusted JSON: a clear error for a file that is too big, too deep, or not JSON. */

/** A problem with the input (not a bug): the CLI prints the message and exits 1. */
export class ImportError extends Error {
  override name = 'ImportError';
}

export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
/** Real galaxy and ETDA files nest 5 levels; anything past this is not one of them. */
export const DEFAULT_MAX_DEPTH = 64;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface JsonLimits {
  maxBytes?: number;
  maxDepth?: number;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Check nesting before JSON.parse sees the text, in one pass that only counts brackets
 * outside strings: a 100,000-deep array is refused with its line instead of reaching code
 * that walks it recursively.
 */
export function checkDepth(text: string, maxDepth: number, what: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > maxDepth) {
        throw new ImportError(
          `${what}: JSON nested deeper than ${maxDepth} levels (line ${lineAt(text, i)}); not an export this importer reads`,
        );
      }
    } else if (c === 93 || c === 125) depth--;
  }
}

/** Decode and parse untrusted bytes as JSON, within the limits. */
export function parseJson(input: string | Uint8Array, what: string, limits: JsonLimits = {}): Json {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  const size = typeof input === 'string' ? Buffer.byteLength(input) : input.byteLength;
  if (size > maxBytes) {
    throw new ImportError(
      `${what}: ${formatBytes(size)} is over the ${formatBytes(maxBytes)} limit (--max-size)`,
    );
  }
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      throw new ImportError(`${what}: not UTF-8 text`);
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!text.trim()) throw new ImportError(`${what}: empty file`);
  checkDepth(text, limits.maxDepth ?? DEFAULT_MAX_DEPTH, what);
  try {
    return JSON.parse(text) as Json;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const at = syntaxErrorOffset(text);
    const where = at >= 0 ? ` (line ${lineAt(text, at)})` : '';
    throw new ImportError(`${what}: not valid JSON${where}: ${message.slice(0, 200)}`);
  }
}

const LITERAL_RE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;

/**
 * Where JSON.parse gave up, for the message (V8's messages often say what, not where). Only
 * called on text that failed to parse and whose depth checkDepth() already bounded.
 */
function syntaxErrorOffset(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i] ?? '')) i++;
  };
  const string = () => {
    i++;
    for (;;) {
      const c = text.charCodeAt(i);
      if (Number.isNaN(c) || c < 0x20) fail();
      i += c === 92 ? 2 : 1;
      if (c === 34) return;
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '"') {
      string();
      return;
    }
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (c === '{') {
          ws();
          if (text[i] !== '"') fail();
          string();
          ws();
          if (text[i] !== ':') fail();
          i++;
        }
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === close) {
          i++;
          return;
        } else fail();
      }
    }
    LITERAL_RE.lastIndex = i;
    if (!LITERAL_RE.test(text)) fail();
    i = LITERAL_RE.lastIndex;
  };
  try {
    value();
    ws();
    return i < text.length ? i : -1;
  } catch (offset) {
    if (typeof offset === 'number') return offset;
    throw offset;
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short, safe rendering of a value for an error message. */
export function describe(value: Json | undefined): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string')
    return `the text "${value.slice(0, 40)}${value.length > 40 ? '…' : ''}"`;
  return `the ${typeof value} ${String(value)}`;
}

/**
 * Typed access to one record's fields, collecting every problem with the record's index and
 * the field's name instead of stopping at the first.
 */
export class FieldReader {
  constructor(
    private readonly record: { [key: string]: Json },
    private readonly where: string,
    private readonly problems: string[],
  ) {}

  private problem(field: string, expected: string, got: Json | undefined): void {
    this.problems.push(`${this.where}: "${field}" must be ${expected} (got ${describe(got)})`);
  }

  has(field: string): boolean {
    return this.record[field] !== undefined && this.record[field] !== null;
  }

  string(field: string, required = false): string {
    const v = this.record[field];
    if (typeof v === 'string') return v;
    if (v === undefined || v === null) {
      if (required) this.problem(field, 'text', v);
      return '';
    }
    this.problem(field, 'text', v);
    return '';
  }

  /** A list of strings; a single string is read as a list of one. */
  strings(field: string): string[] {
    const v = this.record[field];
    if (v === undefined || v === null) return [];
    if (typeof v === 'string') return [v];
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    this.problem(field, 'a list of texts', v);
    return [];
  }

  objects(field: string): { [key: string]: Json }[] {
    const v = this.record[field];
    if (v === undefined || v === null) return [];
    if (Array.isArray(v) && v.every(isObject)) return v as { [key: string]: Json }[];
    this.problem(field, 'a list of objects', v);
    return [];
  }

  raw(field: string): Json | undefined {
    return this.record[field];
  }

  fields(): string[] {
    return Object.keys(this.record);
  }
}
