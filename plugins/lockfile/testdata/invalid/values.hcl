provider "example/kv" {
  version     = "one" # ERROR: Invalid version
  constraints = ">= x" # ERROR: Invalid version constraint
  hashes      = ["sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]
}

provider "example/expr" {
  version = var.version # ERROR: Invalid lock file value
  hashes  = ["sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]
}

provider "example/number" {
  version = 1.5 # ERROR: Invalid lock file value
  hashes  = ["sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]
}

provider "" { # ERROR: Invalid provider source
  version = "1.0.0"
  hashes  = ["sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]
}
