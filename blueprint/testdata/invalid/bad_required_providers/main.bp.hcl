blueprint {
  required_providers {
    local = "builtin/local" # ERROR: Invalid required_providers entry
    cloud = { source = "example.com/acme/cloud", versoin = ">= 1.0" } # ERROR: Unsupported argument
  }
}
