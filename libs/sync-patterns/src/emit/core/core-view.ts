/** What the core library's templates print. */
export interface CoreView {
  header: string;
  client: string;
  configure: string;
  title: string;
  baseUrl: string;
  validators: { doc: string; name: string; code: string }[];
  fakeDefinitions: string;
  definitions: string;
  /** The core library holds the functions of operations no model owns. */
  operations: boolean;
  /** The api has live models: `shape-policy.ts` exists, and the index exports it. */
  shapePolicy: boolean;
}
