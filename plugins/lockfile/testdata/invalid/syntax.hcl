provider "example/kv" {
  version = "0.1.0"
  hashes  = ["sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
} # ERROR: Missing item separator
