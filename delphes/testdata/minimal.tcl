# A detector card with no detector: Delphes writes only its Event and
# Weight branches. For small test files.
set ExecutionPath {
  TreeWriter
}
module TreeWriter TreeWriter {
}
