blueprint {
  required_version = ">= 0.1"
}
blueprint { # ERROR: Duplicate blueprint block
  required_version = ">= 0.1"
}
