provider "example/kv" {
  version = "0.1.0"
  hashes  = ["sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]
}

provider "example/kv" { # ERROR: Duplicate provider in lock file
  version = "0.2.0"
  hashes  = ["sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]
}
