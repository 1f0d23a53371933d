{
  "targets": [
    {
      "target_name": "barbucket_luma",
      "sources": ["native/luma.c", "native/image_ops.c"],
      "cflags": ["-O3", "-ffp-contract=off", "-Wall", "-Wextra"],
      "libraries": ["-ljpeg", "-lpng", "-lwebp", "-lm"]
    }
  ]
}
