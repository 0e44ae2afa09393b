/**
 * A checker for Slack messages: every Block Kit limit, and the escaping invariant (the only
 * `<...>` left in any text is a link to an http(s) URL labelled with plain text).
 */

type Json = Record<string, unknown>;

/** What Slack accepts as a file id in `slack_file` (its error names this pattern). */
const SLACK_FILE_ID_RE = /^F[A-Z0-9]{8,}$/;

const LINK_RE = /<https?:\/\/[^\s<>|]+\|[^<>|]+>/g;
/** A user mention as the settings answer writes one (private, so nobody is notified). */
const USER_RE = /<@[UW][A-Z0-9]{2,20}>/g;

export interface CheckOptions {
  /** Also allow `<@U…>` user mentions (the private settings answer names people so). */
  userMentions?: boolean;
}

/** Problems with one text: markup that is not an http(s) link, or a bare `&`. */
export function markupProblems(text: string, options: CheckOptions = {}): string[] {
  const problems: string[] = [];
  const links = text.replace(LINK_RE, '');
  const rest = options.userMentions ? links.replace(USER_RE, '') : links;
  if (/[<>]/.test(rest)) problems.push(`unescaped < or > in ${JSON.stringify(text.slice(0, 200))}`);
  if (/&(?!amp;|lt;|gt;)/.test(rest))
    problems.push(`bare & in ${JSON.stringify(text.slice(0, 200))}`);
  return problems;
}

function textOf(obj: unknown): { type: string; text: string; verbatim?: unknown } | undefined {
  if (!obj || typeof obj !== 'object') return undefined;
  const o = obj as Json;
  return typeof o.type === 'string' && typeof o.text === 'string'
    ? { type: o.type, text: o.text, verbatim: o.verbatim }
    : undefined;
}

