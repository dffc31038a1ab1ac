"""Evidence items in object storage: upload, download, transfer between cases, archive retention."""
