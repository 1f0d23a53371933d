/** Deterministic synthetic scenes with known codes and boxes, for tests and `bench/codes`. */
export { generateScene, CATEGORIES, GENERATOR_VERSION } from "./scene.js";
export type { Category, ExpectedCode, GeneratedScene, SceneSpec } from "./scene.js";
export { generateSuite, DEFAULT_COUNTS, QUICK_COUNTS, defaultCacheDir, repoRoot } from "./suite.js";
export type { Scene, SuiteOptions } from "./suite.js";
export { iou, type Box } from "./geometry.js";
