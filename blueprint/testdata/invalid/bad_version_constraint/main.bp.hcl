blueprint {
  required_version = "newest" # ERROR: Invalid version constraint
}
