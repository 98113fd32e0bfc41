/** What the migrations template prints of the model's SQLite table. */
export interface SqliteView {
  scope: string;
  name: string;
  key: string;
  columns: string[];
  migrations: { version: string; name: string; sql: string }[];
}
