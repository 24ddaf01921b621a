blueprint {
  required_version = ">= 99.0" # ERROR: Unsupported Blueprint version
}
