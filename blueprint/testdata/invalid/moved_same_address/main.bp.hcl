resource "machine" "web" {}
moved {
  from = machine.web
  to   = resource.machine.web # ERROR: Redundant moved block
}
