export { loadSpec, parseSpec, type LoadedSpec, type OpenApiDocument } from './openapi/load-spec';
export { SpecError, formatDiagnostic, type Diagnostic } from './openapi/diagnostics';
export { buildModel, type BuildOptions } from './model/build-model';
export type * from './model/ir';
export { emitApi, type EmitOptions } from './emit/emit-api';
export type { GeneratedFile } from './emit/file-set';
export { planWrite, isNoop, type WritePlan, type PlanOptions } from './write/plan-write';
export { applyPlan, fileReader } from './write/write-files';
export {
  generate,
  check,
  emitFromSpec,
  HandEditError,
  type GenerateOptions,
  type GenerateResult,
  type PipelineOptions,
} from './pipeline';
