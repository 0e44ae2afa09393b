/** What a SearchIndex reads its MiniSearch indexes from, saves them to, and hands to another thread. */

/** The two MiniSearch indexes as JSON, as the start-up cache stores them. */
export interface IndexCache {
  /** The names index as JSON, when an earlier run saved it (read when first needed). */
  names?: string | (() => string | undefined);
  /** Called with the names index as JSON when it had to be built, to save it for next time. */
  saveNames?: (json: string) => void;
  /** The prose index as JSON, read only when a query first needs prose. */
  text?: () => string | undefined;
  /** Called with the prose index as JSON when it had to be built, to save it for next time. */
  saveText?: (json: string) => void;
}

export interface SearchIndexOptions {
  /**
   * MiniSearch does all the work, without the shortcuts that give the same answers faster
   * (fuzzy-terms.ts's scan for its fuzzy walk, term-tree.ts's check before a prose search):
   * the reference test/corpus/fuzzy-answers.test.ts compares answers with.
   */
  plainMiniSearch?: boolean;
}

/** Both MiniSearch indexes as JSON, to hand to another thread. */
export interface SerializedIndex {
  names: string;
  text: string;
}
