{
  "targets": [
    {
      "target_name": "barbucket_luma",
      "sources": ["native/luma.c", "native/image_ops.c"],
      "cflags": ["-O3", "-Wall", "-Wextra"],
      "libraries": ["-ljpeg", "-lpng", "-lwebp"]
    }
  ]
}
