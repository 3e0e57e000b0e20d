/**
 * gongkai as a library. The core (model, parser, validator) is pure and loads no database or
 * server code; the store and the application register are separate entry points
 * (`gongkai/store`, `gongkai/requests`) so a reader of reports pulls in neither.
 */
export * from "./model/index.js";
export { parseReport, parseDocument, InputError, type Document, type TableGrid, type ParseOptions } from "./parse/index.js";
export { solveRuns, type DigitRun, type SolveResult } from "./parse/solve.js";
export { validate, withDerived, type ValidateOptions } from "./validate/index.js";
