import { runBlobStoreConformance, runMetadataStoreConformance } from "./conformance.js";
import { MemoryBlobStore } from "./memory-blobs.js";
import { MemoryMetadataStore } from "./memory-metadata.js";

runBlobStoreConformance("memory", async () => {
  const store = new MemoryBlobStore();
  return { store, cleanup: async () => undefined, countTemp: async () => store.writesInFlight };
});

runMetadataStoreConformance("memory", async () => ({ store: new MemoryMetadataStore(), cleanup: async () => undefined }));