export function blockKitProblems(
  message: { text?: unknown; blocks?: unknown },
  options: CheckOptions = {},
): string[] {
  const problems: string[] = [];
  const checkText = (where: string, obj: unknown, max: number) => {
    const t = textOf(obj);
    if (!t) {
      problems.push(`${where}: not a text object`);
      return;
    }
    if (t.text.length === 0) problems.push(`${where}: empty text`);
    if (t.text.length > max) problems.push(`${where}: ${t.text.length} > ${max} characters`);
    if (t.type === 'mrkdwn' && t.verbatim !== true) problems.push(`${where}: mrkdwn not verbatim`);
    for (const p of markupProblems(t.text, options)) problems.push(`${where}: ${p}`);
  };
  if (typeof message.text !== 'string' || !message.text) problems.push('no fallback text');
  else for (const p of markupProblems(message.text)) problems.push(`text: ${p}`);
  const blocks = Array.isArray(message.blocks) ? (message.blocks as Json[]) : [];
  if (blocks.length === 0) problems.push('no blocks');
  if (blocks.length > 50) problems.push(`${blocks.length} blocks > 50`);
  const actionIds = new Set<string>();
  const checkButton = (where: string, b: Json) => {
    if (b.type !== 'button') {
      problems.push(`${where}: unexpected element ${String(b.type)}`);
      return;
    }
    checkText(`${where}.text`, b.text, 75);
    const t = textOf(b.text);
    if (t && t.type !== 'plain_text') problems.push(`${where}: button text must be plain_text`);
    const id = String(b.action_id ?? '');
    if (!id || id.length > 255) problems.push(`${where}: bad action_id`);
    if (actionIds.has(id)) problems.push(`${where}: duplicate action_id ${id}`);
    actionIds.add(id);
    if (b.url !== undefined) {
      // A link button: an http(s) URL of at most 3,000 characters, and no value needed.
      if (typeof b.url !== 'string' || !/^https?:\/\//.test(b.url) || b.url.length > 3000)
        problems.push(`${where}: bad url`);
      if (b.value !== undefined) problems.push(`${where}: a link button with a value`);
      return;
    }
    if (typeof b.value !== 'string' || b.value.length > 2000) problems.push(`${where}: bad value`);
    if (b.confirm !== undefined) {
      const c = b.confirm as Json;
      for (const [field, max] of [
        ['title', 100],
        ['text', 300],
        ['confirm', 30],
        ['deny', 30],
      ] as const) {
        checkText(`${where}.confirm.${field}`, c[field], max);
        if (textOf(c[field])?.type !== 'plain_text')
          problems.push(`${where}.confirm.${field}: not plain_text`);
      }
    }
  };
  blocks.forEach((block, i) => {
    const where = `block ${i} (${String(block.type)})`;
    switch (block.type) {
      case 'header': {
        checkText(where, block.text, 150);
        if (textOf(block.text)?.type !== 'plain_text') problems.push(`${where}: not plain_text`);
        break;
      }
      case 'section': {
        if (block.text === undefined && block.fields === undefined)
          problems.push(`${where}: empty`);
        if (block.text !== undefined) checkText(where, block.text, 3000);
        if (block.fields !== undefined) {
          const fields = block.fields as unknown[];
          if (fields.length > 10) problems.push(`${where}: ${fields.length} fields > 10`);
          fields.forEach((f, j) => {
            checkText(`${where} field ${j}`, f, 2000);
          });
        }
        if (block.accessory !== undefined)
          checkButton(`${where} accessory`, block.accessory as Json);
        break;
      }
      case 'actions': {
        const elements = block.elements as Json[];
        if (elements.length === 0 || elements.length > 25)
          problems.push(`${where}: ${elements.length} elements`);
        elements.forEach((e, j) => {
          checkButton(`${where} element ${j}`, e);
        });
        break;
      }
      case 'context': {
        const elements = block.elements as unknown[];
        if (elements.length === 0 || elements.length > 10)
          problems.push(`${where}: ${elements.length} elements`);
        elements.forEach((e, j) => {
          checkText(`${where} element ${j}`, e, 3000);
        });
        break;
      }
      case 'image': {
        // Exactly one source: an uploaded Slack file by id (the renderer's only kind) or URL.
        const file = block.slack_file as Json | undefined;
        if ((file === undefined) === (block.image_url === undefined))
          problems.push(`${where}: needs exactly one of slack_file and image_url`);
        if (block.image_url !== undefined) problems.push(`${where}: a public image_url`);
        if (file !== undefined) {
          const id = file.id;
          if (file.url !== undefined || typeof id !== 'string' || !SLACK_FILE_ID_RE.test(id))
            problems.push(`${where}: slack_file must be { id } with a Slack file id`);
        }
        const alt = block.alt_text;
        if (typeof alt !== 'string' || alt.length === 0 || alt.length > 2000)
          problems.push(`${where}: alt_text must be 1-2000 characters`);
        else for (const p of markupProblems(alt)) problems.push(`${where} alt_text: ${p}`);
        if (block.title !== undefined) {
          checkText(`${where} title`, block.title, 2000);
          if (textOf(block.title)?.type !== 'plain_text')
            problems.push(`${where}: title not plain_text`);
        }
        if (block.block_id !== undefined && String(block.block_id).length > 255)
          problems.push(`${where}: block_id over 255 characters`);
        break;
      }
      case 'divider':
        break;
      default:
        problems.push(`${where}: unexpected block type`);
    }
  });
  return problems;
}

/** Every text in a message, joined (for "contains" assertions). */
export function allText(message: { text?: unknown; blocks?: unknown }): string {
  const out: string[] = [typeof message.text === 'string' ? message.text : ''];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Json;
      if (typeof o.text === 'string') out.push(o.text);
      for (const [k, x] of Object.entries(o)) if (k !== 'text' || typeof x !== 'string') walk(x);
    }
  };
  walk(message.blocks);
  return out.join('\n');
}

/** Every button in a message: its label, action_id and value (link buttons: see linksOf). */
export function buttonsOf(message: {
  blocks?: unknown;
}): { label: string; actionId: string; value: string }[] {
  return allButtons(message).filter((b) => b.url === undefined);
}

/** Every link button in a message: its label and URL. */
export function linksOf(message: { blocks?: unknown }): { label: string; url: string }[] {
  return allButtons(message).flatMap((b) =>
    b.url === undefined ? [] : [{ label: b.label, url: b.url }],
  );
}

function allButtons(message: {
  blocks?: unknown;
}): { label: string; actionId: string; value: string; url?: string }[] {
  const out: { label: string; actionId: string; value: string; url?: string }[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Json;
      if (o.type === 'button') {
        out.push({
          label: textOf(o.text)?.text ?? '',
          actionId: String(o.action_id),
          value: String(o.value),
          ...(typeof o.url === 'string' ? { url: o.url } : {}),
        });
        return;
      }
      for (const x of Object.values(o)) walk(x);
    }
  };
  walk(message.blocks);
  return out;
}
