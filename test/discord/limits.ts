/**
 * An independent check of Discord's message limits (written from Discord's documentation, not
 * from the renderer), for renderer unit tests and for bodies recorded by the fake Discord.
 * Returns one line per violation; an empty list means the message would be accepted.
 */
const DOC = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  total: 6000,
  embeds: 10,
  rows: 5,
  perRow: 5,
  customId: 100,
  label: 80,
  url: 512,
  options: 25,
  optionText: 100,
  placeholder: 150,
  content: 2000,
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function limitViolations(message: unknown): string[] {
  const out: string[] = [];
  if (!isObj(message)) return ['message is not an object'];
  const over = (what: string, value: string, max: number) => {
    if (value.length > max) out.push(`${what}: ${value.length} > ${max}`);
  };
  over('content', str(message.content), DOC.content);
  const embeds = arr(message.embeds);
  if (embeds.length > DOC.embeds) out.push(`embeds: ${embeds.length} > ${DOC.embeds}`);
  let total = 0;
  for (const [i, e] of embeds.entries()) {
    if (!isObj(e)) {
      out.push(`embed ${i} is not an object`);
      continue;
    }
    const title = str(e.title);
    const description = str(e.description);
    const footer = isObj(e.footer) ? str(e.footer.text) : '';
    const author = isObj(e.author) ? str(e.author.name) : '';
    over(`embed ${i} title`, title, DOC.title);
    over(`embed ${i} description`, description, DOC.description);
    over(`embed ${i} footer`, footer, DOC.footer);
    over(`embed ${i} author`, author, DOC.author);
    total += title.length + description.length + footer.length + author.length;
    const fields = arr(e.fields);
    if (fields.length > DOC.fields) out.push(`embed ${i} fields: ${fields.length} > ${DOC.fields}`);
    for (const [j, f] of fields.entries()) {
      if (!isObj(f)) {
        out.push(`embed ${i} field ${j} is not an object`);
        continue;
      }
      const name = str(f.name);
      const value = str(f.value);
      if (!name.trim()) out.push(`embed ${i} field ${j} has an empty name`);
      if (!value.trim()) out.push(`embed ${i} field ${j} has an empty value`);
      over(`embed ${i} field ${j} name`, name, DOC.fieldName);
      over(`embed ${i} field ${j} value`, value, DOC.fieldValue);
      total += name.length + value.length;
    }
  }
  if (total > DOC.total) out.push(`embeds total: ${total} > ${DOC.total}`);

  const rows = arr(message.components);
  if (rows.length > DOC.rows) out.push(`rows: ${rows.length} > ${DOC.rows}`);
  const ids = new Set<string>();
  for (const [i, r] of rows.entries()) {
    if (!isObj(r) || r.type !== 1) {
      out.push(`row ${i} is not an action row`);
      continue;
    }
    const components = arr(r.components);
    if (components.length === 0) out.push(`row ${i} is empty`);
    const selects = components.filter((c) => isObj(c) && c.type === 3).length;
    if (selects > 0 && components.length > 1) out.push(`row ${i}: a select menu must be alone`);
    if (components.length > DOC.perRow) out.push(`row ${i}: ${components.length} > ${DOC.perRow}`);
    for (const c of components) {
      if (!isObj(c)) continue;
      if (c.type === 2 && c.style === 5) {
        // A link button: a URL and a label, and no custom_id.
        const url = str(c.url);
        if (!/^https?:\/\//.test(url)) out.push(`row ${i}: link button without an http(s) url`);
        over(`link button url`, url, DOC.url);
        if (c.custom_id !== undefined) out.push(`row ${i}: link button with a custom_id`);
        if (!str(c.label)) out.push(`row ${i}: link button without a label`);
        over(`link button label`, str(c.label), DOC.label);
        continue;
      }
      const id = str(c.custom_id);
      if (!id) out.push(`row ${i}: component without custom_id`);
      over(`custom_id ${id}`, id, DOC.customId);
      if (ids.has(id)) out.push(`duplicate custom_id ${id}`);
      ids.add(id);
      if (c.type === 2) {
        const label = str(c.label);
        if (!label) out.push(`button ${id} has no label`);
        over(`button ${id} label`, label, DOC.label);
      }
      if (c.type === 3) {
        over(`select ${id} placeholder`, str(c.placeholder), DOC.placeholder);
        const options = arr(c.options);
        if (options.length === 0 || options.length > DOC.options) {
          out.push(`select ${id}: ${options.length} options`);
        }
        for (const o of options) {
          if (!isObj(o)) continue;
          over(`option label`, str(o.label), DOC.optionText);
          over(`option value`, str(o.value), DOC.optionText);
          over(`option description`, str(o.description), DOC.optionText);
          if (!str(o.label) || !str(o.value)) out.push('option without label or value');
        }
      }
    }
  }
  return out;
}
