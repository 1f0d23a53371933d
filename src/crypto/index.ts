/** Server-side encryption of object bytes: one import point for the object layer. */
export * from "./format.js";
export { createEncryptStream, createDecryptStream, ChunkSealer } from "./streams.js";
export * from "./data-key.js";
export { writeEncryptedBlob, readDecryptedBlob, type EncryptedBlobInfo, type EncryptedWrite } from "./blob-io.js";
