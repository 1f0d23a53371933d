/* native/image_ops.c: pixel loops for the recognition strategy, registered on the addon's exports. */
#ifndef BARBUCKET_IMAGE_OPS_H
#define BARBUCKET_IMAGE_OPS_H
#include <node_api.h>

/* Adds the kernels (histogram, mapLut, boxBlur3, edgeCells, median3, localNormalize, gridSums, rotateBilinear,
 * boxDownscale, binRows)
 * to `exports`; 0 on failure. */
int register_image_ops(napi_env env, napi_value exports);

#endif
