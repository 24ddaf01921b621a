provider "example/kv" {
  version = "0.1.0"
  hashes  = ["sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]
  url     = "https://example.com" # ERROR: Unsupported argument
}

provider "example/noversion" { # ERROR: Missing required argument
  hashes = ["sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]
}

provider { # ERROR: Missing source for provider
  version = "0.1.0"
  hashes  = ["sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]
}

backend "local" {} # ERROR: Unsupported block type

version = "1" # ERROR: Unsupported argument
