export * from "./types.js";
export * from "./catalog.js";
export * from "./rules.js";
