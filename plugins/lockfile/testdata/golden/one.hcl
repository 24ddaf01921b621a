# This file is maintained by "bp init". Commit it with your blueprints.

provider "example/kv" {
  version     = "0.1.0"
  constraints = ">= 0.1.0"
  hashes = [
    "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  ]
}
