/** A running chat surface (Hubot's adapter, reduced): started by `aptcard start`, stopped on SIGTERM. */
export interface RunningAdapter {
  name: string;
  /** Resolves when the adapter ends by itself (the console at end of input); never for servers. */
  done: Promise<void>;
  stop(): Promise<void>;
}
