resource "machine" "web" {}
resource "load_balancer" "front" {
  targets = resource.machine.wbe[*].address # ERROR: Reference to undeclared resource
}
output "short_form" {
  value = machin.web.address # ERROR: Reference to undeclared resource
}
