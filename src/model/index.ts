export * from "./types.js";
export * from "./catalog.js";
