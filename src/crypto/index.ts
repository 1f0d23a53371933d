/** Server-side encryption of object bytes: one import point for the object layer. */
export * from "./format.js";
export { createEncryptStream, createDecryptStream } from "./streams.js";
export * from "./data-key.js";
