provider "example/kv" {
  version = "0.1.0"
  hashes = [ # ERROR: Invalid checksum
    "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "md5:abc",
  ]
}

provider "example/upper" {
  version = "0.1.0"
  hashes  = ["sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"] # ERROR: Invalid checksum
}

provider "example/empty" {
  version = "0.1.0"
  hashes  = [] # ERROR: Invalid hashes
}

provider "example/string" {
  version = "0.1.0"
  hashes  = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" # ERROR: Invalid hashes
}

provider "example/number" {
  version = "0.1.0"
  hashes  = [1] # ERROR: Invalid checksum
}
