/**
 * Discord's component ids. A button's custom_id is the encoded action it runs
 * (src/reply/actions.ts), or for Share the core's share value (src/reply/share.ts); a select
 * menu's custom_id is PICK_PREFIX and what it picks, the action riding in the chosen option.
 */
import { decodeShare, isShare } from '../../src/reply/share.js';

/** Select menus carry their action in the chosen option's value. */
export const PICK_PREFIX = 'pick:';

/** A component's custom id (or a picked option's value) read back: a Share, or the action to run. */
export function parseCustomId(customId: string): { share: boolean; action: string } {
  if (!isShare(customId)) return { share: false, action: customId };
  return { share: true, action: decodeShare(customId)?.action ?? '' };
}

/** Every custom id in a message's components (as JSON), in order: its buttons' actions. */
export function customIdsIn(components: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) for (const child of node) walk(child);
    else if (typeof node === 'object' && node !== null) {
      const { custom_id: id, components: inner } = node as Record<string, unknown>;
      if (typeof id === 'string') out.push(id);
      walk(inner);
    }
  };
  walk(components);
  return out;
}
