provider "local" {}
provider "local" {} # ERROR: Duplicate provider configuration
