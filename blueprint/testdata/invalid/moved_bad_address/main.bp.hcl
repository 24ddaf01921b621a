resource "machine" "web" {}
moved {
  from = "machine.old" # ERROR: Invalid address
  to   = resource.machine.web
}
moved {
  from = var.x # ERROR: Invalid address
  to   = resource.machine.web
}
