provider "local" {}
provider "local" {
  alias = "east"
}
provider "local" { # ERROR: Duplicate provider configuration
  alias = "east"
}
