import type { SyncApi, SyncModel } from "../model/ir";
import { fileHeader } from "./file-header";
import type { GeneratedFile } from "./file-set";
import { liveView } from "./live-view";
import { pushSpecView } from "./push-spec-view";
import { pushView } from "./push-view";
import { renderTemplate } from "./render-template";

/**
 * One live-mode model library: the push library's types, API functions and validators, then a
 * TanStack DB collection synced from the model's shape and the unified hooks on live queries.
 */
export function emitLiveModel(
  api: SyncApi,
  model: SyncModel,
  specLabel: string,
  coreImport: string,
): GeneratedFile[] {
  const push = pushView(api, model, coreImport);
  const view = {
    ...push,
    live: liveView(api, model, push),
    spec: pushSpecView(api, model, push),
    header: fileHeader(specLabel, `model ${model.schemaName}, mode live`),
  };
  const dir = model.names.file;
  // Without a sample row nothing could be asserted honestly: no spec file.
  const spec =
    view.spec.row === undefined
      ? []
      : [
          {
            path: `${dir}/src/lib/${dir}.spec.ts`,
            content: renderTemplate("live/spec", view),
          },
        ];
  return [
    ...spec,
    ...(["types", "api", "validators"] as const).map((kind) => ({
      path: `${dir}/src/lib/${dir}.${kind}.ts`,
      content: renderTemplate(`push/${kind}`, view),
    })),
    ...(["collection", "hooks"] as const).map((kind) => ({
      path: `${dir}/src/lib/${dir}.${kind}.ts`,
      content: renderTemplate(`live/${kind}`, view),
    })),
    {
      path: `${dir}/src/index.ts`,
      content: renderTemplate("live/index", view),
    },
  ];
}
