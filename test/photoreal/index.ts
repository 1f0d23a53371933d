/** Photo-realistic scenes of codes (how phone photos of codes fail), with ground truth, for tuning and validation. */
export { PHOTOREAL_VERSION, PHOTOREAL_CATEGORIES, generatePhotoScene } from "./scene.js";
export type { PhotoCategory, PhotoCode, PhotoScene, SceneOptions } from "./scene.js";
export { generatePhotoSuite, defaultPhotorealCacheDir, PHOTOREAL_DEFAULT_COUNTS, PHOTOREAL_QUICK_COUNTS, QUICK_PER_CATEGORY } from "./suite.js";
export type { PhotoSuiteOptions } from "./suite.js";
export { MAX_IMAGE_BYTES, MAX_IMAGE_SIDE } from "./encoding-plan.js";
