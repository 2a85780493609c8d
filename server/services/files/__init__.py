"""Photos and files: upload limits, storage, thumbnails, photo facts."""
