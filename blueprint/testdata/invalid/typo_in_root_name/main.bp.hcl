variable "web_count" {
  default = 2
}
locals {
  site = "shop.example.test"
}
resource "machine" "web" {
  count = vr.web_count # ERROR: Reference to undeclared resource
  name  = locals.site  # ERROR: Reference to undeclared resource
}
