/**
 * Block Kit building blocks: text objects escaped and shortened to their limits, sections,
 * context lines, numbered buttons, and the last guard on a message's block count. Pure.
 */
import type { types } from '@slack/bolt';
import type { ActorRef, BotAction } from '../../src/core/types.js';
import { encodeAction } from '../../src/reply/actions.js';
import { refFacts } from '../../src/reply/facts.js';
import { webLink } from '../shared/links.js';
import { goActionId, linkActionId, SHARE_ACTION_ID } from './ids.js';
import { LIMITS } from './limits.js';
import { escapeMrkdwn, fitText, truncateEscaped } from './text.js';

export type KnownBlock = types.KnownBlock;
export type Button = types.Button;

export const esc = escapeMrkdwn;

export function mrkdwn(text: string, max: number = LIMITS.sectionText): types.MrkdwnElement {
  // verbatim: Slack must not turn plain words into links or mentions.
  return { type: 'mrkdwn', text: truncateEscaped(text, max) || ' ', verbatim: true };
}

export function plain(raw: string, max: number): types.PlainTextElement {
  return { type: 'plain_text', text: fitText(raw, max) || ' ', emoji: false };
}

export function section(text: string): types.SectionBlock {
  return { type: 'section', text: mrkdwn(text) };
}

export function context(text: string): types.ContextBlock {
  return { type: 'context', elements: [mrkdwn(text, LIMITS.contextText)] };
}

/** Buttons numbered so each action_id is unique within the message. */
export class Buttons {
  private n = 0;
  private links = 0;

  action(
    label: string,
    action: BotAction,
    style?: 'primary',
    confirm?: types.ConfirmationDialog,
  ): Button | undefined {
    // Slack's values hold any query (500 characters at most) itself: nothing to expire.
    const value = encodeAction(action, LIMITS.buttonValue);
    if (!value) return undefined;
    const button = this.make(label, value, goActionId(this.n++), style);
    return confirm ? { ...button, confirm } : button;
  }

  /** A button opening an http(s) page; undefined for anything else or a URL too long. */
  link(label: string, raw: string): Button | undefined {
    const web = webLink(raw);
    if (!web || web.url.href.length > LIMITS.buttonUrl) return undefined;
    return {
      type: 'button',
      text: plain(label, LIMITS.buttonText),
      action_id: linkActionId(this.links++),
      url: web.url.href,
    };
  }

  share(value: string): Button {
    return this.make('Share in channel', value, SHARE_ACTION_ID, 'primary');
  }

  private make(label: string, value: string, actionId: string, style?: 'primary'): Button {
    return {
      type: 'button',
      text: plain(label, LIMITS.buttonText),
      action_id: actionId,
      value: value.slice(0, LIMITS.buttonValue),
      ...(style ? { style } : {}),
    };
  }
}

export function actions(elements: (Button | undefined)[]): types.ActionsBlock | undefined {
  const buttons = elements.filter((b): b is Button => b !== undefined);
  if (buttons.length === 0) return undefined;
  return { type: 'actions', elements: buttons.slice(0, LIMITS.actionsElements) };
}

export function quoted(query: string): string {
  return `"${fitText(query, 200)}"`;
}

export function refText(ref: ActorRef): string {
  const facts = refFacts(ref).map(esc);
  return truncateEscaped(
    `*${esc(ref.name)}*${facts.length ? ` · ${facts.join(' · ')}` : ''}`,
    LIMITS.sectionText,
  );
}

/** An actor's line with a "Show card" button beside it. */
export function refSection(ref: ActorRef, action: BotAction, buttons: Buttons): types.SectionBlock {
  const button = buttons.action('Show card', action);
  return { ...section(refText(ref)), ...(button ? { accessory: button } : {}) };
}

/**
 * Keep a message within Slack's 50 blocks: the renderers stay well below it by construction;
 * this is the last guard, keeping the first blocks and the final (footer) block.
 */
export function clampBlocks(blocks: KnownBlock[], max: number = LIMITS.blocks): KnownBlock[] {
  if (blocks.length <= max) return blocks;
  const last = blocks[blocks.length - 1];
  return last ? [...blocks.slice(0, max - 1), last] : blocks.slice(0, max);
}
