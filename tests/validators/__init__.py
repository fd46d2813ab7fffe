"""The real validators the tests run on the pipeline's files (EPUBCheck, DAISY Ace)."""
