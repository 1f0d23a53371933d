{
  "targets": [
    {
      "target_name": "barbucket_luma",
      "sources": ["native/luma.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"],
      "libraries": ["-ljpeg", "-lpng", "-lwebp"]
    }
  ]
}
