provider "local" {}
provider "local" {
  alias = "east"
}
resource "machine" "web" {
  provider = local.eats # ERROR: Reference to undeclared provider configuration
}
