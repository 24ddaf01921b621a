locals {
  site = "shop.example.test"
}
resource "dns_record" "www" {
  name = local.sitee # ERROR: Reference to undeclared local value
}
