/**
 * What the main thread asks of a build off the main thread (the reload worker thread, the
 * priming process) and what it gets back. Plain data: it crosses threads by structured clone.
 */
import type { LoadedCard } from '../cards/model.js';
import type { SerializedIndex } from '../search/index.js';
import type { DerivedCatalog } from './catalog.js';
import type { Baseline, CatalogDelta } from './delta.js';
import type { CatalogIssue } from './issues.js';
import type { ActorOverrides } from './overrides.js';

export interface BuildRequest {
  id: number;
  dir: string;
  cacheDir: string | false;
  /** Read together with `dir` (LoadOptions.extraDirs). */
  extraDirs?: string[];
  /**
   * An incremental reload (reload-builder.ts): the worker keeps what it read for the next
   * request, and answers with a delta against `baseline` (the serving catalog) when the
   * change is small enough; without a baseline, or for a large change, with the whole build.
   */
  incremental?: boolean;
  baseline?: Baseline;
}

/** An incremental reload's answer: how the new catalog differs from the request's baseline. */
export interface DeltaReply {
  id: number;
  ok: true;
  delta: CatalogDelta;
}

/** A built catalog and index, handed to the main thread. */
export interface BuiltReply {
  id: number;
  ok: true;
  cards: LoadedCard[];
  issues: CatalogIssue[];
  overrides: ActorOverrides;
  /** The catalog's grouping into actors and the rest derived from the cards (catalog.ts). */
  derived?: DerivedCatalog;
  /** SearchIndex.serialize(): plain strings, so they cross to the main thread as they are. */
  serialized: SerializedIndex;
  /** For an incremental request: this catalog's baseline, for the next one (delta.ts). */
  baseline?: Baseline;
  /** The cards came before this message, in this many parts (reply-parts.ts). */
  parts?: number;
  /** The derived actors came before this message, in this many parts (reply-parts.ts). */
  actorParts?: number;
}

export type BuildReply = BuiltReply | DeltaReply | { id: number; ok: false; error: string };
