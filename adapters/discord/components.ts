/**
 * Discord components for the actions the core offers (src/reply/next.ts): buttons five to a
 * row, select menus for more actors than buttons can hold, and the Share button. Pure.
 */
import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIComponentInMessageActionRow,
  type APISelectMenuOption,
  type APIStringSelectComponent,
  ButtonStyle,
  ComponentType,
} from 'discord-api-types/v10';
import type { Reply } from '../../src/core/types.js';
import { encodeAction } from '../../src/reply/actions.js';
import { refFacts } from '../../src/reply/facts.js';
import {
  shareAction as coreShareAction,
  type NextAction,
  type OpenAction,
  shareOf,
} from '../../src/reply/next.js';
import { encodeShare, SHARE_PREFIX } from '../../src/reply/share.js';
import { PICK_PREFIX } from './ids.js';
import { LIMITS } from './limits.js';
import { plain } from './text.js';

export type ActionRow = APIActionRowComponent<APIComponentInMessageActionRow>;

export interface Button {
  label: string;
  /** The custom id; undefined when the action did not fit in one (the button is left out). */
  action?: string | undefined;
  style?: ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success;
}

function button(b: Button & { action: string }): APIButtonComponentWithCustomId {
  return {
    type: ComponentType.Button,
    style: b.style ?? ButtonStyle.Secondary,
    label: plain(b.label, LIMITS.buttonLabel),
    custom_id: b.action,
  };
}

function row(components: APIComponentInMessageActionRow[]): ActionRow {
  return { type: ComponentType.ActionRow, components };
}

/**
 * Lay buttons out five to a row, in at most `maxRows` rows. Buttons with no action (it did not
 * fit in a custom id) and repeated custom ids (Discord rejects them) are left out.
 */
export function buttonRows(buttons: Button[], maxRows: number, seen: Set<string>): ActionRow[] {
  const usable: APIButtonComponentWithCustomId[] = [];
  for (const b of buttons) {
    if (!b.action || b.action.length > LIMITS.customId || seen.has(b.action)) continue;
    seen.add(b.action);
    usable.push(button({ ...b, action: b.action }));
  }
  const rows: ActionRow[] = [];
  for (let i = 0; i < usable.length && rows.length < maxRows; i += LIMITS.buttonsPerRow) {
    rows.push(row(usable.slice(i, i + LIMITS.buttonsPerRow)));
  }
  return rows;
}

/** A select menu opening one of these actors (up to 25); undefined when none fits. */
export function selectMenu(
  id: string,
  placeholder: string,
  opens: readonly OpenAction[],
  seen: Set<string>,
): ActionRow | undefined {
  const options: APISelectMenuOption[] = [];
  for (const { ref, action } of opens) {
    const value = encodeAction(action);
    if (!value || value.length > LIMITS.optionValue || seen.has(value)) continue;
    seen.add(value);
    const description = refFacts(ref).join('; ');
    options.push({
      label: plain(ref.name, LIMITS.optionLabel),
      value,
      ...(description ? { description: plain(description, LIMITS.optionDescription) } : {}),
    });
    if (options.length === LIMITS.selectOptions) break;
  }
  if (options.length === 0) return undefined;
  const menu: APIStringSelectComponent = {
    type: ComponentType.StringSelect,
    custom_id: `${PICK_PREFIX}${id}`,
    placeholder: plain(placeholder, LIMITS.placeholder),
    min_values: 1,
    max_values: 1,
    options,
  };
  return row([menu]);
}

/** Buttons for as many actors as `maxButtonRows` rows hold, or a select menu when there are more. */
export function actorPicker<A extends OpenAction>(
  opens: readonly A[],
  id: string,
  placeholder: string,
  maxButtonRows: number,
  seen: Set<string>,
  label: (open: A) => string = (o) => o.ref.name,
): ActionRow[] {
  if (opens.length <= maxButtonRows * LIMITS.buttonsPerRow) {
    return buttonRows(
      opens.map((o) => ({ label: label(o), action: encodeAction(o.action) })),
      maxButtonRows,
      seen,
    );
  }
  const menu = selectMenu(id, placeholder, opens, seen);
  return menu ? [menu] : [];
}

/**
 * The encoded action that re-creates this answer, as its Share button carries it after the
 * prefix; undefined when the reply offers no Share.
 */
export function shareAction(reply: Reply): string | undefined {
  const share = coreShareAction(reply);
  return share && encodeAction(share.action, LIMITS.customId - SHARE_PREFIX.length);
}

/** The Share button, when asked for and the reply offers one that fits in a custom id. */
export function shareButtons(actions: readonly NextAction[], share: boolean | undefined): Button[] {
  const offer = share ? shareOf(actions) : undefined;
  const action = offer && encodeShare(offer.action, { maxLength: LIMITS.customId });
  return action ? [{ label: 'Share', action, style: ButtonStyle.Primary }] : [];
}
