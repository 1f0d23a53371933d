{
  "variables": {
    "has_libdeflate": "<!(node scripts/has-header.js libdeflate.h deflate)"
  },
  "targets": [
    {
      "target_name": "barbucket_luma",
      "sources": ["native/luma.c", "native/luma_convert.c", "native/png_fast.c", "native/buffers.c", "native/image_ops.c", "native/crc64.c", "native/sendfile.c"],
      "cflags": ["-O3", "-ffp-contract=off", "-Wall", "-Wextra"],
      "libraries": ["-ljpeg", "-lpng", "-lwebp", "-lm"],
      "conditions": [
        ["has_libdeflate==1", { "defines": ["HAVE_LIBDEFLATE"], "libraries": ["-ldeflate"] }]
      ]
    }
  ]
}
