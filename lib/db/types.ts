/** The query layer every part of the app uses, whatever the backing Postgres (DESIGN §9). */
export interface Queryable {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
  /** Runs one or more statements without parameters (migrations). */
  exec(text: string): Promise<void>;
}

export type DatabaseMode = "embedded" | "postgres";

export interface Database extends Queryable {
  readonly mode: DatabaseMode;
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Subscribes to NOTIFY on a channel; resolves to the unsubscribe function. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
