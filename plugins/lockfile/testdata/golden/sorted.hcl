# This file is maintained by "bp init". Commit it with your blueprints.

provider "example.com/acme/zeta" {
  version = "2.0.0-beta.1"
  hashes = [
    "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
    "sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc",
  ]
}

provider "example/kv" {
  version     = "0.1.0"
  constraints = ">= 0.1, < 1.0"
  hashes = [
    "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  ]
}
